import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { ReclinkError } from '../errors.js';
import { readBytes } from '../io/bytes.js';
import { fileError } from '../io/fs-errors.js';
import type { Dataset } from './dataset.js';
import { checkPngSize, imageSamples } from './png-format.js';

/**
 * Reads every `.png` file of a folder (other files are ignored), in the order of their
 * names, as one sample each (see `imageSamples`). A file that is not a readable PNG is named.
 */
export function readPngFolder(folder: string, inputSize: number): Dataset {
  const names = entries(folder)
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.png'))
    .map((entry) => entry.name)
    .sort();
  if (names.length === 0) throw new ReclinkError(`${folder}: no .png files, expected a folder of PNG images`);
  return imageSamples(names.map((name) => join(folder, name)), inputSize, folder, decode);
}

function entries(folder: string): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    throw fileError('read', folder, error);
  }
}

function decode(file: string): PNG {
  const bytes = readBytes(file);
  checkPngSize(bytes, file);
  try {
    return PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ReclinkError(`${file}: not a readable PNG image (${reason})`);
  }
}
