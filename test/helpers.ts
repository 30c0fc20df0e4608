import { fromValues, type DType, type Matrix } from '../src/linalg/matrix.js';
import type { Rows } from '../src/reference/scalar.js';

export { randomMatrix } from '../src/reference/random-matrix.js';
export { referenceParameters, toRows } from '../src/reference/scalar.js';

/** Rows as a matrix. */
export function fromRows(rows: Rows, dtype: DType = 'float64'): Matrix {
  return fromValues(rows.length, rows[0].length, rows.flat(), dtype);
}

/** max |a − b| / max(max |b|, tiny): one relative error for a whole tensor. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let diff = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / Math.max(scale, 1e-30);
}
