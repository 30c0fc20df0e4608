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
 * sizes, a fifth (at least one sample) is for testing and the rest for training (8,000 and
 * 2,000 of MNIST-15). Data of fewer than 2 samples cannot be split (exit code 1, a data
 * problem); sizes that are not whole numbers ≥ 1 or do not fit the data are usage errors
 * (exit code 2), and the message says how many samples there are and which sizes fit.
 */
export function splitDataset(data: Dataset, { train, test, seed }: SplitOptions): Split {
  const total = data.x.rows;
  for (const [name, size] of [['training', train], ['test', test]] as const) {
    if (size !== undefined && !(Number.isInteger(size) && size >= 1)) {
      throw new ReclinkError(`${name} size ${size}, expected a whole number of at least 1`, 2);
    }
  }
  if (total < 2) {
    throw new ReclinkError(`${data.source} has ${total} sample${total === 1 ? '' : 's'}, too few to split: expected at least 2 (one to train on, one to test on)`);
  }
  const testSize = test ?? (train === undefined ? Math.max(1, Math.round(total / 5)) : total - train);
  const trainSize = train ?? total - testSize;
  if (trainSize < 1 || testSize < 1 || trainSize + testSize > total) {
    throw new ReclinkError(`${data.source} has only ${total} samples, too few for ${askedFor(train, test)}: each size can be 1 to ${total - 1}, the two together at most ${total}`, 2);
  }
  const order = Random.fromSeed(seed, 'split').shuffle(Int32Array.from({ length: total }, (_, i) => i));
  return {
    train: selectSamples(data, order.subarray(0, trainSize)),
    test: selectSamples(data, order.subarray(trainSize, trainSize + testSize)),
  };
}

/** The sizes a split was asked for, in words: `20000 training samples and a test sample`. */
function askedFor(train: number | undefined, test: number | undefined): string {
  if (train !== undefined && test !== undefined) return `${train} training and ${test} test samples`;
  return train !== undefined ? `${train} training samples and a test sample` : `${test} test samples and a training sample`;
}

/** The samples of `data` at `indices`, in that order, with their labels. */
export function selectSamples(data: Dataset, indices: ArrayLike<number>): Dataset {
  const { cols } = data.x;
  const x = zeros(indices.length, cols);
  for (let i = 0; i < indices.length; i++) {
    const n = indices[i];
    if (!Number.isInteger(n) || n < 0 || n >= data.x.rows) throw new ReclinkError(`sample index ${n} is outside the data, expected an integer from 0 to ${data.x.rows - 1}`);
    x.data.set(data.x.data.subarray(n * cols, (n + 1) * cols), i * cols);
  }
  const { labels } = data;
  return labels ? { ...data, x, labels: Uint8Array.from(indices, (n) => labels[n]) } : { ...data, x };
}
