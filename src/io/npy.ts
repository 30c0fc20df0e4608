import type { Matrix } from '../linalg/matrix.js';
import { writeFileAtomic } from './atomic-write.js';
import { readBytes } from './bytes.js';
import { npyMatrix, parseNpy, serializeNpy, type NpyArray } from './npy-format.js';

// The format itself, without the file system (the browser lab uses it too).
export * from './npy-format.js';

/** Reads and checks the NPY file at `path`. */
export function readNpy(path: string): NpyArray {
  return parseNpy(readBytes(path), path);
}

/** The NPY file at `path` as a float32 matrix (see `npyMatrix`). */
export function readNpyMatrix(path: string): Matrix {
  return npyMatrix(readNpy(path), path);
}

/** Writes a matrix to `path` as NPY 1.0 (`<f4` or `<f8` by its dtype), atomically. */
export function writeNpy(path: string, matrix: Matrix): void {
  writeFileAtomic(path, serializeNpy(matrix));
}
