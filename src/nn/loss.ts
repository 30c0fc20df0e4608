import type { Backend } from '../linalg/backend.js';
import { assertShape, type Matrix } from '../linalg/matrix.js';
import { ReclinkError } from '../errors.js';

/** `sum`: the exercise's sum-squared error; `mean`: divided by N·D, as PyTorch's MSELoss. */
export type LossReduction = 'sum' | 'mean';

/**
 * The reconstruction loss; the target is the input itself:
 *
 *     E = Σ_n Σ_k (x_nk − y_nk)²          G_Y = ∂E/∂Y = 2 (Y − X)
 *
 * (erratum 6 of docs/derivation.md: the sign is (Y − X); the exercise's 2 Σ (x − y) climbs the loss.)
 * With `mean`, E and G_Y are divided by the number of elements N·D.
 */
export class SquaredError {
  constructor(
    readonly reduction: LossReduction,
    private readonly backend: Backend,
  ) {}

  /**
   * E for outputs Y against targets X. `batchRows` is the N a mean divides by: Y's rows,
   * or the whole batch's when Y holds a slice of it (a sum does not use it).
   */
  forward(y: Matrix, target: Matrix, batchRows = y.rows): number {
    assertShape(target, y.rows, y.cols, 'the target of the loss');
    return this.backend.squaredError(y, target) * this.scale(y, batchRows);
  }

  /** G_Y = 2 (Y − X) · scale, written (not added) into `gradY`: the loss is the graph's root. */
  backward(y: Matrix, target: Matrix, gradY: Matrix, batchRows = y.rows): void {
    assertShape(target, y.rows, y.cols, 'the target of the loss');
    assertShape(gradY, y.rows, y.cols, 'the output gradient of the loss');
    this.backend.squaredErrorGradient(y, target, 2 * this.scale(y, batchRows), gradY);
  }

  private scale(y: Matrix, batchRows: number): number {
    if (!Number.isInteger(batchRows) || batchRows < y.rows) {
      throw new ReclinkError(`batchRows is ${batchRows}, expected an integer of at least the ${y.rows} rows given`);
    }
    return this.reduction === 'sum' ? 1 : 1 / (batchRows * y.cols);
  }
}
