import { jsBackend } from './js-backend.js';
import { dtypeOf, zeros, type Matrix } from './matrix.js';

// Allocating products on the plain TypeScript kernels, for code that computes a formula once
// (the errata, the derivation checker) rather than a training step.

/** A·B, a new matrix of A's element type. */
export function product(a: Matrix, b: Matrix): Matrix {
  const c = zeros(a.rows, b.cols, dtypeOf(a));
  jsBackend.matmulAB(a, b, c, false);
  return c;
}

/** A·Bᵀ. */
export function productABt(a: Matrix, b: Matrix): Matrix {
  const c = zeros(a.rows, b.rows, dtypeOf(a));
  jsBackend.matmulABt(a, b, c, false);
  return c;
}

/** Aᵀ·B. */
export function productAtB(a: Matrix, b: Matrix): Matrix {
  const c = zeros(a.cols, b.cols, dtypeOf(a));
  jsBackend.matmulAtB(a, b, c, false);
  return c;
}

/** Σ_n M[n, :], as a 1 × cols matrix. */
export function columnSums(m: Matrix): Matrix {
  const sums = zeros(1, m.cols, dtypeOf(m));
  jsBackend.columnSums(m, sums, false);
  return sums;
}

/** Mᵀ. */
export function transpose(m: Matrix): Matrix {
  const t = zeros(m.cols, m.rows, dtypeOf(m));
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) t.data[j * m.rows + i] = m.data[i * m.cols + j];
  return t;
}
