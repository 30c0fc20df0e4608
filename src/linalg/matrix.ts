/** Element storage of a matrix: float32 for training, float64 for gradient checks. */
export type FloatArray = Float32Array | Float64Array;
import { ReclinkError } from '../errors.js';

/** The element type of a matrix. */
export type DType = 'float32' | 'float64';

/**
 * A dense row-major matrix: element (i, j) is `data[i * cols + j]`.
 * A vector (a bias) is a 1 × n matrix.
 */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: FloatArray;
}

/** Allocates a zeroed `rows × cols` matrix of the given element type. */
export function zeros(rows: number, cols: number, dtype: DType = 'float32'): Matrix {
  const data = dtype === 'float64' ? new Float64Array(rows * cols) : new Float32Array(rows * cols);
  return { rows, cols, data };
}

/** Builds a `rows × cols` matrix from row-major values, checking their count. */
export function fromValues(rows: number, cols: number, values: ArrayLike<number>, dtype: DType = 'float32'): Matrix {
  if (values.length !== rows * cols) {
    throw new ReclinkError(`expected ${rows * cols} values for a ${rows}x${cols} matrix, got ${values.length}`);
  }
  const m = zeros(rows, cols, dtype);
  m.data.set(values);
  return m;
}

/** The element type of a matrix's storage. */
export function dtypeOf(m: Matrix): DType {
  return m.data instanceof Float64Array ? 'float64' : 'float32';
}

/** A copy of `m`, optionally converted to another element type. */
export function clone(m: Matrix, dtype: DType = dtypeOf(m)): Matrix {
  return fromValues(m.rows, m.cols, m.data, dtype);
}

/** Rows `first` to `end − 1` of `m`, sharing its storage. */
export function rowRange(m: Matrix, first: number, end: number): Matrix {
  return { rows: end - first, cols: m.cols, data: m.data.subarray(first * m.cols, end * m.cols) };
}

/** The first `n` rows of `m` (all of them when it has fewer), sharing its storage. */
export function firstRows(m: Matrix, n: number): Matrix {
  return rowRange(m, 0, Math.min(n, m.rows));
}

/**
 * Throws unless `m` is `rows × cols`; `what` names the matrix in the message (a function:
 * the name is built only for the message, so that a check on a hot path costs two compares).
 */
export function assertShape(m: Matrix, rows: number, cols: number, what: string | (() => string)): void {
  if (m.rows !== rows || m.cols !== cols) {
    throw new ReclinkError(`${typeof what === 'string' ? what : what()} is ${m.rows}x${m.cols}, expected ${rows}x${cols}`);
  }
}
