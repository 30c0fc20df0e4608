// Threads: the main thread hands a kernel to the worker threads through a job block in the
// shared memory. Every thread runs one part of the kernel's range (part 0 is the main
// thread's); the parts are fixed by the thread count, and partial sums are added in part
// order, so the same thread count gives the same bits on every run. Threads wait for each
// other by spinning briefly, then sleeping (PERF.md: a hand-off costs ~1 µs spinning,
// 20–37 µs through a sleep).
import { dotRows, gemmRows, transposeRows } from './gemm';
import {
  activate, activationBackward, add, addColumnSums, addRowVector, gatherColumns, scale,
  scatterAddColumns, squaredError, squaredErrorGradient, sumOfSquares,
} from './elementwise';
import { adam, sgd } from './optim';

/** Kernel codes of the job block. */
export enum Op {
  Exit, Gemm, Dot, Transpose, Activate, ActivationBackward, Add, Scale, AddRowVector,
  AddColumnSums, Gather, Scatter, SquaredError, SquaredErrorGradient, SumOfSquares, Sgd, Adam,
}

// Layout of the job block (bytes). The counters written by different threads sit on
// different cache lines.
const SEQ: usize = 0; // jobs posted (main thread)
const DONE: usize = 64; // parts finished (workers)
const SLEEPING: usize = 128; // workers asleep on SEQ
const MAIN_SLEEPING: usize = 192; // 1 while the main thread sleeps on DONE
const OP: usize = 256;
const EXTENT: usize = 260;
const GRAIN: usize = 264;
const INTS: usize = 320; // 16 integer arguments
const FLOATS: usize = 384; // 8 float arguments
const RESULTS: usize = 448; // one float64 partial sum per part
/** Size of the job block; the TypeScript side allocates it. */
export const JOB_BLOCK_BYTES: i32 = 1024;
/** Threads a job block can serve. */
export const MAX_THREADS: i32 = 64;
/** Spins on a counter before sleeping on it. */
const SPINS: i32 = 1 << 16;

let block: usize = 0;
let threads: i32 = 1;
let minParallelCost: f64 = 0;

/**
 * Sets up this instance: its job block and, on the main thread, the thread count and the
 * cost (about nanoseconds of one thread's work) from which a kernel is split.
 */
export function configure(jobBlock: usize, threadCount: i32, minCost: f64): void {
  block = jobBlock;
  threads = threadCount;
  minParallelCost = minCost;
}

/** Sets integer argument i of the next job. */
@inline
export function setInt(i: i32, value: i32): void {
  store<i32>(block + INTS + (<usize>i << 2), value);
}

/** Sets argument i of the next job to a pointer. */
@inline
export function setPtr(i: i32, value: usize): void {
  store<u32>(block + INTS + (<usize>i << 2), <u32>value);
}

/** Sets argument i of the next job to a flag (0 or 1). */
@inline
export function setFlag(i: i32, value: bool): void {
  setInt(i, <i32>value);
}

/** Sets float argument i of the next job. */
@inline
export function setFloat(i: i32, value: f64): void {
  store<f64>(block + FLOATS + (<usize>i << 3), value);
}

@inline
function int(i: i32): i32 {
  return load<i32>(block + INTS + (<usize>i << 2));
}

@inline
function ptr(i: i32): usize {
  return load<u32>(block + INTS + (<usize>i << 2));
}

@inline
function float(i: i32): f64 {
  return load<f64>(block + FLOATS + (<usize>i << 3));
}

/**
 * Runs job `op` (its arguments set) over `extent` rows or elements, split between the
 * threads in multiples of `grain` when it costs at least the configured minimum; returns
 * the sum of the parts' results (for the reductions).
 */
export function run(op: Op, extent: i32, grain: i32, cost: f64): f64 {
  store<i32>(block + OP, op);
  store<i32>(block + EXTENT, extent);
  store<i32>(block + GRAIN, grain);
  if (threads == 1 || cost < minParallelCost || extent < 2 * grain) return runPart(0, 1);
  atomic.store<i32>(block + DONE, 0);
  atomic.add<i32>(block + SEQ, 1);
  if (atomic.load<i32>(block + SLEEPING) > 0) atomic.notify(block + SEQ, threads - 1);
  let total = runPart(0, threads);
  awaitDone();
  for (let t = 1; t < threads; t++) total += load<f64>(block + RESULTS + (<usize>t << 3));
  return total;
}

