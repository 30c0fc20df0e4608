import { describe, expect, it } from 'vitest';
import { Normalizer, NORMALIZATIONS } from '../src/data/normalize.js';
import { ReclinkError } from '../src/errors.js';
import { fromValues, type Matrix } from '../src/linalg/matrix.js';

const train = fromValues(2, 3, [0, 2, 4, 6, 8, 10]);
const values = (m: Matrix): number[] => Array.from(m.data);

describe('Normalizer', () => {
  it('none leaves data as it is', () => {
    const none = Normalizer.fit('none', train);
    expect(values(none.apply(train))).toEqual(values(train));
    expect(none.toJSON()).toEqual({ kind: 'none' });
  });

  it('minmax maps the training data onto [0, 1] and applies the same map to other data', () => {
    const minmax = Normalizer.fit('minmax', train);
    expect(minmax.toJSON()).toEqual({ kind: 'minmax', min: 0, max: 10 });
    expect(values(minmax.apply(train))).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1].map(Math.fround));
    expect(values(minmax.apply(fromValues(1, 2, [-5, 20])))).toEqual([-0.5, 2]);
  });

  it('standardize uses one global mean and population standard deviation', () => {
    const standardize = Normalizer.fit('standardize', train);
    const { mean, std } = standardize.toJSON() as { mean: number; std: number };
    expect(mean).toBe(5);
    expect(std).toBeCloseTo(Math.sqrt(70 / 6), 12);
    const out = values(standardize.apply(train));
    expect(out.reduce((a, b) => a + b, 0) / 6).toBeCloseTo(0, 6);
    expect(out.reduce((a, b) => a + b * b, 0) / 6).toBeCloseTo(1, 6);
  });

  it('inverts exactly enough to display reconstructions, keeping the matrix type', () => {
    const x64 = fromValues(2, 2, [0.1, 0.7, 0.3, 0.9], 'float64');
    for (const kind of NORMALIZATIONS) {
      const normalizer = Normalizer.fit(kind, x64);
      const back = normalizer.invert(normalizer.apply(x64));
      expect(back.data).toBeInstanceOf(Float64Array);
      back.data.forEach((v, i) => expect(v).toBeCloseTo(x64.data[i], 14));
    }
  });

  it('does not divide by zero on constant data', () => {
    const constant = fromValues(2, 2, [3, 3, 3, 3]);
    expect(values(Normalizer.fit('standardize', constant).apply(constant))).toEqual([0, 0, 0, 0]);
    expect(values(Normalizer.fit('minmax', constant).apply(constant))).toEqual([0, 0, 0, 0]);
    expect(values(Normalizer.fit('minmax', constant).invert(fromValues(1, 1, [0])))).toEqual([3]);
  });

  it('round-trips through JSON text, as a checkpoint stores it', () => {
    for (const kind of NORMALIZATIONS) {
      const normalizer = Normalizer.fit(kind, train);
      const restored = Normalizer.fromJSON(JSON.parse(JSON.stringify(normalizer)));
      expect(restored.kind).toBe(kind);
      expect(values(restored.apply(train))).toEqual(values(normalizer.apply(train)));
    }
  });

  it('refuses malformed JSON with one line', () => {
    const bad: unknown[] = [
      null,
      'minmax',
      {},
      { kind: 'zscore' },
      { kind: 'minmax', min: 1 },
      { kind: 'minmax', min: 2, max: 1 },
      { kind: 'standardize', mean: 0, std: -1 },
      { kind: 'standardize', mean: '0', std: 1 },
      { kind: 'standardize', mean: 0, std: Infinity },
      JSON.parse(`{"kind": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`),
      { kind: 'minmax', min: 'x'.repeat(1_000_000), max: 1 },
    ];
    for (const json of bad) {
      expect(() => Normalizer.fromJSON(json)).toThrow(ReclinkError);
      expect(() => Normalizer.fromJSON(json)).toThrow(/^normaliser .{1,90} is not valid, expected \{"kind": "none"\}/);
    }
  });

  it('refuses to produce infinities from data far outside the fitted range', () => {
    const tiny = Normalizer.fromJSON({ kind: 'minmax', min: 0, max: 1e-30 });
    expect(() => tiny.apply(fromValues(1, 2, [0, 3e38]))).toThrow(
      /value 3\.\d+e\+38 of row 1 becomes Infinity under the minmax normaliser, expected a finite number/,
    );
  });
});
