import { describe, expect, it } from 'vitest';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { referencePass } from '../src/reference/scalar.js';
import { Random } from '../src/random.js';
import { randomMatrix, referenceParameters, relativeError, toRows } from './helpers.js';

describe('float64 model against the scalar reference', () => {
  it('gives the same loss, output and gradients', () => {
    const net = new RecLinkNet({ inputSize: 20, hiddenSize: 7, seed: 3 }, { dtype: 'float64' });
    const x = randomMatrix(4, 20, Random.fromSeed(1), 'float64', 0, 1);
    const { loss, inputGradient } = net.computeGradients(x, 'sum', true);
    const ref = referencePass(net.config, referenceParameters(net), toRows(x));
    expect(Math.abs(loss - ref.loss) / ref.loss).toBeLessThan(1e-12);
    for (const p of net.parameters) expect(relativeError(p.grad.data, ref.grads[p.name].flat())).toBeLessThan(1e-12);
    expect(relativeError(inputGradient!.data, ref.inputGrad.flat())).toBeLessThan(1e-12);
  });
});
