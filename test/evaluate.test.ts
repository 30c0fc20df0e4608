import { describe, expect, it } from 'vitest';
import { fromValues } from '../src/linalg/matrix.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { Random } from '../src/random.js';
import { evaluate } from '../src/train/evaluate.js';
import { randomMatrix } from './helpers.js';

describe('evaluate', () => {
  const net = new RecLinkNet({ inputSize: 9, hiddenSize: 4, seed: 2 }, { dtype: 'float64' });
  const data = randomMatrix(10, 9, Random.fromSeed(5), 'float64', 0, 1);

  it('gives the sum-squared error per sample and per pixel, whatever the batch size', () => {
    net.forward(data);
    const sse = net.loss('sum');
    for (const batchSize of [1, 3, 10, 64]) {
      const { loss, mse } = evaluate(net, data, batchSize);
      expect(loss).toBeCloseTo(sse / 10, 12);
      expect(mse).toBeCloseTo(sse / 90, 12);
    }
  });

  it('names data of the wrong width', () => {
    expect(() => evaluate(net, fromValues(1, 8, new Array(8).fill(0)), 4)).toThrow('data has 8 columns, the model expects 9 (inputSize)');
  });
});
