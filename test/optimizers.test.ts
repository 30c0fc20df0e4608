import { describe, expect, it } from 'vitest';
import { jsBackend } from '../src/linalg/js-backend.js';
import { clone, fromValues, zeros, type DType } from '../src/linalg/matrix.js';
import type { Parameter } from '../src/nn/parameter.js';
import { ReclinkError } from '../src/errors.js';
import { Adam, AdamW } from '../src/train/adam.js';
import type { Optimizer, OptimizerState, Trainable } from '../src/train/optimizer.js';
import { Sgd } from '../src/train/sgd.js';

// Expected values follow the pseudo-code of PyTorch's documentation (torch.optim.SGD,
// Adam, AdamW), written out per scalar in float64, never through the backend's kernels.

/** A 1 × n float64 parameter `w` and a model holding only it. */
function tiny(values: number[], dtype: DType = 'float64'): { model: Trainable; w: Parameter } {
  const w: Parameter = { name: 'w', value: fromValues(1, values.length, values, dtype), grad: zeros(1, values.length, dtype) };
  return { model: { parameters: [w], backend: jsBackend }, w };
}

/** Runs one step per gradient row; returns the weights after each step. */
function trajectory(optimizer: Optimizer, w: Parameter, grads: number[][]): number[][] {
  return grads.map((g) => {
    w.grad.data.set(g);
    optimizer.step();
    return Array.from(w.value.data);
  });
}

function expectClose(actual: number[][], expected: number[][], digits = 14): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, t) => row.forEach((v, i) => expect(v).toBeCloseTo(expected[t][i], digits)));
}

const w0 = [1, -2];
const grads = [
  [0.5, -1],
  [-0.3, 0.25],
  [0.2, 2],
];

/** torch.optim.SGD's documented algorithm, one scalar at a time. */
function sgdByHand(w: number, gs: number[], lr: number, mu: number, dampening: number, wd: number, nesterov: boolean): number[] {
  let b = 0;
  return gs.map((grad, t) => {
    let g = grad + wd * w;
    if (mu !== 0) {
      b = t === 0 ? g : mu * b + (1 - dampening) * g;
      g = nesterov ? g + mu * b : b;
    }
    w = w - lr * g;
    return w;
  });
}

/** torch.optim.Adam / AdamW's documented algorithm, one scalar at a time (bias-corrected m̂ and v̂). */
function adamByHand(w: number, gs: number[], lr: number, b1: number, b2: number, eps: number, wd: number, decoupled: boolean): number[] {
  let m = 0, v = 0;
  return gs.map((grad, i) => {
    const t = i + 1;
    let g = grad;
    if (decoupled) w = w - lr * wd * w;
    else g = g + wd * w;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    const mHat = m / (1 - b1 ** t);
    const vHat = v / (1 - b2 ** t);
    w = w - (lr * mHat) / (Math.sqrt(vHat) + eps);
    return w;
  });
}

/** Per-element trajectories by hand, as rows of weights after each step. */
function byHand(perScalar: (w: number, gs: number[]) => number[]): number[][] {
  const columns = w0.map((w, i) => perScalar(w, grads.map((g) => g[i])));
  return grads.map((_, t) => columns.map((c) => c[t]));
}

