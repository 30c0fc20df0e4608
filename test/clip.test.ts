import { describe, expect, it } from 'vitest';
import { jsBackend } from '../src/linalg/js-backend.js';
import { fromValues } from '../src/linalg/matrix.js';
import type { Parameter } from '../src/nn/parameter.js';
import { clipGradNorm, globalNorm, gradNorm } from '../src/train/clip.js';
import type { Trainable } from '../src/train/optimizer.js';

/** Two parameters whose gradients are (3, 0) and (0, 4): a global norm of exactly 5. */
function model(): { model: Trainable; grads: () => number[] } {
  const param = (name: string, grad: number[]): Parameter => ({ name, value: fromValues(1, 2, [1, 1], 'float64'), grad: fromValues(1, 2, grad, 'float64') });
  const parameters = [param('a', [3, 0]), param('b', [0, 4])];
  return { model: { parameters, backend: jsBackend }, grads: () => parameters.flatMap((p) => Array.from(p.grad.data)) };
}

describe("clipping by global norm (PyTorch's clip_grad_norm_)", () => {
  it('measures √(Σ‖g‖²) over every parameter', () => {
    expect(gradNorm(model().model)).toBe(5);
  });

  it('measures the same norm over the weights: √(4 · 1²) = 2', () => {
    expect(globalNorm(model().model, 'value')).toBe(2);
  });

  it('scales every gradient by maxNorm / (total + 1e-6) when the norm is larger, and returns the norm before', () => {
    const { model: m, grads } = model();
    expect(clipGradNorm(m, 1)).toBe(5);
    const c = 1 / (5 + 1e-6);
    grads().forEach((g, i) => expect(g).toBeCloseTo([3 * c, 0, 0, 4 * c][i], 15));
    expect(gradNorm(m)).toBeLessThan(1);
  });

  it('leaves smaller gradients alone', () => {
    const { model: m, grads } = model();
    expect(clipGradNorm(m, 10)).toBe(5);
    expect(grads()).toEqual([3, 0, 0, 4]);
  });

  it('reports a gradient that is not finite and leaves it for the caller to refuse', () => {
    const { model: m, grads } = model();
    m.parameters[1].grad.data[0] = Number.NaN;
    expect(clipGradNorm(m, 1)).toBeNaN();
    expect(grads()).toEqual([3, 0, Number.NaN, 4]);
  });

  it('refuses a norm that is not positive', () => {
    expect(() => clipGradNorm(model().model, 0)).toThrow('clipping norm is 0, expected a finite number > 0');
  });
});
