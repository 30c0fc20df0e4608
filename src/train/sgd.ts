import { dtypeOf, type Matrix } from '../linalg/matrix.js';
import { ReclinkError } from '../errors.js';
import { checkStateHeader, stateTensorName, type Optimizer, type OptimizerState, type Trainable } from './optimizer.js';
import { checkNumber } from '../checks.js';
import { loadMatrices, type NamedMatrices } from './tensors.js';
import { describe } from '../io/describe.js';

/** The hyperparameters of `torch.optim.SGD`. */
export interface SgdOptions {
  /** Learning rate (default 1e-3, PyTorch 2's default; PyTorch 1.13 has none). */
  lr: number;
  /** μ (default 0: plain SGD). */
  momentum: number;
  /** Scales the new gradient in the momentum buffer by (1 − dampening) (default 0). */
  dampening: number;
  /** λ, L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Nesterov momentum; needs momentum > 0 and dampening 0 (default false). */
  nesterov: boolean;
}

/** The state of an SGD optimizer in JSON. */
export interface SgdJson extends SgdOptions {
  kind: 'sgd';
  step: number;
}

/** SGD's hyperparameters, checked, and whether the next step is the first (the momentum buffer starts as g). */
interface SgdHyper extends SgdOptions {
  firstStep: boolean;
}

/** PyTorch's defaults. */
export const SGD_DEFAULTS: Readonly<SgdOptions> = Object.freeze({ lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false });

/**
 * Stochastic gradient descent with PyTorch's rule (`torch.optim.SGD`), for each weight w
 * with gradient ∇:
 *
 *     g = ∇ + λ w
 *     b = g on the first step, else b = μ b + (1 − dampening) g     (when μ > 0)
 *     g = g + μ b (Nesterov) or g = b                               (when μ > 0)
 *     w = w − lr g
 *
 * The momentum buffers (`optimizer.momentum_buffer.<parameter>`) exist when μ > 0 (a
 * loaded state may change μ).
 *
 * @example
 * const sgd = new Sgd(net, { lr: 0.01, momentum: 0.9, nesterov: true });
 * net.computeGradients(batch);
 * sgd.step();
 */
export class Sgd implements Optimizer {
  readonly kind = 'sgd';
  private hyper: SgdHyper;
  private steps = 0;
  private buffers: Matrix[] | null = null;

  constructor(
    private readonly model: Trainable,
    options: Partial<SgdOptions> = {},
  ) {
    this.hyper = resolveSgdHyper({ ...SGD_DEFAULTS, ...options });
    if (this.hyper.momentum > 0) this.buffers = this.allocateBuffers();
  }

  get lr(): number {
    return this.hyper.lr;
  }

  set lr(lr: number) {
    this.hyper.lr = checkNumber('learning rate', lr, 0);
  }

  get stepCount(): number {
    return this.steps;
  }

  step(): void {
    const { backend, parameters } = this.model;
    this.hyper.firstStep = this.steps === 0;
    const { lr, weightDecay, momentum, dampening, nesterov, firstStep } = this.hyper;
    for (let i = 0; i < parameters.length; i++) {
      backend.sgdUpdate(parameters[i].value, parameters[i].grad, this.buffers?.[i] ?? null, lr, weightDecay, momentum, dampening, nesterov, firstStep);
    }
    this.steps++;
  }

  state(): OptimizerState {
    const { lr, momentum, dampening, weightDecay, nesterov } = this.hyper;
    return { tensors: this.named(this.buffers), json: { kind: 'sgd', step: this.steps, lr, momentum, dampening, weightDecay, nesterov } };
  }

  loadState(state: OptimizerState): void {
    const { json } = state;
    checkStateHeader(json, 'sgd');
    const hyper = resolveSgdHyper(json);
    const buffers = hyper.momentum === 0 ? null : (this.buffers ?? this.allocateBuffers());
    loadMatrices(state.tensors, this.named(buffers));
    this.hyper = hyper;
    this.buffers = buffers;
    this.steps = json.step;
  }

  private allocateBuffers(): Matrix[] {
    const { backend, parameters } = this.model;
    return parameters.map((p) => backend.alloc(p.value.rows, p.value.cols, dtypeOf(p.value)));
  }

  private named(buffers: Matrix[] | null): NamedMatrices {
    return Object.fromEntries((buffers ?? []).map((b, i) => [stateTensorName('momentum_buffer', this.model.parameters[i]), b]));
  }
}

/** Checks SGD's hyperparameters as PyTorch does. */
function resolveSgdHyper(o: SgdOptions): SgdHyper {
  const hyper: SgdHyper = {
    lr: checkNumber('learning rate', o.lr, 0),
    momentum: checkNumber('momentum', o.momentum, 0),
    dampening: checkNumber('dampening', o.dampening, 0, 1, true),
    weightDecay: checkNumber('weight decay', o.weightDecay, 0),
    nesterov: o.nesterov,
    firstStep: true,
  };
  if (typeof hyper.nesterov !== 'boolean') throw new ReclinkError(`nesterov is ${describe(o.nesterov)}, expected true or false`, 2);
  if (hyper.nesterov && (hyper.momentum === 0 || hyper.dampening !== 0)) {
    throw new ReclinkError(
      `Nesterov momentum needs momentum > 0 and dampening 0 (as in PyTorch), got momentum ${hyper.momentum} and dampening ${hyper.dampening}`,
      2,
    );
  }
  return hyper;
}
