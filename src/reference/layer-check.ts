import type { Matrix } from '../linalg/matrix.js';
import { ReclinkError } from '../errors.js';
import { Random } from '../random.js';
import { randomMatrix } from './random-matrix.js';

/**
 * One layer as `checkLayer` sees it: a function of some float64 tensors (its inputs and its
 * parameters' values), and the backward pass that claims to give its derivatives.
 */
export interface LayerUnderCheck {
  /** The tensors the output depends on, perturbed in place by the check. */
  readonly tensors: readonly { readonly name: string; readonly value: Matrix }[];
  /** A fresh forward pass on the current values of `tensors`. */
  forward(): Matrix;
  /**
   * Backpropagates ∂L/∂output = `gradOut` through the last forward pass; returns ∂L/∂t for
   * each of `tensors`, in their order, counting only this pass (gradients zeroed before it).
   */
  backward(gradOut: Matrix): Matrix[];
}

/** How `checkLayer` samples and steps. */
export interface LayerCheckOptions {
  /** Entries compared per tensor (all of them when it has fewer). Default 20. */
  entries: number;
  /** Seed of the output weighting and of the entries drawn. Default 0. */
  seed: number;
  /** Finite-difference step, relative to max(1, |v|). Default 1e-6. */
  step: number;
}

/** Backpropagation against finite differences for one tensor of a layer. */
export interface LayerTensorCheck {
  name: string;
  /** Entries compared. */
  checked: number;
  /** Entries passed over because the step crossed a kink (a ReLU at 0). */
  skipped: number;
  /** max |analytic − numeric| / max(1, |numeric|) over the entries compared. */
  maxError: number;
}

const DEFAULTS: LayerCheckOptions = { entries: 20, seed: 0, step: 1e-6 };

/**
 * Checks one layer's backward pass on its own, so that a wrong term is found in the layer
 * that has it. The layer's output Y is reduced to the scalar L = Σ R ⊙ Y with a fixed random
 * R, so that every output entry counts with its own weight; then for sampled entries v of
 * each tensor the analytic ∂L/∂v = backward(R) is compared with the central difference
 *
 *     ∂L/∂v ≈ (L(v + h) − L(v − h)) / 2h,      h = step · max(1, |v|)
 *
 * An entry whose two one-sided differences disagree sits on a kink and is skipped.
 */
export function checkLayer(layer: LayerUnderCheck, options: Partial<LayerCheckOptions> = {}): LayerTensorCheck[] {
  const { entries, seed, step } = { ...DEFAULTS, ...options };
  for (const t of layer.tensors) {
    if (!(t.value.data instanceof Float64Array)) throw new ReclinkError(`${t.name} is float32, expected a float64 tensor for finite differences`);
  }
  const random = Random.fromSeed(seed);
  const y = layer.forward();
  const weighting = randomMatrix(y.rows, y.cols, random);
  const analytic = layer.backward(weighting).map((g) => Float64Array.from(g.data));
  const objective = (): number => {
    const out = layer.forward().data;
    let sum = 0;
    for (let i = 0; i < out.length; i++) sum += weighting.data[i] * out[i];
    return sum;
  };
  return layer.tensors.map((t, k) => {
    const check: LayerTensorCheck = { name: t.name, checked: 0, skipped: 0, maxError: 0 };
    const order = random.shuffle(Array.from({ length: t.value.data.length }, (_, i) => i));
    for (const index of order.slice(0, entries)) {
      const numeric = centralDifference(objective, t.value.data, index, step);
      if (numeric === null) {
        check.skipped++;
        continue;
      }
      check.checked++;
      check.maxError = Math.max(check.maxError, Math.abs(analytic[k][index] - numeric) / Math.max(1, Math.abs(numeric)));
    }
    return check;
  });
}

/** (L(v + h) − L(v − h)) / 2h, or null when the one-sided differences disagree (a kink). `values` is restored. */
function centralDifference(objective: () => number, values: Matrix['data'], index: number, step: number): number | null {
  const v = values[index];
  const h = step * Math.max(1, Math.abs(v));
  const at = (x: number): number => {
    values[index] = x;
    return objective();
  };
  const plus = at(v + h), minus = at(v - h), centre = at(v);
  const forward = (plus - centre) / h, backward = (centre - minus) / h;
  if (Math.abs(forward - backward) > 1e-4 * Math.max(1, Math.abs(forward), Math.abs(backward))) return null;
  return (plus - minus) / (2 * h);
}
