import type { Matrix } from '../linalg/matrix.js';
import type { Random } from '../random.js';

/** Sets `order` to a seeded random permutation of 0..n−1 (an epoch's order of samples). */
export function shuffledOrder(order: Uint32Array, random: Random): void {
  for (let i = 0; i < order.length; i++) order[i] = i;
  random.shuffle(order);
}

/** Copies the rows `order[start]`, `order[start + 1]`, ... of `src` into the rows of `dst`. */
export function gatherRows(src: Matrix, order: Uint32Array, start: number, dst: Matrix): void {
  const { cols } = src;
  const S = src.data, D = dst.data;
  for (let i = 0; i < dst.rows; i++) {
    const from = order[start + i] * cols, to = i * cols;
    for (let j = 0; j < cols; j++) D[to + j] = S[from + j];
  }
}

/** Copies the rows start, start + 1, ... of `src` into the rows of `dst`. */
export function copyRows(src: Matrix, start: number, dst: Matrix): void {
  dst.data.set(src.data.subarray(start * src.cols, (start + dst.rows) * src.cols));
}
