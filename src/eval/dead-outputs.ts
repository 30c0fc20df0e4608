import type { Matrix } from '../linalg/matrix.js';

/**
 * The output units that never fire on `y`, a model's reconstructions (N × D, one sample a
 * row): 1 where every sample's output is ≤ 0, else 0. With a ReLU output g, such a unit's
 * pre-activation is never positive, so its gradient is zero too and it stays dead: the
 * reconstruction of that pixel is 0 whatever the input. (A sigmoid output is never dead.)
 */
export function deadOutputs(y: Matrix): Uint8Array {
  const dead = new Uint8Array(y.cols).fill(1);
  for (let n = 0; n < y.rows; n++) {
    const row = n * y.cols;
    for (let k = 0; k < y.cols; k++) if (y.data[row + k] > 0) dead[k] = 0;
  }
  return dead;
}

/** How many units `deadOutputs` marked dead. */
export function countDead(dead: Uint8Array): number {
  let count = 0;
  for (const d of dead) count += d;
  return count;
}
