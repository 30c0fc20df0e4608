import { describe, expect, it } from 'vitest';
import { Normalizer } from '../src/data/normalize.js';
import { encode } from '../src/eval/codes.js';
import { checkErrorQuantiles, errorQuantiles, quantile, recordedThreshold, sampleErrors, scoreSamples } from '../src/eval/scores.js';
import { fromValues } from '../src/linalg/matrix.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { referencePass } from '../src/reference/scalar.js';
import { Random } from '../src/random.js';
import { randomMatrix, referenceParameters, relativeError, toRows } from './helpers.js';

// Codes and scores against the float64 scalar oracle, which shares no code with the layers.

const config = { inputSize: 20, hiddenSize: 6, linkStride: 4, cycles: 3, linkBias: true, outputActivation: 'sigmoid' as const, seed: 5 };

/** A model, 7 samples in the data's units (0–255) and a min-max normaliser fitted on them. */
function fixture(): { net: RecLinkNet; x: ReturnType<typeof randomMatrix>; normalizer: Normalizer } {
  const net = new RecLinkNet(config, { dtype: 'float64' });
  const x = randomMatrix(7, config.inputSize, Random.fromSeed(9), 'float64', 0, 255);
  return { net, x, normalizer: Normalizer.fit('minmax', x) };
}

describe('encode', () => {
  it('gives the code S = Z_rec(T) + Z_link of every sample, in order, across batch boundaries', () => {
    const { net, x, normalizer } = fixture();
    const codes = encode(net, x, normalizer, 3); // batches of 3, 3 and 1
    expect([codes.rows, codes.cols]).toEqual([7, 6]);
    const oracle = referencePass(net.config, referenceParameters(net), toRows(normalizer.apply(x)));
    expect(relativeError(codes.data, oracle.trace.s.flat())).toBeLessThan(1e-6); // float32 codes
  });

  it('refuses data of the wrong width, naming both widths', () => {
    const { net } = fixture();
    expect(() => encode(net, fromValues(1, 19, new Float64Array(19), 'float64'))).toThrow('the data has 19 columns, the model expects 20');
  });
});

describe('sample errors and scores', () => {
  it('gives each sample its SSE in the data units, the normaliser inverted', () => {
    const { net, x, normalizer } = fixture();
    const errors = sampleErrors(net, x, normalizer);
    const oracle = referencePass(net.config, referenceParameters(net), toRows(normalizer.apply(x)));
    const { min, max } = normalizer.toJSON() as { min: number; max: number };
    const expected = toRows(x).map((row, n) => row.reduce((sum, v, k) => sum + (v - (oracle.y[n][k] * (max - min) + min)) ** 2, 0));
    expect(relativeError(errors, expected)).toBeLessThan(1e-6);
  });

  it('flags exactly the samples above the threshold, with the SSE per pixel', () => {
    const scores = scoreSamples(Float64Array.from([4, 10, 10.5, 2]), 4, 10);
    expect(scores).toEqual([
      { index: 0, sse: 4, msePerPixel: 1, outlier: false },
      { index: 1, sse: 10, msePerPixel: 2.5, outlier: false },
      { index: 2, sse: 10.5, msePerPixel: 2.625, outlier: true },
      { index: 3, sse: 2, msePerPixel: 0.5, outlier: false },
    ]);
  });
});

describe('quantiles', () => {
  it('interpolates between order statistics as NumPy does (numpy.quantile, linear)', () => {
    // numpy.quantile([3, 1, 4, 2], [0, 0.5, 0.9, 1]) = [1, 2.5, 3.7, 4]
    expect([0, 0.5, 0.9, 1].map((q) => quantile([3, 1, 4, 2], q))).toEqual([1, 2.5, expect.closeTo(3.7, 12) as number, 4]);
    expect(quantile([7], 0.99)).toBe(7);
    // numpy.quantile(range(1000), 0.999) = 998.001
    expect(quantile(Array.from({ length: 1000 }, (_, i) => 999 - i), 0.999)).toBeCloseTo(998.001, 9);
  });

  it('records 0.5, 0.9, 0.99 and 0.999, and refuses a level that was not recorded', () => {
    const recorded = errorQuantiles(Array.from({ length: 1001 }, (_, i) => i));
    expect(recorded).toEqual({ samples: 1001, quantiles: { '0.5': 500, '0.9': 900, '0.99': 990, '0.999': 999 } });
    expect(recordedThreshold(recorded, 0.99)).toBe(990);
    expect(() => recordedThreshold(recorded, 0.95)).toThrow('quantile 0.95 was not recorded with the model, expected one of 0.5, 0.9, 0.99, 0.999 (or give --threshold)');
  });

  it('checks quantiles read from a file', () => {
    const good = { samples: 10, quantiles: { '0.5': 1, '0.99': 2 } };
    expect(checkErrorQuantiles(good, 'm.safetensors')).toEqual(good);
    expect(() => checkErrorQuantiles({ samples: 10, quantiles: { '0.5': 3, '0.99': 2 } }, 'm')).toThrow('m: the recorded error quantiles give 2 at 0.99');
    expect(() => checkErrorQuantiles({ samples: 10, quantiles: { '0.5': -1 } }, 'm')).toThrow('give -1 at 0.5');
    expect(() => checkErrorQuantiles({ samples: 10, quantiles: { '1.5': 1 } }, 'm')).toThrow('name a level 1.5');
    expect(() => checkErrorQuantiles({ samples: 0, quantiles: {} }, 'm')).toThrow('do not say over how many samples');
    expect(() => checkErrorQuantiles('x', 'm')).toThrow('are not a JSON object');
  });
});
