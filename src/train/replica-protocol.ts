// What the calling thread and its replica workers share (see DataParallel): a control block
// in the WebAssembly memory, and the way each thread computes its slice of a batch.
import { rowRange, type Matrix } from '../linalg/matrix.js';
import type { LossReduction } from '../nn/loss.js';
import type { RecLinkNet } from '../model/reclink-net.js';

/**
 * Rows a thread takes at a time: a block's activations (about 20 matrices of up to 225
 * columns) stay in the core's L2 cache, and its gradients add up over the blocks.
 */
export const BLOCK_ROWS = 64;

// The control block, in 32-bit words. A word written by one side sits on its own cache line.
/** The posted job's number, from 1 (the calling thread). */
export const TICKET = 0;
/** Replicas done with the current job. */
export const DONE = 16;
/** 1 while the calling thread sleeps on DONE. */
export const CALLER_WAITING = 32;
/** Replicas asleep on TICKET. */
export const SLEEPERS = 48;
/** 1: replicas return. */
export const STOP = 64;
/** The job: X's address, its rows and columns, the reduction (0 sum, 1 mean). */
export const X_ADDRESS = 80, X_ROWS = 81, X_COLS = 82, REDUCTION = 83;
/** Per replica (from 1), 16 words apart: its status (0 ok, 1 failed), then its loss (float64). */
const REPLICAS = 128;
/** Words of a control block for `threads` threads. */
export function controlWords(threads: number): number {
  return REPLICAS + 16 * threads;
}

/** The word of replica `part`'s status: 0 when its last job went well, 1 when it failed. */
export function statusWord(part: number): number {
  return REPLICAS + 16 * part;
}

/** The index of replica `part`'s loss in a Float64Array over the control block. */
export function lossIndex(part: number): number {
  return (statusWord(part) + 2) / 2;
}

/** Spins on a word before sleeping on it: a hand-off costs ~1 µs spinning, 20–37 µs through a sleep (docs/speed-limits.md). */
export const SPINS = 1 << 16;

/** Rows [start, end) of thread `part` of `parts`: contiguous, in order, as even as they come. */
export function sliceOf(rows: number, part: number, parts: number): { start: number; end: number } {
  return { start: Math.floor((part * rows) / parts), end: Math.floor(((part + 1) * rows) / parts) };
}

/**
 * A thread's slice of a batch in blocks of at most BLOCK_ROWS rows, as views kept from step
 * to step while the batch is the same matrix (views are looked up by identity).
 */
export class SliceBlocks {
  private x: Matrix | null = null;
  private blocks: Matrix[] = [];

  constructor(
    private readonly part: number,
    private readonly parts: number,
  ) {}

  of(x: Matrix): readonly Matrix[] {
    if (x !== this.x) {
      const { start, end } = sliceOf(x.rows, this.part, this.parts);
      const count = Math.ceil((end - start) / BLOCK_ROWS);
      this.blocks = Array.from({ length: count }, (_, b) => {
        const { start: s, end: e } = sliceOf(end - start, b, count);
        return rowRange(x, start + s, start + e);
      });
      this.x = x;
    }
    return this.blocks;
  }
}

/**
 * Sets `net`'s gradients to those of the first block, then adds those of the others: the
 * gradient of the thread's slice (zero when it has no rows). Returns the slice's E (with
 * `mean`, divided by the whole batch's `batchRows`).
 */
export function sliceGradients(net: RecLinkNet, blocks: readonly Matrix[], reduction: LossReduction, batchRows: number): number {
  if (blocks.length === 0) {
    net.zeroGrad();
    return 0;
  }
  let loss = net.computeGradients(blocks[0], reduction, false, batchRows).loss;
  for (let b = 1; b < blocks.length; b++) loss += net.accumulateGradients(blocks[b], reduction, batchRows);
  return loss;
}
