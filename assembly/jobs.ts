// Threads: the main thread hands a kernel to the worker threads through a job block in the
// shared memory. The kernel's range is cut into one part per thread, fixed by the thread
// count, and partial sums are added in part order: the same thread count gives the same
// bits on every run. Part t is meant for thread t (part 0 for the main thread), so that
// each thread keeps working on the same rows, but whoever claims a part first computes it:
// the main thread takes over the parts of workers that the system has not scheduled (the
// machine may be busy), instead of waiting for them. Threads wait for new work or for the
// last part by spinning briefly, then sleeping (PERF.md: a hand-off costs ~1 µs spinning,
// 20–37 µs through a sleep).
import { dotRows, gemmRows, sumPartials, transposeRows } from './gemm';
import {
  activate, activationBackward, add, addColumnSums, addRowVector, biasActivate, gatherColumns, scale,
  scatterAddColumns, squaredError, squaredErrorGradient, sumOfSquares,
} from './elementwise';
import { adam, sgd } from './optim';

/** Kernel codes of the job block. */
export enum Op {
  Gemm, GemmPartial, SumPartials, Dot, Transpose, Zero, BiasActivate, Activate, ActivationBackward, Add, Scale, AddRowVector,
  AddColumnSums, Gather, Scatter, SquaredError, SquaredErrorGradient, SumOfSquares, Sgd, Adam,
}

// Layout of the job block (bytes). Words written by different threads sit on different
// cache lines.
const SEQ: usize = 0; // jobs posted, counted from 1 (main thread)
const FINISHED: usize = 64; // parts of the current job finished
const SLEEPING: usize = 128; // workers asleep on SEQ
const MAIN_SLEEPING: usize = 192; // 1 while the main thread sleeps on FINISHED
const STOP: usize = 256; // 1: workers return
const OP: usize = 320;
const EXTENT: usize = 324;
const GRAIN: usize = 328;
const INTS: usize = 384; // 16 integer arguments
const FLOATS: usize = 448; // 8 float arguments
const CLAIMS: usize = 1024; // per part, on its own cache line: the last job it was claimed for (i64)
const RESULTS: usize = CLAIMS + (64 << 6); // per part: its float64 partial sum
/** Threads a job block can serve. */
export const MAX_THREADS: i32 = 64;
/** Size of the job block; the TypeScript side allocates it. */
export const JOB_BLOCK_BYTES: i32 = <i32>RESULTS + (MAX_THREADS << 3);
/** Spins on a word before sleeping on it. */
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
  if (!splits(extent, grain, cost)) return runPart(0, 1);
  const seq = load<i64>(block + SEQ) + 1;
  atomic.store<i32>(block + FINISHED, 0);
  atomic.store<i64>(block + SEQ, seq);
  if (atomic.load<i32>(block + SLEEPING) > 0) atomic.notify(block + SEQ, threads - 1);
  for (let t = 0; t < threads; t++) runIfClaimed(t, seq); // its own part, then any not taken yet
  awaitFinished();
  let total = 0.0;
  for (let t = 0; t < threads; t++) total += load<f64>(block + RESULTS + (<usize>t << 3));
  return total;
}

/** Whether `run` splits a job of this extent, grain and cost between the threads. */
export function splits(extent: i32, grain: i32, cost: f64): bool {
  return threads > 1 && cost >= minParallelCost && extent >= 2 * grain;
}

/** Threads sharing the jobs (1 on a worker). */
export function threadCount(): i32 {
  return threads;
}

/** The loop of worker thread `part` (1 ≤ part < threads): runs its part of every job until stopped. */
export function workerLoop(jobBlock: usize, part: i32, threadCount: i32): void {
  block = jobBlock;
  threads = threadCount;
  let seen: i64 = 0;
  while (true) {
    let spins = 0;
    let seq = atomic.load<i64>(block + SEQ);
    while (seq == seen) {
      if (++spins > SPINS) {
        atomic.add<i32>(block + SLEEPING, 1);
        memory.atomic.wait64(block + SEQ, seen, -1);
        atomic.sub<i32>(block + SLEEPING, 1);
        spins = 0;
      }
      seq = atomic.load<i64>(block + SEQ);
    }
    seen = seq;
    if (atomic.load<i32>(block + STOP) != 0) return;
    runIfClaimed(part, seq);
  }
}

