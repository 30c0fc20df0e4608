import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReclinkError } from '../src/errors.js';

/** The ReclinkError that `f` throws; any other outcome fails the test. */
export function reclinkError(f: () => unknown): ReclinkError {
  try {
    f();
  } catch (error) {
    if (error instanceof ReclinkError) return error;
    throw error;
  }
  throw new Error('expected a ReclinkError, nothing was thrown');
}

/** A fresh temporary folder. */
export function temporaryFolder(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `reclink-${prefix}-`));
}

/** The bits of float values, to compare them exactly (NaN payloads and -0 included). */
export function bits(data: Float32Array | Float64Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Every error that `parse` throws on `inputs` must be a one-line ReclinkError; returns how many parsed. */
export function expectOnlyReclinkErrors(inputs: Iterable<Uint8Array>, parse: (bytes: Uint8Array) => unknown): number {
  let parsed = 0;
  for (const bytes of inputs) {
    try {
      parse(bytes);
      parsed++;
    } catch (error) {
      if (!(error instanceof ReclinkError)) throw new Error(`not a ReclinkError on ${bytes.length} bytes: ${String(error)}`);
      if (error.message.includes('\n')) throw new Error(`a message of several lines: ${error.message}`);
    }
  }
  return parsed;
}
