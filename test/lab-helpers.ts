import { zeros, type Matrix } from '../src/linalg/matrix.js';
import type { LabDataset } from '../src/lab/session.js';
import { Random } from '../src/random.js';

/** `rows` 15 × 15 images of one soft blob each, at a random place: data a network can learn fast. */
export function blobImages(rows: number, seed: number): Matrix {
  const random = Random.fromSeed(seed);
  const m = zeros(rows, 225);
  for (let n = 0; n < rows; n++) {
    const cy = 3 + random.uniform() * 9, cx = 3 + random.uniform() * 9;
    for (let y = 0; y < 15; y++) for (let x = 0; x < 15; x++) m.data[n * 225 + y * 15 + x] = Math.exp(-((y - cy) ** 2 + (x - cx) ** 2) / 6);
  }
  return m;
}

/** A small synthetic data set: `train` and `validation` blob images. */
export function blobDataset(train = 96, validation = 32): LabDataset {
  return { name: 'blobs', train: blobImages(train, 1), validation: blobImages(validation, 2) };
}
