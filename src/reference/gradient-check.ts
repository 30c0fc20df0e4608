import type { FloatArray, Matrix } from '../linalg/matrix.js';
import type { RecLinkNet } from '../model/reclink-net.js';
import type { LossReduction } from '../nn/loss.js';
import { Random } from '../random.js';
import { FiniteDifferences } from './finite-difference.js';

/** How `gradientCheck` samples and steps. */
export interface GradientCheckOptions {
  reduction: LossReduction;
  /** Entries compared per tensor (all of them when the tensor is smaller). */
  entries: number;
  /** Seed of the order in which entries are sampled. */
  seed: number;
  /** Finite-difference step, relative to max(1, |v|). */
  step: number;
}

/** Defaults: the sum-squared error, 12 entries a tensor, a step of 1e-4 (see `FiniteDifferences`). */
export const DEFAULT_GRADIENT_CHECK: Readonly<GradientCheckOptions> = Object.freeze({ reduction: 'sum', entries: 12, seed: 0, step: 1e-4 });

/** Backpropagation against finite differences for one tensor. */
export interface TensorCheck {
  /** A parameter name, or `input` for ∂E/∂X. */
  name: string;
  /** Entries compared. */
  checked: number;
  /** Entries passed over because the step crossed a ReLU kink. */
  skipped: number;
  /**
   * max |backprop − numeric| over the compared entries, divided by the largest |∂E/∂v| of
   * the whole tensor: an error relative to the tensor's scale, which stays meaningful for
   * entries that are small or zero (inactive units).
   */
  error: number;
}

/**
 * Checks ∂E/∂θ of every parameter, and ∂E/∂X, of a float64 model on the batch X against
 * central finite differences (see `FiniteDifferences`), on a seeded sample of entries.
 */
export function gradientCheck(net: RecLinkNet, x: Matrix, options: Partial<GradientCheckOptions> = {}): TensorCheck[] {
  const { reduction, entries, seed, step } = { ...DEFAULT_GRADIENT_CHECK, ...options };
  const { inputGradient } = net.computeGradients(x, reduction, true);
  if (inputGradient === null) throw new Error('the model returned no input gradient');
  const finite = new FiniteDifferences(net, x, reduction, step);
  const tensors = [
    ...net.parameters.map((p) => ({ name: p.name, values: p.value.data, analytic: p.grad.data.slice() })),
    { name: 'input', values: finite.input.data, analytic: inputGradient.data.slice() },
  ];
  const random = Random.fromSeed(seed);
  return tensors.map(({ name, values, analytic }) => checkTensor(name, values, analytic, finite, entries, random));
}

function checkTensor(name: string, values: FloatArray, analytic: FloatArray, finite: FiniteDifferences, entries: number, random: Random): TensorCheck {
  const { indices, numeric, skipped } = finite.sample(values, entries, random);
  let scale = 0;
  for (const g of analytic) scale = Math.max(scale, Math.abs(g));
  const worst = indices.reduce((max, index, k) => Math.max(max, Math.abs(analytic[index] - numeric[k])), 0);
  return { name, checked: indices.length, skipped, error: scale > 0 ? worst / scale : worst };
}
