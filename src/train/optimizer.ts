import type { Backend } from '../linalg/backend.js';
import { ReclinkError } from '../errors.js';
import { show } from '../checks.js';
import type { Parameter } from '../nn/parameter.js';
import type { AdamJson } from './adam.js';
import type { SgdJson } from './sgd.js';
import type { NamedMatrices } from './tensors.js';

/** The optimizers, named as `torch.optim` names them (lower case). */
export type OptimizerKind = 'sgd' | 'adam' | 'adamw';

/** What an optimizer updates: parameters living in a backend's memory (a `RecLinkNet` is one). */
export interface Trainable {
  readonly parameters: readonly Parameter[];
  readonly backend: Backend;
}

/** The JSON half of an optimizer's state: its kind, step count and hyperparameters. */
export type OptimizerJson = SgdJson | AdamJson;

/**
 * An optimizer's state, as a checkpoint carries it. Tensors are named after PyTorch's state
 * keys and the parameter: `optimizer.exp_avg.input.weight`, `optimizer.momentum_buffer.rec.bias`.
 */
export interface OptimizerState {
  /** The optimizer's own buffers (not copies: valid until the next step). */
  tensors: NamedMatrices;
  json: OptimizerJson;
}

/**
 * A `torch.optim` optimizer over a fixed list of parameters. Its per-parameter state is
 * allocated once, in the parameters' backend, and every update is a backend kernel.
 */
export interface Optimizer {
  readonly kind: OptimizerKind;
  /** The learning rate of the next step; a schedule may set it before every step. */
  lr: number;
  /** Updates made so far. */
  readonly stepCount: number;
  /** Updates every parameter from its `.grad`. */
  step(): void;
  /** The state to save: step count, hyperparameters and buffers. */
  state(): OptimizerState;
  /**
   * Continues from a saved state: copies its buffers and adopts its step count and
   * hyperparameters (as PyTorch's `load_state_dict` does).
   */
  loadState(state: OptimizerState): void;
}

/** The name of an optimizer buffer of `parameter` in a state: `optimizer.<key>.<parameter>`. */
export function stateTensorName(key: string, parameter: Parameter): string {
  return `optimizer.${key}.${parameter.name}`;
}

/** Checks that a saved state is of `kind` and that its step count is an integer ≥ 0. */
export function checkStateHeader<K extends OptimizerKind>(json: OptimizerJson, kind: K): asserts json is OptimizerJson & { kind: K } {
  if (json.kind !== kind) throw new ReclinkError(`the optimizer state is for ${show(json.kind)}, expected ${kind}`);
  if (!Number.isSafeInteger(json.step) || json.step < 0) {
    throw new ReclinkError(`the optimizer state's step is ${show(json.step)}, expected an integer ≥ 0`);
  }
}
