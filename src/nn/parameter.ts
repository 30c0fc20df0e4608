import type { Matrix } from '../linalg/matrix.js';

/**
 * A trainable tensor and its gradient, named as PyTorch names it (`input.weight`,
 * `rec.bias`, ...). Weights are `out × in`; a bias is `1 × out`.
 */
export interface Parameter {
  readonly name: string;
  readonly value: Matrix;
  /** ∂E/∂value, accumulated by every backward pass until zeroed. */
  readonly grad: Matrix;
}