/** The loop of worker thread `part` (1 ≤ part < threads): runs its part of every job until Exit. */
export function workerLoop(jobBlock: usize, part: i32, threadCount: i32): void {
  block = jobBlock;
  threads = threadCount;
  let seen = 0;
  while (true) {
    let spins = 0;
    let seq = atomic.load<i32>(block + SEQ);
    while (seq == seen) {
      if (++spins > SPINS) {
        atomic.add<i32>(block + SLEEPING, 1);
        memory.atomic.wait32(block + SEQ, seen, -1);
        atomic.sub<i32>(block + SLEEPING, 1);
        spins = 0;
      }
      seq = atomic.load<i32>(block + SEQ);
    }
    seen = seq;
    if (load<i32>(block + OP) == Op.Exit) return;
    store<f64>(block + RESULTS + (<usize>part << 3), runPart(part, threads));
    atomic.add<i32>(block + DONE, 1);
    if (atomic.load<i32>(block + MAIN_SLEEPING) != 0) atomic.notify(block + DONE, 1);
  }
}

/** Tells the workers to return from their loops. */
export function stopWorkers(): void {
  store<i32>(block + OP, Op.Exit);
  atomic.add<i32>(block + SEQ, 1);
  atomic.notify(block + SEQ, threads - 1);
}

function awaitDone(): void {
  const target = threads - 1;
  let spins = 0;
  let done = atomic.load<i32>(block + DONE);
  while (done != target) {
    if (++spins > SPINS) {
      atomic.store<i32>(block + MAIN_SLEEPING, 1);
      memory.atomic.wait32(block + DONE, done, -1);
      atomic.store<i32>(block + MAIN_SLEEPING, 0);
      spins = 0;
    }
    done = atomic.load<i32>(block + DONE);
  }
}

/** Runs part `part` of `parts` of the posted job. */
function runPart(part: i32, parts: i32): f64 {
  const extent = load<i32>(block + EXTENT);
  const grain = load<i32>(block + GRAIN);
  const chunk = (((extent + parts - 1) / parts + grain - 1) / grain) * grain;
  const e0 = min(part * chunk, extent);
  const e1 = min(e0 + chunk, extent);
  if (e0 >= e1) return 0;
  switch (load<i32>(block + OP)) {
    case Op.Gemm: gemmRows(ptr(0), ptr(1), ptr(2), ptr(3), ptr(4), int(5), int(6), int(7) != 0, e0, e1); break;
    case Op.Dot: dotRows(ptr(0), ptr(1), ptr(2), int(3), int(4), int(5) != 0, e0, e1); break;
    case Op.Transpose: transposeRows(ptr(0), ptr(1), int(2), int(3), e0, e1); break;
    case Op.Activate: activate(int(0), ptr(1), ptr(2), e0, e1); break;
    case Op.ActivationBackward: activationBackward(int(0), ptr(1), ptr(2), ptr(3), ptr(4), e0, e1); break;
    case Op.Add: add(ptr(0), ptr(1), ptr(2), e0, e1); break;
    case Op.Scale: scale(ptr(0), <f32>float(0), e0, e1); break;
    case Op.AddRowVector: addRowVector(ptr(0), ptr(1), int(2), e0, e1); break;
    case Op.AddColumnSums: addColumnSums(ptr(0), ptr(1), int(2), int(3), e0, e1); break;
    case Op.Gather: gatherColumns(ptr(0), int(1), int(2), ptr(3), int(4), e0, e1); break;
    case Op.Scatter: scatterAddColumns(ptr(0), int(1), int(2), ptr(3), int(4), e0, e1); break;
    case Op.SquaredError: return squaredError(ptr(0), ptr(1), e0, e1);
    case Op.SquaredErrorGradient: squaredErrorGradient(ptr(0), ptr(1), <f32>float(0), ptr(2), e0, e1); break;
    case Op.SumOfSquares: return sumOfSquares(ptr(0), e0, e1);
    case Op.Sgd:
      sgd(ptr(0), ptr(1), ptr(2), float(0), float(1), float(2), float(3), int(3) != 0, int(4) != 0, e0, e1);
      break;
    case Op.Adam:
      adam(ptr(0), ptr(1), ptr(2), ptr(3), float(0), float(1), float(2), float(3), float(4), float(5), float(6), e0, e1);
      break;
  }
  return 0;
}
