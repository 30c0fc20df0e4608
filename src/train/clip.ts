import { checkPositive } from '../checks.js';
import type { Trainable } from './optimizer.js';

/** The global gradient norm ‖g‖ = √(Σ_p ‖∂E/∂p‖²), over every parameter. */
export function gradNorm(model: Trainable): number {
  const { backend, parameters } = model;
  let sum = 0;
  for (const p of parameters) sum += backend.sumOfSquares(p.grad);
  return Math.sqrt(sum);
}

/**
 * Clips the gradients by their global norm, as PyTorch's `clip_grad_norm_`:
 *
 *     total = √(Σ_p ‖∂E/∂p‖²)        c = maxNorm / (total + 1e-6)
 *     every gradient ·= c, when c < 1
 *
 * Returns the total norm before clipping (NaN or ∞ when a gradient is not finite; the
 * gradients are then left as they are, for the caller to refuse the step).
 */
export function clipGradNorm(model: Trainable, maxNorm: number): number {
  checkPositive('clipping norm', maxNorm);
  const total = gradNorm(model);
  const coef = maxNorm / (total + 1e-6);
  if (Number.isFinite(total) && coef < 1) {
    for (const p of model.parameters) model.backend.scale(p.grad, coef);
  }
  return total;
}
