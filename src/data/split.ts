import { ReclinkError } from '../errors.js';
import { zeros } from '../linalg/matrix.js';
import { Random } from '../random.js';
import type { Dataset } from './dataset.js';

/** Sizes of a split and its seed; a size left out is the rest of the data (the test part defaults to a fifth). */
export interface SplitOptions {
  readonly train?: number;
  readonly test?: number;
  readonly seed: number;
}

/** Disjoint training and test samples of one data set. */
export interface Split {
  readonly train: Dataset;
  readonly test: Dataset;
}

/**
 * A seeded split: the samples are shuffled with `seed` (Fisher–Yates on xoroshiro128+),
 * the first `train` become the training set and the next `test` the test set. Without
 * sizes, a fifth is for testing and the rest for training (8,000 and 2,000 of MNIST-15).
 */
export function splitDataset(data: Dataset, { train, test, seed }: SplitOptions): Split {
  const total = data.x.rows;
  const testSize = test ?? (train === undefined ? Math.round(total / 5) : total - train);
  const trainSize = train ?? total - testSize;
  for (const [name, size] of [['train', trainSize], ['test', testSize]] as const) {
    if (!Number.isInteger(size) || size < 1) {
      throw new ReclinkError(`${name} split of ${size} samples, expected a whole number of at least 1 (${data.source} has ${total})`, 2);
    }
  }
  if (trainSize + testSize > total) {
    throw new ReclinkError(`split of ${trainSize} training and ${testSize} test samples, ${data.source} has ${total}`, 2);
  }
  const order = Random.fromSeed(seed, 'split').shuffle(Int32Array.from({ length: total }, (_, i) => i));
  return {
    train: selectSamples(data, order.subarray(0, trainSize)),
    test: selectSamples(data, order.subarray(trainSize, trainSize + testSize)),
  };
}

/** The samples of `data` at `indices`, in that order, with their labels. */
export function selectSamples(data: Dataset, indices: ArrayLike<number>): Dataset {
  const { cols } = data.x;
  const x = zeros(indices.length, cols);
  for (let i = 0; i < indices.length; i++) {
    const n = indices[i];
    if (!Number.isInteger(n) || n < 0 || n >= data.x.rows) throw new Error(`sample index ${n} outside 0..${data.x.rows - 1}`);
    x.data.set(data.x.data.subarray(n * cols, (n + 1) * cols), i * cols);
  }
  const { labels } = data;
  return labels ? { ...data, x, labels: Uint8Array.from(indices, (n) => labels[n]) } : { ...data, x };
}
