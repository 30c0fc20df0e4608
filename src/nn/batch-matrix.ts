import type { Backend } from '../linalg/backend.js';
import { rowRange, type DType, type Matrix } from '../linalg/matrix.js';

/**
 * An `n × cols` buffer reused from step to step: it is reallocated only when the batch
 * grows, and a smaller batch gets a view on the front of the same storage.
 */
export class BatchMatrix {
  private store: Matrix | null = null;
  private view: Matrix | null = null;

  constructor(
    private readonly backend: Backend,
    readonly cols: number,
    private readonly dtype: DType,
  ) {}

  /** The buffer for a batch of `n` rows. Its contents are whatever was last written. */
  rows(n: number): Matrix {
    if (this.view?.rows === n) return this.view;
    if (this.store === null || this.store.rows < n) this.store = this.backend.alloc(n, this.cols, this.dtype);
    this.view = n === this.store.rows ? this.store : rowRange(this.store, 0, n);
    return this.view;
  }
}
