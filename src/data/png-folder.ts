import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { ReclinkError } from '../errors.js';
import { readBytes } from '../io/bytes.js';
import { fileError } from '../io/fs-errors.js';
import type { Dataset } from './dataset.js';
import { checkImageData, checkPng, type PngLayout } from './png-check.js';
import { imageSamples } from './png-format.js';

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
  const png = checkPng(bytes, file);
  checkImageData(png, inflatedLength(png, file), file);
  try {
    return PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new ReclinkError(`${file}: not a readable PNG image (${firstLine(error)})`);
  }
}

/** How many bytes the image data inflates to, up to the `imageBytes` needed (pngjs fills missing scanlines with zeros). */
function inflatedLength(png: PngLayout, file: string): number {
  try {
    return inflateSync(Buffer.concat(png.compressed), { maxOutputLength: png.imageBytes }).length;
  } catch (error) {
    // More than needed: decoders ignore the rest.
    if (error instanceof RangeError && 'code' in error && error.code === 'ERR_BUFFER_TOO_LARGE') return png.imageBytes;
    throw new ReclinkError(`${file}: image data that does not inflate (${firstLine(error)})`);
  }
}

function firstLine(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}
