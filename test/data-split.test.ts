import { describe, expect, it } from 'vitest';
import type { Dataset } from '../src/data/dataset.js';
import { selectSamples, splitDataset } from '../src/data/split.js';
import { ReclinkError } from '../src/errors.js';
import { fromValues } from '../src/linalg/matrix.js';

/** n samples of 2 values; sample i is [i, -i] with label i % 10. */
function numbered(n: number): Dataset {
  const x = fromValues(n, 2, Array.from({ length: 2 * n }, (_, k) => (k % 2 ? -1 : 1) * Math.floor(k / 2)));
  return { x, labels: Uint8Array.from({ length: n }, (_, i) => i % 10), imageSize: { height: 1, width: 2 }, source: 'numbered' };
}

const ids = (data: Dataset): number[] => Array.from({ length: data.x.rows }, (_, i) => data.x.data[2 * i]);

describe('splitDataset', () => {
  it('splits a fifth for testing by default (8,000 and 2,000 of 10,000), disjoint, rows and labels together', () => {
    const { train, test } = splitDataset(numbered(10000), { seed: 0 });
    expect([train.x.rows, test.x.rows]).toEqual([8000, 2000]);
    expect(new Set([...ids(train), ...ids(test)]).size).toBe(10000);
    for (const part of [train, test]) {
      const negated = Array.from({ length: part.x.rows }, (_, i) => part.x.data[2 * i + 1]);
      expect(negated).toEqual(ids(part).map((id) => -id));
      expect(Array.from(part.labels ?? [])).toEqual(ids(part).map((id) => id % 10));
      expect(part.imageSize).toEqual({ height: 1, width: 2 });
    }
  });

  it('is the same for the same seed and differs for another', () => {
    const data = numbered(100);
    expect(ids(splitDataset(data, { seed: 5 }).train)).toEqual(ids(splitDataset(data, { seed: 5 }).train));
    expect(ids(splitDataset(data, { seed: 6 }).train)).not.toEqual(ids(splitDataset(data, { seed: 5 }).train));
    expect(ids(splitDataset(data, { seed: 5 }).train)).not.toEqual(ids(data).slice(0, 80));
  });

  it('takes given sizes, the other part being the rest', () => {
    const data = numbered(50);
    const sizes = (options: { train?: number; test?: number }): number[] => {
      const split = splitDataset(data, { ...options, seed: 1 });
      return [split.train.x.rows, split.test.x.rows];
    };
    expect(sizes({ train: 30 })).toEqual([30, 20]);
    expect(sizes({ test: 5 })).toEqual([45, 5]);
    expect(sizes({ train: 10, test: 7 })).toEqual([10, 7]);
  });

  it('refuses sizes that do not fit, as a usage error', () => {
    const data = numbered(10);
    expect(() => splitDataset(data, { train: 8, test: 3, seed: 0 })).toThrow('numbered has only 10 samples, too few for 8 training and 3 test samples: each size can be 1 to 9, the two together at most 10');
    expect(() => splitDataset(data, { train: 10, seed: 0 })).toThrow('numbered has only 10 samples, too few for 10 training samples and a test sample: each size can be 1 to 9, the two together at most 10');
    expect(() => splitDataset(data, { train: 2.5, seed: 0 })).toThrow('training size 2.5, expected a whole number of at least 1');
    let error: unknown;
    try {
      splitDataset(data, { test: -1, seed: 0 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ReclinkError);
    expect((error as ReclinkError).exitCode).toBe(2);
  });
});

describe('selectSamples', () => {
  it('copies the chosen samples in order, and keeps no labels when there are none', () => {
    const { x, source } = numbered(5);
    const picked = selectSamples({ x, source }, [4, 0, 4]);
    expect(ids(picked)).toEqual([4, 0, 4]);
    expect(picked.labels).toBeUndefined();
  });
});

describe('splitDataset: what it says when the data and the sizes do not fit', () => {
  const failure = (data: Dataset, options: { train?: number; test?: number }): [string, number] => {
    try {
      splitDataset(data, { ...options, seed: 0 });
    } catch (error) {
      if (error instanceof ReclinkError) return [error.message, error.exitCode];
      throw error;
    }
    throw new Error('the split was accepted');
  };

  it('says how many samples there are and which sizes fit, never a negative size', () => {
    expect(failure(numbered(10), { train: 20 })).toEqual(['numbered has only 10 samples, too few for 20 training samples and a test sample: each size can be 1 to 9, the two together at most 10', 2]);
    expect(failure(numbered(10), { test: 12 })).toEqual(['numbered has only 10 samples, too few for 12 test samples and a training sample: each size can be 1 to 9, the two together at most 10', 2]);
    expect(failure(numbered(10), { test: 0 })).toEqual(['test size 0, expected a whole number of at least 1', 2]);
  });

  it('refuses data too small to split as a data problem (exit code 1), and holds out one sample of two or three', () => {
    expect(failure(numbered(1), {})).toEqual(['numbered has 1 sample, too few to split: expected at least 2 (one to train on, one to test on)', 1]);
    for (const n of [2, 3]) {
      const { train, test } = splitDataset(numbered(n), { seed: 0 });
      expect([train.x.rows, test.x.rows]).toEqual([n - 1, 1]);
    }
  });
});
