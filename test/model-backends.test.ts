import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../src/linalg/backend.js';
import { jsBackend } from '../src/linalg/js-backend.js';
import type { Matrix } from '../src/linalg/matrix.js';
import type { WasmBackend } from '../src/linalg/wasm/wasm-backend.js';
import { resolveConfig, type RecLinkConfig } from '../src/model/config.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { referencePass } from '../src/reference/scalar.js';
import { Random } from '../src/random.js';
import { BACKENDS } from './backends.js';
import { randomMatrix, referenceParameters, relativeError, toRows } from './helpers.js';

const CONFIGS: Partial<RecLinkConfig>[] = [
  { seed: 1 },
  { inputSize: 20, hiddenSize: 7, seed: 2 },
  { inputSize: 50, hiddenSize: 13, linkStride: 4, cycles: 3, linkBias: true, outputActivation: 'sigmoid', seed: 3 },
  { inputSize: 31, hiddenSize: 9, linkStride: 2, outputActivation: 'identity', init: 'he', seed: 4 },
];
const BATCHES = [1, 5, 64];

/** A batch in the backend's memory (as a training loop would hold it), values in [0, 1). */
function batch(backend: Backend, rows: number, cols: number, seed: number): Matrix {
  const x = backend.alloc(rows, cols, 'float32');
  x.data.set(randomMatrix(rows, cols, Random.fromSeed(seed), 'float32', 0, 1).data);
  return x;
}

/** Loss, every parameter gradient and ∂E/∂X, as float64 arrays. */
function gradients(net: RecLinkNet, x: Matrix): Record<string, Float64Array> {
  const { loss, inputGradient } = net.computeGradients(x, 'sum', true);
  return {
    loss: Float64Array.of(loss),
    input: Float64Array.from(inputGradient!.data),
    ...Object.fromEntries(net.parameters.map((p) => [p.name, Float64Array.from(p.grad.data)])),
  };
}

function sgdSteps(net: RecLinkNet, x: Matrix, steps: number): Float64Array[] {
  for (let step = 0; step < steps; step++) {
    net.computeGradients(x, 'mean');
    for (const p of net.parameters) {
      net.backend.sgdUpdate(p.value, p.grad, null, 0.5, 0, 0, 0, false, step === 0);
    }
  }
  return net.parameters.map((p) => Float64Array.from(p.value.data));
}

describe.each(BACKENDS)('the model on the $name backend', ({ create }) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await create();
  });
  afterAll(async () => {
    await backend.close();
  });

  it.each(CONFIGS)('float32 gradients agree with the float64 scalar reference: %o', (config) => {
    for (const n of BATCHES) {
      const net = new RecLinkNet(config, { backend });
      const x = batch(backend, n, net.config.inputSize, n);
      const got = gradients(net, x);
      const ref = referencePass(net.config, referenceParameters(net), toRows(x));
      expect(relativeError(got.loss, [ref.loss]), `loss, N=${n}`).toBeLessThan(1e-5);
      for (const p of net.parameters) expect(relativeError(got[p.name], ref.grads[p.name].flat()), `${p.name}, N=${n}`).toBeLessThan(1e-4);
      expect(relativeError(got.input, ref.inputGrad.flat()), `∂E/∂X, N=${n}`).toBeLessThan(1e-4);
    }
  });
});

describe.each(BACKENDS.filter((b) => b.name !== 'js'))('the $name backend against the JS backend in float32', ({ create }) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await create();
  });
  afterAll(async () => {
    await backend.close();
  });

  it.each(CONFIGS)('gives the same gradients: %o', (config) => {
    for (const n of BATCHES) {
      const expected = gradients(new RecLinkNet(config, { backend: jsBackend }), batch(jsBackend, n, resolveConfig(config).inputSize, n));
      const got = gradients(new RecLinkNet(config, { backend }), batch(backend, n, resolveConfig(config).inputSize, n));
      for (const name of Object.keys(expected)) expect(relativeError(got[name], expected[name]), `${name}, N=${n}`).toBeLessThan(1e-5);
    }
  });

  it('takes the same SGD steps, on an input from outside its memory too', () => {
    const x = batch(jsBackend, 16, 225, 7);
    const expected = sgdSteps(new RecLinkNet({ seed: 5 }, { backend: jsBackend }), x, 5);
    const got = sgdSteps(new RecLinkNet({ seed: 5 }, { backend }), x, 5);
    got.forEach((values, i) => expect(relativeError(values, expected[i])).toBeLessThan(1e-5));
  });
});

describe.each([
  ['plain', 1, 2],
  ['relaxed', 3, 4],
])('threads on the %s kernel set', (_, one, two) => {
  let single: WasmBackend, threaded: WasmBackend;
  beforeAll(async () => {
    single = (await BACKENDS[one].create()) as WasmBackend;
    threaded = (await BACKENDS[two].create()) as WasmBackend;
  });
  afterAll(async () => {
    await threaded.close();
  });

  it('give the same bits run to run, and the single-thread steps within float32 rounding', () => {
    const x = batch(threaded, 64, 225, 9);
    const first = sgdSteps(new RecLinkNet({ seed: 6 }, { backend: threaded }), x, 4);
    const again = sgdSteps(new RecLinkNet({ seed: 6 }, { backend: threaded }), x, 4);
    const oneThread = sgdSteps(new RecLinkNet({ seed: 6 }, { backend: single }), batch(single, 64, 225, 9), 4);
    first.forEach((values, i) => {
      expect(Array.from(again[i])).toEqual(Array.from(values));
      expect(relativeError(values, oneThread[i])).toBeLessThan(1e-6);
    });
  });
});
