import { describe, expect, it } from 'vitest';
import { Normalizer } from '../src/data/normalize.js';
import { deadOutputs } from '../src/eval/dead-outputs.js';
import { clone, type Matrix } from '../src/linalg/matrix.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { Random } from '../src/random.js';
import { randomMatrix } from './helpers.js';

const none = Normalizer.fromJSON({ kind: 'none' });
const x = randomMatrix(20, 9, Random.fromSeed(8), 'float32', 0, 1);

function outputLayer(net: RecLinkNet): { weight: Matrix; bias: Matrix } {
  const find = (name: string): Matrix => net.parameters.find((p) => p.name === name)!.value;
  return { weight: find('output.weight'), bias: find('output.bias') };
}

describe('deadOutputs', () => {
  it('counts exactly the output units whose bias keeps them below 0 on every sample', () => {
    const net = new RecLinkNet({ inputSize: 9, hiddenSize: 5, seed: 2 });
    const { bias } = outputLayer(net);
    const dead = [1, 4, 7];
    for (let j = 0; j < 9; j++) bias.data[j] = dead.includes(j) ? -1e6 : 1e6;
    for (const batchSize of [1, 6, 256]) expect(deadOutputs(net, x, none, batchSize)).toBe(3);
  });

  it('counts a pre-activation of exactly 0 as dead, and a unit that fires on one sample only as alive', () => {
    const net = new RecLinkNet({ inputSize: 9, hiddenSize: 5, seed: 2 });
    const { weight, bias } = outputLayer(net);
    weight.data.fill(0);
    bias.data.fill(0); // every pre-activation is 0
    expect(deadOutputs(net, x, none)).toBe(9);
    // Unit 5 sums the hidden units; its bias lets only the sample with the largest sum through,
    // the first one (every batch size then has it in the first batch, not the last).
    weight.data.fill(1, 5 * 5, 6 * 5);
    const y = clone(net.forward(x));
    const sums = Array.from({ length: x.rows }, (_, n) => y.data[n * 9 + 5]);
    const top = sums.indexOf(Math.max(...sums));
    const samples = clone(x);
    samples.data.set(x.data.subarray(top * 9, top * 9 + 9), 0);
    samples.data.set(x.data.subarray(0, 9), top * 9);
    const [largest, next] = [...sums].sort((a, b) => b - a);
    expect(largest).toBeGreaterThan(next);
    bias.data[5] = -(largest + next) / 2;
    for (const batchSize of [1, 7, 256]) expect(deadOutputs(net, samples, none, batchSize)).toBe(8);
  });

  it('is null for an output activation other than ReLU', () => {
    for (const outputActivation of ['sigmoid', 'identity'] as const) {
      expect(deadOutputs(new RecLinkNet({ inputSize: 9, hiddenSize: 5, outputActivation }), x, none)).toBeNull();
    }
  });
});
