import type { Matrix } from '../linalg/matrix.js';
import type { Value } from './language.js';

/** `4 × 75`, or `a vector of 75`, or what the value is. */
export function describeValue(value: Value): string {
  if (value.kind === 'number') return 'a number';
  if (value.kind === 'other') return value.description;
  return value.shape.length === 1 ? `a vector of ${value.shape[0]}` : value.shape.join(' × ');
}

/** `75 × 225`; a single row also as `(or a vector of n)`. */
export function describeExpected(m: Matrix): string {
  return m.rows === 1 ? `1 × ${m.cols} (or a vector of ${m.cols})` : `${m.rows} × ${m.cols}`;
}

/** The value's entries when it has the matrix's shape (a vector of n stands for 1 × n), else null. */
export function entriesShaped(value: Value, m: Matrix): Float64Array | null {
  if (value.kind === 'number') return m.data.length === 1 ? Float64Array.of(value.value) : null;
  if (value.kind !== 'tensor') return null;
  const [rows, cols] = value.shape.length === 1 ? [1, value.shape[0]] : value.shape;
  return rows === m.rows && cols === m.cols ? value.data : null;
}

/** max|a − b| / max|b|: 0 when both are 0, Infinity when only b is; NaN when a has a NaN. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let delta = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (Number.isNaN(d)) return NaN;
    delta = Math.max(delta, d);
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return delta === 0 ? 0 : delta / scale;
}

/** A relative error as JSON carries it: null when it is not a finite number. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
