import type { Backend } from '../linalg/backend.js';
import type { Matrix } from '../linalg/matrix.js';

/** `sum`: the exercise's sum-squared error; `mean`: divided by N·D, as PyTorch's MSELoss. */
export type LossReduction = 'sum' | 'mean';

/**
 * The reconstruction loss; the target is the input itself:
 *
 *     E = Σ_n Σ_k (x_nk − y_nk)²          G_Y = ∂E/∂Y = 2 (Y − X)
 *
 * (SPEC erratum 6: the sign is (Y − X); the exercise's 2 Σ (x − y) climbs the loss.)
 * With `mean`, E and G_Y are divided by the number of elements N·D.
 */
export class SquaredError {
  constructor(
    readonly reduction: LossReduction,
    private readonly backend: Backend,
  ) {}

  /** E for outputs Y against targets X. */
  forward(y: Matrix, target: Matrix): number {
    return this.backend.squaredError(y, target) * this.scale(y);
  }

  /** G_Y = 2 (Y − X) · scale, written (not added) into `gradY`: the loss is the graph's root. */
  backward(y: Matrix, target: Matrix, gradY: Matrix): void {
    this.backend.squaredErrorGradient(y, target, 2 * this.scale(y), gradY);
  }

  private scale(y: Matrix): number {
    return this.reduction === 'sum' ? 1 : 1 / (y.rows * y.cols);
  }
}
