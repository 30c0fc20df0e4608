import type { Backend } from '../linalg/backend.js';
import { rowRange, type DType, type Matrix } from '../linalg/matrix.js';

/** Views kept per buffer (a batch, its last smaller batch, its slices, an evaluation's). */
const MAX_VIEWS = 8;

/**
 * An `n × cols` buffer reused from step to step: it is reallocated only when the batch
 * grows, and a smaller batch gets a view on the front of the same storage.
 */
export class BatchMatrix {
  private store: Matrix | null = null;
  /** Views on `store` by row count: slices of a batch alternate between two sizes. */
  private readonly views = new Map<number, Matrix>();

  constructor(
    private readonly backend: Backend,
    readonly cols: number,
    private readonly dtype: DType,
  ) {}

  /** The buffer as a batch of `n` rows (a view on its storage). Its contents are whatever was last written. */
  view(n: number): Matrix {
    const view = this.views.get(n);
    if (view) return view;
    if (this.store === null || this.store.rows < n) {
      this.store = this.backend.alloc(n, this.cols, this.dtype);
      this.views.clear();
    }
    if (this.views.size >= MAX_VIEWS) this.views.clear();
    const fresh = n === this.store.rows ? this.store : rowRange(this.store, 0, n);
    this.views.set(n, fresh);
    return fresh;
  }
}