describe('SGD against hand-computed steps', () => {
  it('plain SGD: w = w − lr ∇', () => {
    const { model, w } = tiny(w0);
    const steps = trajectory(new Sgd(model, { lr: 0.1 }), w, grads);
    expect(steps[0]).toEqual([1 - 0.1 * 0.5, -2 - 0.1 * -1]);
    expectClose(steps, byHand((x, gs) => sgdByHand(x, gs, 0.1, 0, 0, 0, false)));
  });

  it('momentum, dampening and weight decay: the buffer starts as g, then b = μb + (1 − d)g', () => {
    const { model, w } = tiny(w0);
    const steps = trajectory(new Sgd(model, { lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 }), w, grads);
    // Step 1 of the first weight: g = 0.5 + 0.01·1 = 0.51 = b, w = 1 − 0.1·0.51 = 0.949.
    // Step 2: g = −0.3 + 0.01·0.949, b = 0.9·0.51 + 0.9·g, w = 0.949 − 0.1·b = 0.9292459.
    expect(steps[0][0]).toBeCloseTo(0.949, 15);
    expect(steps[1][0]).toBeCloseTo(0.9292459, 15);
    expectClose(steps, byHand((x, gs) => sgdByHand(x, gs, 0.1, 0.9, 0.1, 0.01, false)));
  });

  it('Nesterov with weight decay: g = g + μb', () => {
    const { model, w } = tiny(w0);
    const steps = trajectory(new Sgd(model, { lr: 0.05, momentum: 0.8, weightDecay: 0.1, nesterov: true }), w, grads);
    // Step 1: g = 0.5 + 0.1·1 = 0.6 = b, g = 0.6 + 0.8·0.6 = 1.08, w = 1 − 0.05·1.08 = 0.946.
    expect(steps[0][0]).toBeCloseTo(0.946, 15);
    expectClose(steps, byHand((x, gs) => sgdByHand(x, gs, 0.05, 0.8, 0, 0.1, true)));
  });

  it('refuses Nesterov without momentum or with dampening, as PyTorch', () => {
    const { model } = tiny(w0);
    expect(() => new Sgd(model, { nesterov: true })).toThrow(/Nesterov momentum needs momentum > 0 and dampening 0/);
    expect(() => new Sgd(model, { nesterov: true, momentum: 0.9, dampening: 0.5 })).toThrow(ReclinkError);
    expect(() => new Sgd(model, { lr: -1 })).toThrow('learning rate is -1, expected a finite number ≥ 0');
    expect(() => new Sgd(model, { momentum: Number.NaN })).toThrow('momentum is NaN, expected a finite number ≥ 0');
  });

  it("has PyTorch's defaults and keeps momentum buffers only when μ > 0", () => {
    const { model } = tiny(w0);
    const sgd = new Sgd(model);
    expect(sgd.state()).toEqual({ tensors: {}, json: { kind: 'sgd', step: 0, lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false } });
    expect(Object.keys(new Sgd(model, { momentum: 0.5 }).state().tensors)).toEqual(['optimizer.momentum_buffer.w']);
  });
});

