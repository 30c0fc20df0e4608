import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ReclinkError } from '../errors.js';
import type { Dataset } from './dataset.js';
import { parseMnist15 } from './mnist15-format.js';

/** Where the build writes the bundled data set: `data/mnist15.bin` in the package's folder. */
export const MNIST15_PATH = fileURLToPath(new URL('../../data/mnist15.bin', import.meta.url));

/**
 * The bundled data set, MNIST-15: the `mnist` package's 10,000 digits as 15×15 images
 * (225 values in [0, 1] a sample, row-major) with their labels, ordered digit by digit.
 * Built by `npm run build`; `path` reads another copy.
 */
export function loadMnist15(path = MNIST15_PATH): Required<Dataset> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new ReclinkError(`${path}: cannot read the bundled MNIST-15 data set (${code}), expected it built by \`npm run build\``);
  }
  return parseMnist15(bytes);
}
