import { clone, type FloatArray, type Matrix } from '../linalg/matrix.js';
import type { RecLinkNet } from '../model/reclink-net.js';
import { SquaredError, type LossReduction } from '../nn/loss.js';
import type { Random } from '../random.js';
import { ReclinkError } from '../errors.js';

/**
 * Central finite differences of a float64 model's loss on one batch: the gradient that
 * backpropagation must reproduce, computed from nothing but forward passes.
 *
 *     ∂E/∂v ≈ (E(v + h) − E(v − h)) / 2h,      h = step · max(1, |v|)
 *
 * Its error is the truncation, O(h²), plus the rounding of E, about ε·|E|/h. E sums
 * N·D squares (hundreds, for the sum-squared error), so rounding dominates small steps:
 * measured on the default network, steps of 1e-7, 1e-6, 1e-5 and 1e-4 leave errors of
 * about 1e-6, 1e-7, 1e-8 and 1e-9 of the gradient; 1e-3 brings the truncation up again
 * (1e-7 with a sigmoid output) and crosses more kinks. 1e-4 is the default.
 *
 * The network is piecewise smooth: a step that moves a ReLU pre-activation across 0
 * measures the kink, not the derivative. Such an entry is reported as `null` (skipped)
 * rather than avoided by special inputs or weights, so that the check runs on ordinary,
 * randomly initialised models, where half the units are inactive.
 *
 * The target of the loss stays the batch X given here: perturbing the input moves the
 * network's input only, so the numeric ∂E/∂X is the gradient through the network, as
 * `RecLinkNet.backward(reduction, true)` returns it.
 */
export class FiniteDifferences {
  /** The network's input, a copy of X: perturb its entries to probe ∂E/∂X. */
  readonly input: Matrix;
  private readonly lossFunction: SquaredError;

  constructor(
    private readonly net: RecLinkNet,
    private readonly target: Matrix,
    reduction: LossReduction,
    /** h relative to max(1, |v|). */
    readonly step: number,
  ) {
    if (net.dtype !== 'float64') throw new ReclinkError(`finite differences need a float64 model, got a ${net.dtype} one`);
    this.input = clone(target);
    this.lossFunction = new SquaredError(reduction, net.backend);
  }

  /** E at the current parameters and input, against the fixed target. */
  loss(): number {
    return this.lossFunction.forward(this.net.forward(this.input), this.target);
  }

  /** ∂E/∂values[index], or null when the step crosses a ReLU kink. `values` is restored. */
  at(values: FloatArray, index: number): number | null {
    const v = values[index];
    const h = this.step * Math.max(1, Math.abs(v));
    values[index] = v + h;
    const lossPlus = this.loss();
    const signsPlus = reluSigns(this.net);
    values[index] = v - h;
    const lossMinus = this.loss();
    const signsMinus = reluSigns(this.net);
    values[index] = v;
    return sameSigns(signsPlus, signsMinus) ? (lossPlus - lossMinus) / (2 * h) : null;
  }

  /**
   * Numeric derivatives of entries of `values`, drawn in a seeded random order until `count`
   * of them are non-zero or every entry has been drawn. Entries at a kink are skipped.
   *
   * A difference quotient of exactly 0 means the entry reaches the loss only through
   * inactive units (or multiplies inputs that are 0): both passes give the same loss bit
   * for bit. Such entries are kept, since backpropagation must give 0 there too, but do not
   * count, so that a tensor whose units are mostly inactive is still checked on `count`
   * entries that carry a derivative.
   */
  sample(values: FloatArray, count: number, random: Random): NumericSample {
    const order = random.shuffle(Array.from({ length: values.length }, (_, i) => i));
    const sample: NumericSample = { indices: [], numeric: [], nonZero: 0, skipped: 0 };
    for (const index of order) {
      if (sample.nonZero === count) break;
      const numeric = this.at(values, index);
      if (numeric === null) {
        sample.skipped++;
        continue;
      }
      sample.indices.push(index);
      sample.numeric.push(numeric);
      if (numeric !== 0) sample.nonZero++;
    }
    return sample;
  }
}

/** Entries of one tensor and their numeric derivatives. */
export interface NumericSample {
  indices: number[];
  numeric: number[];
  /** Entries among `indices` whose numeric derivative is not 0. */
  nonZero: number;
  /** Entries passed over because the step crossed a ReLU kink. */
  skipped: number;
}

/** Signs of every ReLU pre-activation of the last forward pass (1: active). */
function reluSigns(net: RecLinkNet): Uint8Array {
  const layers = [net.input, net.link, ...net.rec.cells, ...(net.output.activation === 'relu' ? [net.output] : [])];
  const signs: number[] = [];
  for (const layer of layers) for (const a of layer.a.data) signs.push(a > 0 ? 1 : 0);
  return Uint8Array.from(signs);
}

function sameSigns(a: Uint8Array, b: Uint8Array): boolean {
  return a.every((sign, i) => sign === b[i]);
}
