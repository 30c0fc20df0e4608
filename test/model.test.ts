import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../src/linalg/backend.js';
import { BACKENDS } from './backends.js';
import { resolveConfig } from '../src/model/config.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { formatSummary, summarize } from '../src/model/summary.js';
import { traceModel } from '../src/model/trace.js';
import { ReclinkError } from '../src/errors.js';
import { Random } from '../src/random.js';
import { randomMatrix, relativeError } from './helpers.js';
import { jsBackend } from '../src/linalg/js-backend.js';
import { zeros, type Matrix } from '../src/linalg/matrix.js';

describe('RecLinkNet', () => {
  it('has the exercise shapes and 45,375 parameters by default', () => {
    const net = new RecLinkNet();
    const shapes = Object.fromEntries(net.parameters.map((p) => [p.name, [p.value.rows, p.value.cols]]));
    expect(shapes).toEqual({
      'input.weight': [75, 225], 'input.bias': [1, 75], 'link.weight': [75, 75], 'rec.weight': [75, 75],
      'rec.bias': [1, 75], 'output.weight': [225, 75], 'output.bias': [1, 225],
    });
    expect(net.parameterCount).toBe(45_375);
    expect(summarize(net.config, 8).parameterCount).toBe(45_375);
  });

  it('draws the same weights from the same seed, different ones from another', () => {
    const a = new RecLinkNet({ seed: 7 }), b = new RecLinkNet({ seed: 7 }), c = new RecLinkNet({ seed: 8 });
    expect(a.parameter('rec.weight').value.data).toEqual(b.parameter('rec.weight').value.data);
    expect(a.parameter('rec.weight').value.data).not.toEqual(c.parameter('rec.weight').value.data);
  });

  it('sizes the link layer ⌈D/s⌉ wide and adds its bias on request', () => {
    const net = new RecLinkNet({ inputSize: 10, hiddenSize: 4, linkStride: 3, linkBias: true });
    expect(net.parameter('link.weight').value.cols).toBe(4);
    expect(net.parameters.map((p) => p.name)).toContain('link.bias');
  });

  it('refuses a config that cannot work, naming the field', () => {
    expect(() => resolveConfig({ hiddenSize: 0 })).toThrow(/hiddenSize is 0/);
    expect(() => resolveConfig({ linkStride: 300 })).toThrow(/linkStride is 300, expected an integer from 1 to 225/);
    expect(() => resolveConfig({ cycles: 1.5 })).toThrow(/cycles/);
    expect(() => resolveConfig({ outputActivation: 'tanh' as 'relu' })).toThrow(/outputActivation is "tanh"/);
    expect(() => resolveConfig({ init: 'zeros' as 'he' })).toThrow(ReclinkError);
  });

  it('refuses input of the wrong width', () => {
    const net = new RecLinkNet();
    const x = randomMatrix(2, 224, Random.fromSeed(0), 'float32');
    expect(() => net.forward(x)).toThrow('input has 224 columns, the model expects 225 (inputSize)');
  });

  it('accumulates gradients until zeroed', () => {
    const net = new RecLinkNet({ inputSize: 12, hiddenSize: 5 }, { dtype: 'float64' });
    const x = randomMatrix(3, 12, Random.fromSeed(2), 'float64', 0, 1);
    net.computeGradients(x);
    const once = Array.from(net.parameter('rec.weight').grad.data);
    net.forward(x);
    net.backward();
    const twice = net.parameter('rec.weight').grad.data;
    once.forEach((g, i) => expect(twice[i]).toBeCloseTo(2 * g, 12));
  });

  it('reuses its buffers across steps of the same batch size', () => {
    const net = new RecLinkNet();
    const x = randomMatrix(4, 225, Random.fromSeed(3), 'float32', 0, 1);
    const y1 = net.forward(x);
    expect(net.forward(x)).toBe(y1);
  });
});

