import { checkPositive } from '../checks.js';
import type { Trainable } from './optimizer.js';

/** √(Σ_p ‖t_p‖²), where t_p is `tensor` of each parameter p: its gradient or its value. */
export function globalNorm(model: Trainable, tensor: 'grad' | 'value'): number {
  const { backend, parameters } = model;
  let sum = 0;
  for (const p of parameters) sum += backend.sumOfSquares(p[tensor]);
  return Math.sqrt(sum);
}

/** The global gradient norm ‖g‖ = √(Σ_p ‖∂E/∂p‖²), over every parameter. */
export function gradNorm(model: Trainable): number {
  return globalNorm(model, 'grad');
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
