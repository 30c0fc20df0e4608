import type { Backend } from '../linalg/backend.js';
import { assertShape, type DType, type Matrix } from '../linalg/matrix.js';
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

  /** X_red = X K, for X of N × inFeatures. */
  forward(x: Matrix): Matrix {
    assertShape(x, x.rows, this.inFeatures, 'the input of the link selection');
    const out = this.outBuffer.view(x.rows);
    this.backend.gatherColumns(x, this.stride, out);
    return out;
  }

  /** G_X += G_red Kᵀ, for G_red of N × outFeatures and G_X of N × inFeatures. */
  backward(gradRed: Matrix, gradX: Matrix): void {
    assertShape(gradRed, gradRed.rows, this.outFeatures, 'the output gradient of the link selection');
    assertShape(gradX, gradRed.rows, this.inFeatures, 'the input gradient of the link selection');
    this.backend.scatterAddColumns(gradRed, this.stride, gradX);
  }
}
