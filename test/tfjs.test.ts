import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's own entry registers kernels but no gradients; this module registers them all
// (bundled for vitest by the dependency optimizer, see vitest.config.ts).
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ActivationName } from '../src/linalg/backend.js';
import type { Matrix } from '../src/linalg/matrix.js';
import { linkWidth, type RecLinkConfig } from '../src/model/config.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { Random } from '../src/random.js';
import { randomMatrix, relativeError } from './helpers.js';

// An independent autodiff engine: TensorFlow.js builds SPEC's network from reclink's weights,
// and its reverse-mode gradients of the sum-squared error must match reclink's hand-derived
// backward pass, both in float32.

const activations: Record<ActivationName, (a: tf.Tensor) => tf.Tensor> = {
  relu: (a) => tf.relu(a),
  sigmoid: (a) => tf.sigmoid(a),
  identity: (a) => a,
};

/** Y for X, from parameters named as reclink names them (weights out × in, biases 1 × out). */
function tfForward(config: RecLinkConfig, p: Map<string, tf.Tensor>, x: tf.Tensor): tf.Tensor {
  const layer = (input: tf.Tensor, name: string, f: (a: tf.Tensor) => tf.Tensor): tf.Tensor => {
    const a = tf.matMul(input, p.get(`${name}.weight`)!, false, true);
    const bias = p.get(`${name}.bias`);
    return f(bias ? tf.add(a, bias) : a);
  };
  const columns = tf.tensor1d(Array.from({ length: linkWidth(config) }, (_, j) => j * config.linkStride), 'int32');
  const zIn = layer(x, 'input', tf.relu);
  const zLink = layer(tf.gather(x, columns, 1), 'link', tf.relu);
  let zRec = layer(zIn, 'rec', tf.relu);
  for (let t = 2; t <= config.cycles; t++) zRec = layer(tf.add(zIn, zRec), 'rec', tf.relu);
  return layer(tf.add(zRec, zLink), 'output', activations[config.outputActivation]);
}

const tensor = (m: Matrix): tf.Tensor2D => tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols], 'float32');

/** TensorFlow.js's Y, E and ∂E/∂(every parameter, then X), the target held fixed at X. */
function tfPass(net: RecLinkNet, x: Matrix): { y: Float32Array; loss: number; grads: Float32Array[] } {
  return tf.tidy(() => {
    const names = net.parameters.map((p) => p.name);
    const target = tensor(x);
    const sse = (...args: tf.Tensor[]): tf.Tensor => {
      const p = new Map(names.map((name, i) => [name, args[i]]));
      return tf.sum(tf.square(tf.sub(tfForward(net.config, p, args[names.length]), target)));
    };
    const inputs = [...net.parameters.map((p) => tensor(p.value)), tensor(x)];
    const y = tfForward(net.config, new Map(names.map((name, i) => [name, inputs[i]])), inputs[names.length]);
    return {
      y: y.dataSync() as Float32Array,
      loss: sse(...inputs).dataSync()[0],
      grads: tf.grads(sse)(inputs).map((g) => g.dataSync() as Float32Array),
    };
  });
}

beforeAll(async () => {
  tf.env().set('PROD', true); // no "install the node backend" banner
  await tf.setBackend('cpu');
});

describe.each<Partial<RecLinkConfig>>([{}, { cycles: 3 }, { linkBias: true }, { outputActivation: 'sigmoid' }, { cycles: 1, outputActivation: 'identity' }])(
  'TensorFlow.js against reclink, config %o',
  (overrides) => {
    it('gives the same output, loss and gradients (< 1e-5 relative)', () => {
      const net = new RecLinkNet({ seed: 5, ...overrides });
      const x = randomMatrix(4, net.config.inputSize, Random.fromSeed(6), 'float32', 0, 1);
      const { loss, inputGradient } = net.computeGradients(x, 'sum', true);
      const expected = tfPass(net, x);
      expect(Math.abs(loss - expected.loss) / expected.loss).toBeLessThan(1e-5);
      expect(relativeError(net.output.z.data, expected.y)).toBeLessThan(1e-5);
      const ours = [...net.parameters.map((p) => ({ name: p.name, grad: p.grad.data })), { name: 'input', grad: inputGradient!.data }];
      ours.forEach(({ name, grad }, i) => {
        expect(expected.grads[i].some((g) => g !== 0), `${name} is not all zero`).toBe(true);
        expect(relativeError(grad, expected.grads[i]), name).toBeLessThan(1e-5);
      });
    });
  },
);
