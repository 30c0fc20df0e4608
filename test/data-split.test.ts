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
    expect(() => splitDataset(data, { train: 8, test: 3, seed: 0 })).toThrow('split of 8 training and 3 test samples, numbered has 10');
    expect(() => splitDataset(data, { train: 10, seed: 0 })).toThrow('test split of 0 samples, expected a whole number of at least 1 (numbered has 10)');
    expect(() => splitDataset(data, { train: 2.5, seed: 0 })).toThrow(/train split of 2.5 samples/);
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
