import type { Normalizer } from '../data/normalize.js';
import { ReclinkError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import type { RecLinkNet } from '../model/reclink-net.js';
import { reconstruct } from './reconstruction.js';

/** The quantiles of the training samples' errors that `reclink train` records with a model. */
export const RECORDED_QUANTILES = [0.5, 0.9, 0.99, 0.999] as const;

/** The quantile of training errors that `reclink score` flags above, by default. */
export const DEFAULT_QUANTILE = 0.99;

/**
 * Quantiles of the per-sample errors of the samples a model was trained on, with the
 * model: `quantiles["0.99"]` is the SSE that 99 % of those samples do not exceed.
 */
export interface ErrorQuantiles {
  /** How many samples the quantiles were taken over. */
  samples: number;
  /** q (as a decimal string, `"0.99"`) ↦ the q-quantile of the samples' SSE, in the data's units. */
  quantiles: Record<string, number>;
}

/** One sample's reconstruction error, as `reclink score` writes it. */
export interface SampleScore {
  /** The sample's row in the data (0-based). */
  index: number;
  /** Σ_k (x_k − y_k)², in the data's units. */
  sse: number;
  /** sse / D. */
  msePerPixel: number;
  /** sse above the threshold. */
  outlier: boolean;
}

/**
 * Every row's sum-squared reconstruction error Σ_k (x_nk − y_nk)², in the data's units
 * (the normaliser is applied to x and inverted on the reconstruction, as `eval` does).
 */
export function sampleErrors(net: RecLinkNet, x: Matrix, normalizer: Normalizer): Float64Array {
  const y = reconstruct(net, x, normalizer);
  const errors = new Float64Array(x.rows);
  for (let n = 0; n < x.rows; n++) {
    let sse = 0;
    for (let k = n * x.cols; k < (n + 1) * x.cols; k++) sse += (x.data[k] - y.data[k]) ** 2;
    if (!Number.isFinite(sse)) throw new ReclinkError(`the reconstruction error of sample ${n} is not finite (${sse}): the model's weights or the data are out of range`);
    errors[n] = sse;
  }
  return errors;
}

/**
 * The q-quantile of `values` by linear interpolation between order statistics (NumPy's
 * default, "type 7"): position q·(n − 1) in the sorted values.
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new ReclinkError('no values to take a quantile of');
  if (!(q >= 0 && q <= 1)) throw new ReclinkError(`quantile ${q} is not in [0, 1]`, 2);
  const sorted = Float64Array.from(values).sort();
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}

/** The `RECORDED_QUANTILES` of `errors` (the training samples' SSE). */
export function errorQuantiles(errors: ArrayLike<number>): ErrorQuantiles {
  return { samples: errors.length, quantiles: Object.fromEntries(RECORDED_QUANTILES.map((q) => [String(q), quantile(errors, q)])) };
}

/**
 * The recorded q-quantile of training errors, the threshold `reclink score --quantile q`
 * flags above; a q that was not recorded is refused, naming those that were.
 */
export function recordedThreshold(recorded: ErrorQuantiles, q: number): number {
  const value = recorded.quantiles[String(q)];
  if (value === undefined) {
    throw new ReclinkError(`quantile ${q} was not recorded with the model, expected one of ${Object.keys(recorded.quantiles).join(', ')} (or give --threshold)`, 2);
  }
  return value;
}

/** Each row's score: its error, per pixel, and whether it lies above `threshold`. */
export function scoreSamples(errors: Float64Array, inputSize: number, threshold: number): SampleScore[] {
  return Array.from(errors, (sse, index) => ({ index, sse, msePerPixel: sse / inputSize, outlier: sse > threshold }));
}

/**
 * Checks quantiles read from a file: known levels, finite, not negative, and not decreasing
 * with q; `source` names the file in the error.
 */
export function checkErrorQuantiles(value: unknown, source: string): ErrorQuantiles {
  const fail = (what: string): ReclinkError => new ReclinkError(`${source}: the recorded error quantiles ${what}`);
  if (typeof value !== 'object' || value === null) throw fail('are not a JSON object');
  const { samples, quantiles } = value as Record<string, unknown>;
  if (!Number.isSafeInteger(samples) || (samples as number) < 1) throw fail('do not say over how many samples they were taken');
  if (typeof quantiles !== 'object' || quantiles === null) throw fail('have no quantiles');
  const entries = Object.entries(quantiles).map(([q, v]) => [Number(q), v] as const).sort(([a], [b]) => a - b);
  let previous = 0;
  for (const [q, v] of entries) {
    if (!(q >= 0 && q <= 1)) throw fail(`name a level ${q}, expected levels in [0, 1]`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < previous) throw fail(`give ${v} at ${q}, expected finite errors ≥ 0 that do not decrease with the level`);
    previous = v;
  }
  return { samples: samples as number, quantiles: Object.fromEntries(entries.map(([q, v]) => [String(q), v as number])) };
}
