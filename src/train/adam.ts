import { dtypeOf, type Matrix } from '../linalg/matrix.js';
import { ReclinkError } from '../errors.js';
import { checkStateHeader, stateTensorName, type Optimizer, type OptimizerState, type Trainable } from './optimizer.js';
import { checkNumber, show } from '../checks.js';
import { checkMatrices, copyMatrices, type NamedMatrices } from './tensors.js';

/** The hyperparameters of `torch.optim.Adam` and `torch.optim.AdamW`. */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** (β₁, β₂), decay rates of the moment estimates (default (0.9, 0.999)). */
  betas: [number, number];
  /** ε, added to √v̂ (default 1e-8). */
  eps: number;
  /** λ: an L2 term added to the gradient (Adam, default 0) or a decoupled shrink (AdamW, default 1e-2). */
  weightDecay: number;
}

/** The state of an Adam or AdamW optimizer in JSON. */
export interface AdamJson extends AdamOptions {
  kind: 'adam' | 'adamw';
  step: number;
}

/** Adam's hyperparameters, checked, at step `step` (t, counted from 1; 0 before the first). */
interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** AdamW: the weight decay shrinks w instead of adding to the gradient. */
  decoupled: boolean;
  step: number;
}

/** The scalars of one step, shared by every element of every parameter (see `AdamFamily`). */
export interface AdamStepScalars {
  /** lr / (1 − β₁ᵗ). */
  stepSize: number;
  /** √(1 − β₂ᵗ). */
  sqrtCorrection2: number;
  /** 1 − lr λ for AdamW, else 1. */
  shrink: number;
  /** λ for Adam (added to the gradient), else 0. */
  coupledDecay: number;
}

/** The scalars of step `h.step` of Adam or AdamW. */
export function adamStepScalars(h: AdamHyper): AdamStepScalars {
  const { lr, beta1, beta2, weightDecay, decoupled, step } = h;
  return {
    stepSize: lr / (1 - beta1 ** step),
    sqrtCorrection2: Math.sqrt(1 - beta2 ** step),
    shrink: decoupled ? 1 - lr * weightDecay : 1,
    coupledDecay: decoupled ? 0 : weightDecay,
  };
}

/** PyTorch's defaults for Adam. */
export const ADAM_DEFAULTS: Readonly<AdamOptions> = Object.freeze<AdamOptions>({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });

/** PyTorch's defaults for AdamW: Adam's, with weight decay 1e-2. */
export const ADAMW_DEFAULTS: Readonly<AdamOptions> = Object.freeze<AdamOptions>({ ...ADAM_DEFAULTS, weightDecay: 1e-2 });

/**
 * The Adam family, PyTorch's rule (`torch.optim.Adam`, `torch.optim.AdamW`), at step
 * t ≥ 1 for each weight w with gradient ∇:
 *
 *     g = ∇ + λ w (Adam)        or   w = w (1 − lr λ), g = ∇ (AdamW: decoupled decay)
 *     m = β₁ m + (1 − β₁) g            v = β₂ v + (1 − β₂) g²
 *     w = w − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 *
 * The moments are `optimizer.exp_avg.<parameter>` and `optimizer.exp_avg_sq.<parameter>`.
 * Construct it as `Adam` or `AdamW`.
 */
export class AdamFamily implements Optimizer {
  private hyper: AdamHyper;
  private readonly expAvg: Matrix[];
  private readonly expAvgSq: Matrix[];

  protected constructor(
    readonly kind: 'adam' | 'adamw',
    private readonly model: Trainable,
    options: Partial<AdamOptions>,
  ) {
    const defaults = kind === 'adamw' ? ADAMW_DEFAULTS : ADAM_DEFAULTS;
    this.hyper = resolveAdamHyper({ ...defaults, ...options }, kind, 0);
    const { backend, parameters } = model;
    const zerosLike = (m: Matrix): Matrix => backend.alloc(m.rows, m.cols, dtypeOf(m));
    this.expAvg = parameters.map((p) => zerosLike(p.value));
    this.expAvgSq = parameters.map((p) => zerosLike(p.value));
  }

