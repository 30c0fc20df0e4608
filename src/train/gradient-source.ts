import type { Matrix } from '../linalg/matrix.js';
import type { RecLinkNet } from '../model/reclink-net.js';
import type { LossReduction } from '../nn/loss.js';

/** What computes a training step's gradients: the model itself, or a `DataParallel` over it. */
export interface GradientSource {
  /** The model whose gradients are set. */
  readonly net: RecLinkNet;
  /** Sets the model's gradients to ∂E/∂θ of the batch X (whatever they held before); returns E. */
  computeGradients(x: Matrix, reduction?: LossReduction): { loss: number };
}
