import type { Matrix } from '../linalg/matrix.js';
import type { RecLinkNet } from '../model/reclink-net.js';
import type { BatchMatrix } from '../nn/batch-matrix.js';
import type { Random } from '../random.js';

/** Sets `order` to a seeded random permutation of 0..n−1 (an epoch's order of samples). */
export function shuffledOrder(order: Uint32Array, random: Random): void {
  for (let i = 0; i < order.length; i++) order[i] = i;
  random.shuffle(order);
}

/** Copies the rows `order[start]`, `order[start + 1]`, ... of `src` into the rows of `dst`. */
export function gatherRows(src: Matrix, order: Uint32Array, start: number, dst: Matrix): void {
  const { cols } = src;
  // A row at a time with `set` (a block copy): element by element is about twice as slow
  // into the shared WebAssembly memory, where a training batch lives.
  for (let i = 0; i < dst.rows; i++) {
    const from = order[start + i] * cols;
    dst.data.set(src.data.subarray(from, from + cols), i * cols);
  }
}

/** Copies the rows start, start + 1, ... of `src` into the rows of `dst`. */
function copyRows(src: Matrix, start: number, dst: Matrix): void {
  dst.data.set(src.data.subarray(start * src.cols, (start + dst.rows) * src.cols));
}

/**
 * Runs `net` forward on `data`, `batchSize` rows at a time copied into `buffer` (a batch
 * matrix of the model's backend); `visit` gets each batch's output Y and first row.
 */
export function forwardInBatches(net: RecLinkNet, data: Matrix, batchSize: number, buffer: BatchMatrix, visit: (y: Matrix, start: number) => void): void {
  for (let start = 0; start < data.rows; start += batchSize) {
    const x = buffer.view(Math.min(batchSize, data.rows - start));
    copyRows(data, start, x);
    visit(net.forward(x), start);
  }
}
