import type { FloatArray, Matrix } from '../linalg/matrix.js';
import type { RecLinkNet } from '../model/reclink-net.js';
import type { LossReduction } from '../nn/loss.js';
import { Random } from '../random.js';
import { FiniteDifferences } from './finite-difference.js';
import { InternalError } from '../errors.js';

/** How `gradientCheck` samples and steps. */
export interface GradientCheckOptions {
  reduction: LossReduction;
  /**
   * Entries with a non-zero numeric derivative to compare per tensor; entries are drawn until
   * this many are found or the tensor is exhausted (see `FiniteDifferences.sample`).
   */
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
  /**
   * Entries compared whose numeric derivative is not 0: the requested `entries`, unless the
   * tensor has fewer (then `exhausted`). A caller must check it: a tensor checked on too
   * few entries says little.
   */
  checked: number;
  /** Entries also compared whose numeric derivative is exactly 0 (inactive units, zero inputs). */
  zero: number;
  /** Entries passed over because the step crossed a ReLU kink. */
  skipped: number;
  /** Whether every entry of the tensor was drawn before `entries` non-zero derivatives were found. */
  exhausted: boolean;
  /**
   * max |backprop − numeric| over the compared entries, divided by the largest |numeric| among
   * them: relative to the finite differences, never to the gradient under test. The scale is
   * the largest of `checked` non-zero derivatives, so that no single small one is the
   * denominator; with none (every numeric derivative 0), the error is 0 if backpropagation
   * gives 0 too, else infinite.
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
  if (inputGradient === null) throw new InternalError('the model returned no input gradient');
  const finite = new FiniteDifferences(net, x, reduction, step);
  const tensors = [
    ...net.parameters.map((p) => ({ name: p.name, values: p.value.data, analytic: p.grad.data.slice() })),
    { name: 'input', values: finite.input.data, analytic: inputGradient.data.slice() },
  ];
  const random = Random.fromSeed(seed);
  return tensors.map(({ name, values, analytic }) => checkTensor(name, values, analytic, finite, entries, random));
}

function checkTensor(name: string, values: FloatArray, analytic: FloatArray, finite: FiniteDifferences, entries: number, random: Random): TensorCheck {
  const { indices, numeric, nonZero, skipped } = finite.sample(values, entries, random);
  let worst = 0, scale = 0;
  indices.forEach((index, k) => {
    worst = Math.max(worst, Math.abs(analytic[index] - numeric[k]));
    scale = Math.max(scale, Math.abs(numeric[k]));
  });
  const error = scale > 0 ? worst / scale : worst === 0 ? 0 : Infinity;
  const exhausted = nonZero < entries && indices.length + skipped === values.length;
  return { name, checked: nonZero, zero: indices.length - nonZero, skipped, exhausted, error };
}