  get lr(): number {
    return this.hyper.lr;
  }

  set lr(lr: number) {
    this.hyper.lr = checkNumber('learning rate', lr, 0);
  }

  get stepCount(): number {
    return this.hyper.step;
  }

  step(): void {
    const { backend, parameters } = this.model;
    this.hyper.step++;
    const { beta1, beta2, eps } = this.hyper;
    const { coupledDecay, shrink, stepSize, sqrtCorrection2 } = adamStepScalars(this.hyper);
    for (let i = 0; i < parameters.length; i++) {
      const { value, grad } = parameters[i];
      backend.adamUpdate(value, grad, this.expAvg[i], this.expAvgSq[i], coupledDecay, shrink, beta1, beta2, eps, stepSize, sqrtCorrection2);
    }
  }

  state(): OptimizerState {
    const { lr, beta1, beta2, eps, weightDecay, step } = this.hyper;
    const tensors = Object.fromEntries(
      this.model.parameters.flatMap((p, i) => [
        [stateTensorName('exp_avg', p), this.expAvg[i]],
        [stateTensorName('exp_avg_sq', p), this.expAvgSq[i]],
      ]),
    );
    return { tensors, json: { kind: this.kind, step, lr, betas: [beta1, beta2], eps, weightDecay } };
  }

  loadState(state: OptimizerState): void {
    const { json } = state;
    checkStateHeader(json, this.kind);
    const hyper = resolveAdamHyper(json, this.kind, json.step);
    const targets = this.state().tensors;
    checkMatrices(state.tensors, targets);
    for (const p of this.model.parameters) checkMeanOfSquares(stateTensorName('exp_avg_sq', p), state.tensors);
    copyMatrices(state.tensors, targets);
    this.hyper = hyper;
  }
}

/**
 * `torch.optim.Adam`: weight decay, when set, is an L2 term added to the gradient.
 *
 * @example
 * const adam = new Adam(net, { lr: 1e-3 });
 * net.computeGradients(batch);
 * adam.step();
 */
export class Adam extends AdamFamily {
  constructor(model: Trainable, options: Partial<AdamOptions> = {}) {
    super('adam', model, options);
  }
}

/**
 * `torch.optim.AdamW`: Adam with decoupled weight decay (default λ = 1e-2). The weight
 * shrinks by lr·λ before Adam's step, and the gradient is left alone.
 */
export class AdamW extends AdamFamily {
  constructor(model: Trainable, options: Partial<AdamOptions> = {}) {
    super('adamw', model, options);
  }
}

/** `betas` if it is two numbers in [0, 1), as PyTorch requires of (β₁, β₂). */
export function checkBetas(betas: unknown): [number, number] {
  if (!Array.isArray(betas) || betas.length !== 2) throw new ReclinkError(`betas is ${show(betas)}, expected two numbers in [0, 1)`, 2);
  return [checkNumber('beta1', betas[0], 0, 1), checkNumber('beta2', betas[1], 0, 1)];
}

/** The second moment v, a running mean of squares, cannot be negative. */
function checkMeanOfSquares(name: string, tensors: NamedMatrices): void {
  const { data } = tensors[name];
  const i = data.findIndex((v) => v < 0);
  if (i >= 0) throw new ReclinkError(`tensor ${name} has ${data[i]} at index ${i}, expected values ≥ 0 (a mean of squares)`);
}

/** Checks Adam's hyperparameters as PyTorch does. */
function resolveAdamHyper(o: AdamOptions, kind: 'adam' | 'adamw', step: number): AdamHyper {
  const [beta1, beta2] = checkBetas(o.betas);
  return {
    lr: checkNumber('learning rate', o.lr, 0),
    beta1,
    beta2,
    eps: checkNumber('eps', o.eps, 0),
    weightDecay: checkNumber('weight decay', o.weightDecay, 0),
    decoupled: kind === 'adamw',
    step,
  };
}
