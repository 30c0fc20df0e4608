import { readFileSync } from 'node:fs';
import { fileError } from './fs-errors.js';

/** The whole content of the file at `path`; a failure is one ReclinkError line naming it. */
export function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    throw fileError('read', path, error);
  }
}