/** Tells the workers to return from their loops. */
export function stopWorkers(): void {
  atomic.store<i32>(block + STOP, 1);
  atomic.add<i64>(block + SEQ, 1);
  atomic.notify(block + SEQ, threads - 1);
}

/**
 * Runs part `part` of job `seq` if this thread is the first to claim it. A worker that
 * wakes late, for a job already done, finds its part claimed (the claim only grows).
 */
function runIfClaimed(part: i32, seq: i64): void {
  const claim = block + CLAIMS + (<usize>part << 6);
  let last = atomic.load<i64>(claim);
  while (last < seq) {
    const seen = atomic.cmpxchg<i64>(claim, last, seq);
    if (seen == last) {
      // Claimed: the job stays posted until this part is finished, so its arguments hold.
      store<f64>(block + RESULTS + (<usize>part << 3), runPart(part, threads));
      if (atomic.add<i32>(block + FINISHED, 1) == threads - 1 && atomic.load<i32>(block + MAIN_SLEEPING) != 0) {
        atomic.notify(block + FINISHED, 1);
      }
      return;
    }
    last = seen;
  }
}

function awaitFinished(): void {
  let spins = 0;
  let finished = atomic.load<i32>(block + FINISHED);
  while (finished != threads) {
    if (++spins > SPINS) {
      atomic.store<i32>(block + MAIN_SLEEPING, 1);
      memory.atomic.wait32(block + FINISHED, finished, -1);
      atomic.store<i32>(block + MAIN_SLEEPING, 0);
      spins = 0;
    }
    finished = atomic.load<i32>(block + FINISHED);
  }
}

/** Runs part `part` of `parts` of the posted job. */
function runPart(part: i32, parts: i32): f64 {
  const extent = load<i32>(block + EXTENT);
  const grain = load<i32>(block + GRAIN);
  const chunk = (((extent + parts - 1) / parts + grain - 1) / grain) * grain;
  const e0 = min(part * chunk, extent);
  const e1 = min(e0 + chunk, extent);
  const op = load<i32>(block + OP);
  // An empty part has nothing to do, except a partial sum, which must still be zeroed.
  if (e0 >= e1 && op != Op.GemmPartial) return 0;
  switch (op) {
    case Op.Gemm: gemmRows(ptr(0), ptr(1), ptr(2), ptr(3), ptr(4), int(5), int(6), int(7) != 0, e0, e1); break;
    case Op.GemmPartial: {
      // Part p of Aᵀ·B over the rows [e0, e1) of A and B: part 0 into C, the others into partials.
      const m = int(3), n = int(4);
      const into = part == 0 ? ptr(2) : ptr(6) + (<usize>(part - 1) * m * n << 2);
      gemmRows(ptr(0) + <usize>e0 * m * 4, 4, <usize>m << 2, ptr(1) + (<usize>e0 * n << 2), into, n, e1 - e0, part == 0 && int(5) != 0, 0, m);
      break;
    }
    case Op.SumPartials: sumPartials(ptr(0), ptr(1), int(2), parts - 1, e0, e1); break;
    case Op.Dot: dotRows(ptr(0), ptr(1), ptr(2), int(3), int(4), int(5) != 0, e0, e1); break;
    case Op.Transpose: transposeRows(ptr(0), ptr(1), int(2), int(3), e0, e1); break;
    case Op.Zero: memory.fill(ptr(0) + (<usize>e0 << 2), 0, <usize>(e1 - e0) << 2); break;
    case Op.BiasActivate: biasActivate(int(0), ptr(1), ptr(2), ptr(3), int(4), e0, e1); break;
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