describe('trace and summary', () => {
  it('traces every intermediate with its shape, in pass order', () => {
    const net = new RecLinkNet({ cycles: 2 });
    const x = randomMatrix(3, 225, Random.fromSeed(4), 'float32', 0, 1);
    const trace = traceModel(net, x);
    expect([...trace.tensors.keys()]).toEqual([
      'A_in', 'Z_in', 'X_red', 'A_link', 'Z_link', 'A_rec.1', 'Z_rec.1', 'A_rec.2', 'Z_rec.2', 'S', 'A_out', 'Y',
      'G_Y', 'delta_out', 'G_S', 'delta_link', 'delta_rec.2', 'delta_rec.1', 'G_in', 'delta_in',
      'grad.input.weight', 'grad.input.bias', 'grad.link.weight', 'grad.rec.weight', 'grad.rec.bias',
      'grad.output.weight', 'grad.output.bias',
    ]);
    const summary = summarize(net.config, 3);
    for (const row of [...summary.activations, ...summary.parameters]) {
      const name = row.name.includes('.') && !row.name.startsWith('A_') && !row.name.startsWith('Z_') ? `grad.${row.name}` : row.name;
      const t = trace.tensors.get(name);
      if (!t) continue; // X is not traced
      const [rows, cols] = row.name.endsWith('.bias') ? [row.shape[1], row.shape[0]] : row.shape;
      expect([t.rows, t.cols], name).toEqual([rows, cols]);
    }
    // S = Z_rec(T) + Z_link, Y is what forward returns; the trace holds copies
    const s = trace.tensors.get('S')!.data, zRec = trace.tensors.get('Z_rec.2')!.data, zLink = trace.tensors.get('Z_link')!.data;
    s.forEach((v, i) => expect(v).toBeCloseTo(zRec[i] + zLink[i], 6));
    expect(trace.tensors.get('Y')!.data).toEqual(net.forward(x).data);
    expect(trace.loss).toBeGreaterThan(0);
  });

  it('traces G_Y = 2(Y − X), G_S = δ_out W_out and G_in = Σ_t δ_rec(t) W_rec', () => {
    const net = new RecLinkNet({ cycles: 3 }, { dtype: 'float64' });
    const x = randomMatrix(2, 225, Random.fromSeed(5), 'float64', 0, 1);
    const t = (name: string): Matrix => trace.tensors.get(name)!;
    const trace = traceModel(net, x);
    const product = (a: Matrix, b: Matrix): number[] => {
      const c = zeros(a.rows, b.cols, 'float64');
      jsBackend.matmulAB(a, b, c, false);
      return Array.from(c.data);
    };
    const deltaRecSum = zeros(2, 75, 'float64');
    for (const c of [1, 2, 3]) jsBackend.add(deltaRecSum, t(`delta_rec.${c}`), deltaRecSum);
    expect(Array.from(t('G_Y').data)).toEqual(Array.from(t('Y').data, (y, i) => 2 * (y - x.data[i])));
    expect(relativeError(t('G_S').data, product(t('delta_out'), net.parameter('output.weight').value))).toBeLessThan(1e-12);
    expect(relativeError(t('G_in').data, product(deltaRecSum, net.parameter('rec.weight').value))).toBeLessThan(1e-12);
  });

  it('prints the 3.1.1 table', () => {
    const text = formatSummary(summarize(resolveConfig(), 64));
    expect(text).toContain('input.weight   75x225  W_in');
    expect(text).toContain('X_red     64x75  X K: inputs 0, 3, 6, ...');
    expect(text).toContain('total: 45,375 parameters');
  });
});