describe('Adam and AdamW against hand-computed steps', () => {
  it('Adam step 1 is bias-corrected: w = w − lr·g/(|g| + ε)', () => {
    const { model, w } = tiny(w0);
    const steps = trajectory(new Adam(model), w, grads);
    expect(steps[0][0]).toBeCloseTo(1 - (1e-3 * 0.5) / (0.5 + 1e-8), 15);
    expect(steps[0][1]).toBeCloseTo(-2 + (1e-3 * 1) / (1 + 1e-8), 15);
    expectClose(steps, byHand((x, gs) => adamByHand(x, gs, 1e-3, 0.9, 0.999, 1e-8, 0, false)));
  });

  it('Adam with L2 weight decay adds λw to the gradient', () => {
    const { model, w } = tiny(w0);
    const steps = trajectory(new Adam(model, { lr: 0.01, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.5 }), w, grads);
    // Step 1 of the second weight: g = −1 + 0.5·(−2) = −2, so w = −2 + 0.01·2/(2 + 1e-6).
    expect(steps[0][1]).toBeCloseTo(-2 + (0.01 * 2) / (2 + 1e-6), 15);
    expectClose(steps, byHand((x, gs) => adamByHand(x, gs, 0.01, 0.8, 0.99, 1e-6, 0.5, false)));
  });

  it("AdamW decays the weight apart from the gradient, default λ = 1e-2", () => {
    const { model, w } = tiny(w0);
    const steps = trajectory(new AdamW(model, { lr: 0.1 }), w, grads);
    // Step 1: w = 1·(1 − 0.1·0.01) − 0.1·0.5/(0.5 + 1e-8).
    expect(steps[0][0]).toBeCloseTo(1 * (1 - 0.1 * 0.01) - (0.1 * 0.5) / (0.5 + 1e-8), 15);
    expectClose(steps, byHand((x, gs) => adamByHand(x, gs, 0.1, 0.9, 0.999, 1e-8, 0.01, true)));
  });

  it("has PyTorch's defaults and names its moments as PyTorch's state", () => {
    const { model } = tiny(w0);
    expect(new Adam(model).state().json).toEqual({ kind: 'adam', step: 0, lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
    expect(new AdamW(model).state().json).toEqual({ kind: 'adamw', step: 0, lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2 });
    expect(Object.keys(new Adam(model).state().tensors)).toEqual(['optimizer.exp_avg.w', 'optimizer.exp_avg_sq.w']);
    expect(() => new Adam(model, { betas: [0.9, 1] })).toThrow('beta2 is 1, expected a finite number in [0, 1)');
  });

  it('float32 parameters follow the float64 formulas to float32 precision', () => {
    const { model, w } = tiny(w0, 'float32');
    const steps = trajectory(new Adam(model, { lr: 0.01 }), w, grads);
    expectClose(steps, byHand((x, gs) => adamByHand(x, gs, 0.01, 0.9, 0.999, 1e-8, 0, false)), 6);
  });
});

describe('optimizer state', () => {
  const makers: [string, (m: Trainable) => Optimizer][] = [
    ['SGD with Nesterov momentum', (m) => new Sgd(m, { lr: 0.1, momentum: 0.9, nesterov: true })],
    ['Adam', (m) => new Adam(m, { lr: 0.01 })],
    ['AdamW', (m) => new AdamW(m, { lr: 0.01 })],
  ];

  /** A copy of a state, as a checkpoint would hold it. */
  function saved(state: OptimizerState): OptimizerState {
    const tensors = Object.fromEntries(Object.entries(state.tensors).map(([k, m]) => [k, clone(m)]));
    return { tensors, json: JSON.parse(JSON.stringify(state.json)) };
  }

  it.each(makers)('%s: a loaded state continues exactly', (_, make) => {
    const a = tiny(w0), b = tiny([0, 0]);
    const first = make(a.model);
    trajectory(first, a.w, grads.slice(0, 2));
    const second = make(b.model);
    b.w.value.data.set(a.w.value.data);
    second.loadState(saved(first.state()));
    expect(second.stepCount).toBe(2);
    expect(trajectory(second, b.w, grads.slice(2))).toEqual(trajectory(first, a.w, grads.slice(2)));
  });

  it('adopts the saved hyperparameters, as load_state_dict does', () => {
    const a = tiny(w0);
    const sgd = new Sgd(a.model, { lr: 0.1 });
    sgd.loadState({ tensors: { 'optimizer.momentum_buffer.w': fromValues(1, 2, [1, 1], 'float64') }, json: { kind: 'sgd', step: 1, lr: 0.5, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false } });
    expect(trajectory(sgd, a.w, [[0, 0]])).toEqual([[1 - 0.5 * 0.9, -2 - 0.5 * 0.9]]);
  });

  it('refuses a state of another kind, a missing or misshapen tensor, or NaN, and changes nothing', () => {
    const a = tiny(w0);
    const adam = new Adam(a.model);
    trajectory(adam, a.w, grads.slice(0, 1));
    const before = saved(adam.state());
    const good = saved(adam.state());
    const adamJson = { kind: 'adam', step: 1, lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 } as const;
    expect(good.json).toEqual(adamJson);
    expect(() => adam.loadState({ ...good, json: { ...adamJson, betas: [0.9, 0.999], kind: 'adamw' } })).toThrow('the optimizer state is for "adamw", expected adam');
    expect(() => adam.loadState({ ...good, json: { ...adamJson, betas: [0.9, 0.999], step: -1 } })).toThrow(/step is -1/);
    const { ['optimizer.exp_avg_sq.w']: _dropped, ...missing } = good.tensors;
    expect(() => adam.loadState({ ...good, tensors: missing })).toThrow('the training state has no tensor optimizer.exp_avg_sq.w');
    const misshapen = { ...good.tensors, 'optimizer.exp_avg_sq.w': zeros(2, 1, 'float64') };
    expect(() => adam.loadState({ ...good, tensors: misshapen })).toThrow('tensor optimizer.exp_avg_sq.w is 2x1, expected 1x2');
    const nan = { ...good.tensors, 'optimizer.exp_avg_sq.w': fromValues(1, 2, [1, Number.NaN], 'float64') };
    expect(() => adam.loadState({ ...good, tensors: nan })).toThrow(/NaN or infinite/);
    expect(saved(adam.state())).toEqual(before);
  });

  it('takes a learning rate per step and refuses a bad one', () => {
    const a = tiny(w0);
    const sgd = new Sgd(a.model, { lr: 0.1 });
    sgd.lr = 0.5;
    expect(trajectory(sgd, a.w, [[1, 1]])).toEqual([[0.5, -2.5]]);
    expect(() => (sgd.lr = Number.POSITIVE_INFINITY)).toThrow('learning rate is Infinity, expected a finite number ≥ 0');
  });
});
