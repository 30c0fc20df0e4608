import { ReclinkError } from '../errors.js';
import { describe } from '../io/describe.js';
import { dtypeOf, zeros, type Matrix } from '../linalg/matrix.js';

/** How samples are scaled before the model sees them. */
export type NormalizationName = 'none' | 'minmax' | 'standardize';

/** Every normalisation, in the order a help text lists them. */
export const NORMALIZATIONS: readonly NormalizationName[] = ['none', 'minmax', 'standardize'];

/** A fitted normaliser as plain JSON, as a checkpoint's metadata stores it. */
export type NormalizerJSON =
  | { readonly kind: 'none' }
  | { readonly kind: 'minmax'; readonly min: number; readonly max: number }
  | { readonly kind: 'standardize'; readonly mean: number; readonly std: number };

/**
 * A normalisation fitted on training data and applied to any data: x ↦ (x − shift) / scale
 * with one shift and one scale for all values (global statistics keep an image an image,
 * and the map is inverted exactly for display):
 *
 * - `none`: shift 0, scale 1;
 * - `minmax`: shift min, scale max − min, so the training data spans [0, 1];
 * - `standardize`: shift mean, scale the population standard deviation, so the training
 *   data has mean 0 and variance 1.
 *
 * A zero scale (constant data) is taken as 1: constant data is shifted, never divided by zero.
 */
export class Normalizer {
  /** What is subtracted from every value. */
  readonly shift: number;
  /** What the shifted values are divided by (never 0). */
  readonly scale: number;

  private constructor(private readonly fitted: NormalizerJSON) {
    const [shift, spread] = shiftAndSpread(fitted);
    this.shift = shift;
    this.scale = spread > 0 ? spread : 1;
  }

  /** The normaliser of `kind` fitted on the values of `x` (the training data). */
  static fit(kind: NormalizationName, x: Matrix): Normalizer {
    if (kind === 'none') return new Normalizer({ kind });
    if (x.data.length === 0) throw new ReclinkError('cannot fit a normaliser on no data, expected at least one sample');
    if (kind === 'minmax') {
      let min = Infinity, max = -Infinity;
      for (const v of x.data) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      return new Normalizer({ kind, min, max });
    }
    let sum = 0;
    for (const v of x.data) sum += v;
    const mean = sum / x.data.length;
    let squares = 0;
    for (const v of x.data) squares += (v - mean) ** 2;
    return new Normalizer({ kind, mean, std: Math.sqrt(squares / x.data.length) });
  }

  /** The normaliser that `toJSON` gave, checked (it comes from a checkpoint file). */
  static fromJSON(json: unknown): Normalizer {
    if (!isNormalizerJSON(json)) {
      throw new ReclinkError(
        `normaliser ${describe(json)} is not valid, expected {"kind": "none"}, ` +
          '{"kind": "minmax", "min", "max"} or {"kind": "standardize", "mean", "std"} with finite numbers',
      );
    }
    return new Normalizer(json);
  }

  /** Which normalisation this is. */
  get kind(): NormalizationName {
    return this.fitted.kind;
  }

  /** The fitted statistics as plain JSON. */
  toJSON(): NormalizerJSON {
    return this.fitted;
  }

  /** (x − shift) / scale, a new matrix of x's type; throws when a value leaves the finite range. */
  apply(x: Matrix): Matrix {
    return this.map(x, (v) => (v - this.shift) / this.scale);
  }

  /** y · scale + shift: normalised values (a reconstruction) back in the data's units. */
  invert(y: Matrix): Matrix {
    return this.map(y, (v) => v * this.scale + this.shift);
  }

  private map(m: Matrix, f: (v: number) => number): Matrix {
    const out = zeros(m.rows, m.cols, dtypeOf(m));
    for (let i = 0; i < m.data.length; i++) out.data[i] = f(m.data[i]);
    const bad = out.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      const row = Math.floor(bad / m.cols) + 1;
      throw new ReclinkError(
        `value ${m.data[bad]} of row ${row} becomes ${out.data[bad]} under the ${this.kind} normaliser, expected a finite number`,
      );
    }
    return out;
  }
}

function shiftAndSpread(fitted: NormalizerJSON): [number, number] {
  switch (fitted.kind) {
    case 'none':
      return [0, 1];
    case 'minmax':
      return [fitted.min, fitted.max - fitted.min];
    case 'standardize':
      return [fitted.mean, fitted.std];
  }
}

function isNormalizerJSON(json: unknown): json is NormalizerJSON {
  if (typeof json !== 'object' || json === null) return false;
  const fields = json as Record<string, unknown>;
  /** The field's value when it is a finite number, else NaN (which fails every comparison). */
  const finite = (key: string): number => {
    const value = fields[key];
    return typeof value === 'number' && Number.isFinite(value) ? value : NaN;
  };
  switch (fields.kind) {
    case 'none':
      return true;
    case 'minmax':
      return finite('min') <= finite('max');
    case 'standardize':
      return Number.isFinite(finite('mean')) && finite('std') >= 0;
    default:
      return false;
  }
}
