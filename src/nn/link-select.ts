import type { Backend } from '../linalg/backend.js';
import type { DType, Matrix } from '../linalg/matrix.js';
import { BatchMatrix } from './batch-matrix.js';

/**
 * The exercise's X_reduce: every `stride`-th input, X_red = X K with K[s·j, j] = 1.
 * K is never built; the columns are gathered, and the gradient scattered back:
 *
 *     X_red[n, j] = X[n, s·j]           G_X[n, s·j] += G_red[n, j]
 *
 * The width is ⌈inputSize / stride⌉ (erratum 1 of docs/derivation.md: all 75 columns, not 74).
 */
export class LinkSelect {
  readonly outFeatures: number;
  private readonly outBuffer: BatchMatrix;

  constructor(
    readonly inFeatures: number,
    readonly stride: number,
    private readonly backend: Backend,
    dtype: DType,
  ) {
    this.outFeatures = Math.ceil(inFeatures / stride);
    this.outBuffer = new BatchMatrix(backend, this.outFeatures, dtype);
  }

  /** X_red = X K. */
  forward(x: Matrix): Matrix {
    const out = this.outBuffer.view(x.rows);
    this.backend.gatherColumns(x, this.stride, out);
    return out;
  }

  /** G_X += G_red Kᵀ. */
  backward(gradRed: Matrix, gradX: Matrix): void {
    this.backend.scatterAddColumns(gradRed, this.stride, gradX);
  }
}
