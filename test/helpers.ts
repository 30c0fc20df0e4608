import { fromValues, type DType, type Matrix } from '../src/linalg/matrix.js';
import type { RecLinkNet } from '../src/model/reclink-net.js';
import type { ReferenceParameters, Rows } from '../src/reference/scalar.js';

export { randomMatrix } from '../src/reference/random-matrix.js';

/** A matrix as float64 rows. */
export function toRows(m: Matrix): Rows {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}

/** Rows as a matrix. */
export function fromRows(rows: Rows, dtype: DType = 'float64'): Matrix {
  return fromValues(rows.length, rows[0].length, rows.flat(), dtype);
}

/** The model's parameters as the reference takes them. */
export function referenceParameters(net: RecLinkNet): ReferenceParameters {
  return Object.fromEntries(net.parameters.map((p) => [p.name, toRows(p.value)]));
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