describe('gradients of a batch in slices', () => {
  const SMALL = { inputSize: 30, hiddenSize: 8, seed: 4 };

  it('add up to the gradient of the whole batch, the mean taken over the whole batch', () => {
    const x = randomMatrix(10, 30, Random.fromSeed(1), 'float64', 0, 1);
    const whole = new RecLinkNet(SMALL, { dtype: 'float64' });
    const sliced = new RecLinkNet(SMALL, { dtype: 'float64' });
    const expected = whole.computeGradients(x, 'mean').loss;
    sliced.zeroGrad();
    const rows = (start: number, end: number): Matrix => ({ rows: end - start, cols: 30, data: x.data.subarray(start * 30, end * 30) });
    const loss = sliced.accumulateGradients(rows(0, 4), 'mean', 10) + sliced.accumulateGradients(rows(4, 10), 'mean', 10);
    expect(loss).toBeCloseTo(expected, 14);
    whole.parameters.forEach((p, i) => expect(relativeError(sliced.parameters[i].grad.data, p.grad.data), p.name).toBeLessThan(1e-13));
  });

  it('refuse a batch smaller than the slice', () => {
    const net = new RecLinkNet(SMALL, { dtype: 'float64' });
    const x = randomMatrix(5, 30, Random.fromSeed(1), 'float64', 0, 1);
    expect(() => net.accumulateGradients(x, 'mean', 4)).toThrow('batchRows is 4, expected an integer of at least the 5 rows given');
    expect(() => net.accumulateGradients(x, 'mean', Number.NaN)).toThrow('batchRows is NaN');
  });
});

describe('parameter values given to a model', () => {
  it('are used as they are, not drawn, and must match the model in number, shape and precision', () => {
    const source = new RecLinkNet({ inputSize: 30, hiddenSize: 8, seed: 4 });
    const values = source.parameters.map((p) => p.value);
    const copy = new RecLinkNet({ inputSize: 30, hiddenSize: 8, seed: 99 }, { parameterValues: values });
    copy.parameters.forEach((p, i) => expect(p.value).toBe(values[i]));
    expect(() => new RecLinkNet({ inputSize: 30, hiddenSize: 8 }, { parameterValues: values.slice(1) })).toThrow('input.weight is 1x8, expected 8x30');
    expect(() => new RecLinkNet({ inputSize: 30, hiddenSize: 8 }, { parameterValues: [...values, values[0]] })).toThrow('8 parameter values given, the model has 7');
    expect(() => new RecLinkNet({ inputSize: 30, hiddenSize: 8 }, { parameterValues: values, dtype: 'float64' })).toThrow(
      'the value given for input.weight is float32, the model computes in float64',
    );
  });
});

describe.each(BACKENDS)('computeGradients on $name', ({ create }) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await create();
  });
  afterAll(() => backend.close());

  // Each activation and parameter gradient is written by its first contributor, not zeroed first:
  // what the buffers held before must not show, whatever the cycle count (1: the recurrent
  // layer's input gradient is the one cell's; 3: a sum of three) and with every optional term on.
  it.each([1, 2, 3])('gives the same gradients whatever the buffers held before (%i cycles)', (cycles) => {
    const config = { inputSize: 30, hiddenSize: 8, seed: 4, cycles, linkBias: true };
    const random = Random.fromSeed(5);
    const batch = (): Matrix => {
      const x = backend.alloc(6, 30, 'float32');
      x.data.set(randomMatrix(6, 30, random, 'float32', 0, 1).data);
      return x;
    };
    const x = batch(), other = batch();
    const fresh = new RecLinkNet(config, { backend });
    const used = new RecLinkNet(config, { backend });
    const expected = fresh.computeGradients(x, 'mean', true);
    used.computeGradients(other, 'sum', true); // every activation gradient buffer holds another batch's
    for (const p of used.parameters) p.grad.data.fill(Number.NaN);
    const got = used.computeGradients(x, 'mean', true);
    expect(got.loss).toBe(expected.loss);
    for (const [i, p] of fresh.parameters.entries()) expect(Array.from(used.parameters[i].grad.data), p.name).toEqual(Array.from(p.grad.data));
    expect(Array.from(got.inputGradient?.data ?? [])).toEqual(Array.from(expected.inputGradient?.data ?? []));
  });
});

