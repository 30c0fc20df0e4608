import { describe, expect, it } from 'vitest';
import { Normalizer } from '../src/data/normalize.js';
import { reconstruct, reconstructionMetrics, valueRange } from '../src/eval/reconstruction.js';
import { clone, fromValues } from '../src/linalg/matrix.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { Random } from '../src/random.js';
import { randomMatrix } from './helpers.js';

describe('reconstruct', () => {
  const net = new RecLinkNet({ inputSize: 9, hiddenSize: 5, outputActivation: 'identity', seed: 4 });
  const x = randomMatrix(7, 9, Random.fromSeed(8), 'float32', 2, 6); // data in [2, 6]

  it('normalises the inputs, runs the model in batches of any size, and maps the outputs back', () => {
    const normalizer = Normalizer.fit('standardize', x);
    const expected = normalizer.invert(clone(net.forward(normalizer.apply(x))));
    for (const batchSize of [1, 3, 7, 100]) expect(Array.from(reconstruct(net, x, normalizer, batchSize).data)).toEqual(Array.from(expected.data));
  });

  it('refuses data of another width with a clear error', () => {
    expect(() => reconstruct(net, fromValues(1, 4, [0, 0, 0, 0]), Normalizer.fromJSON({ kind: 'none' }))).toThrow('the data has 4 columns, the model expects 9 (inputSize)');
  });
});

describe('reconstruction metrics', () => {
  it('give SSE, MSE per value and PSNR with peak 1 for data in [0, 1]', () => {
    const x = fromValues(2, 2, [0, 1, 0.5, 0.5]);
    const y = fromValues(2, 2, [0.1, 0.9, 0.5, 0.7]);
    const m = reconstructionMetrics(x, y);
    const sse = 0.1 ** 2 + 0.1 ** 2 + 0 + 0.2 ** 2;
    expect(m.samples).toBe(2);
    expect(m.sse).toBeCloseTo(sse, 6);
    expect(m.mse).toBeCloseTo(sse / 4, 6);
    expect(m.peak).toBe(1);
    expect(m.psnr).toBeCloseTo(10 * Math.log10(1 / (sse / 4)), 4);
    expect(reconstructionMetrics(x, x).psnr).toBe(Infinity);
  });

  it('take the peak from the data range when the data leaves [0, 1]', () => {
    const x = fromValues(1, 3, [0, 255, 100]);
    const m = reconstructionMetrics(x, fromValues(1, 3, [5, 250, 100]));
    expect(m.peak).toBe(255);
    expect(m.psnr).toBeCloseTo(10 * Math.log10(255 ** 2 / (50 / 3)), 10);
  });

  it('valueRange: [0, 1] for data inside it, else [min, max], never empty', () => {
    expect(valueRange(fromValues(1, 2, [0.2, 0.3]))).toEqual({ low: 0, high: 1 });
    expect(valueRange(fromValues(1, 2, [-1, 0.5]))).toEqual({ low: -1, high: 0.5 });
    expect(valueRange(fromValues(1, 2, [3, 3]))).toEqual({ low: 3, high: 4 });
  });
});
