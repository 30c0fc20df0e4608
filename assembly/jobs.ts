// Threads: the main thread hands a kernel to the worker threads through a job block in the
// shared memory. The kernel's range is cut into chunks, a few per thread, fixed by the
// thread count; partial sums are added in chunk order, so the same thread count gives the
// same bits on every run, whichever thread computed which chunk. Thread t first takes the
// chunks meant for it, in order (so that each thread keeps working on the same rows), then
// any chunk nobody has claimed yet: when the system does not schedule a worker (the
// machine may be busy), the other threads do its share instead of waiting for it. Threads
// wait for new work, or for the last chunk, by spinning briefly and then sleeping
// (docs/speed-limits.md: a hand-off costs ~1 µs spinning, 20–37 µs through a sleep).
import { dotRows, gemmRows, sumPartials } from './gemm';
import {
  activate, activationBackward, add, columnSums, addRowVector, biasActivate, gatherColumns, scale,
  scatterAddColumns, squaredError, squaredErrorGradient, sumOfSquares,
} from './elementwise';
import { adam, sgd } from './optim';
import {
  ActivateArg, ActivationBackwardArg, AdamArg, AdamFloat, AddArg, ColumnSumsArg, AddRowVectorArg, DeltaInputGradientArg, DenseForwardArg, DotArg, GatherArg, GemmArg, GemmPartialArg, ScaleArg, ScaleFloat, ScatterArg, SgdArg, SgdFloat, SquaredErrorArg, SquaredErrorGradientArg, SquaredErrorGradientFloat, SumOfSquaresArg, SumPartialsArg, ZeroArg,
} from './job-layouts';

/** Kernel codes of the job block. */
export enum Op {
  Gemm, GemmPartial, SumPartials, Dot, DenseForward, DeltaInputGradient, Zero, Activate, ActivationBackward, Add, Scale, AddRowVector,
  ColumnSums, Gather, Scatter, SquaredError, SquaredErrorGradient, SumOfSquares, Sgd, Adam,
}

// Layout of the job block (bytes). Words written by different threads sit on different
// cache lines.
const TICKET: usize = 0; // the posted job: its number (from 1) << 32 | its chunk count (i64, main thread)
const FINISHED: usize = 64; // chunks of the current job finished
const SLEEPING: usize = 128; // workers asleep on TICKET
const MAIN_SLEEPING: usize = 192; // 1 while the main thread sleeps on FINISHED
const STOP: usize = 256; // 1: workers return
const OP: usize = 320;
const EXTENT: usize = 324;
const GRAIN: usize = 328;
const INTS: usize = 384; // 16 integer arguments
const FLOATS: usize = 448; // 8 float arguments
const CLAIMS: usize = 1024; // per chunk, on its own cache line: the last job it was claimed for (i64)
/** Threads a job block can serve. */
export const MAX_THREADS: i32 = 64;
/** Chunks per thread: small enough that a thread stalled in one holds up little. */
const CHUNKS_PER_THREAD: i32 = 4;
const MAX_CHUNKS: i32 = MAX_THREADS * CHUNKS_PER_THREAD;
const RESULTS: usize = CLAIMS + (<usize>MAX_CHUNKS << 6); // per chunk: its float64 partial sum
/** Size of the job block; the TypeScript side allocates it. */
export const JOB_BLOCK_BYTES: i32 = <i32>RESULTS + (MAX_CHUNKS << 3);
/** Spins on a word before sleeping on it. */
const SPINS: i32 = 1 << 16;

let block: usize = 0;
let threads: i32 = 1;
let minParallelCost: f64 = 0;
/** Split jobs still to run on this thread alone, and how many the next miss skips. */
let skipped: i32 = 0;
let backoff: i32 = 1;
/** The most split jobs run alone after workers missed a job (they then fall asleep, spinning no more). */
const MAX_BACKOFF: i32 = 4096;

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
 * the sum of the chunks' results (for the reductions).
 */
export function run(op: Op, extent: i32, grain: i32, cost: f64): f64 {
  store<i32>(block + OP, op);
  store<i32>(block + EXTENT, extent);
  store<i32>(block + GRAIN, grain);
  if (!splits(extent, grain, cost)) return runPart(0, 1);
  // A partial sum is kept per chunk (see GemmPartial): one chunk per thread there.
  const chunks = op == Op.GemmPartial ? threads : threads * CHUNKS_PER_THREAD;
  let total = 0.0;
  if (skipped > 0) {
    // The workers were not scheduled lately (a busy machine): the same chunks, here alone.
    skipped--;
    for (let c = 0; c < chunks; c++) total += runPart(c, chunks);
    return total;
  }
  const job = (atomic.load<i64>(block + TICKET) >>> 32) + 1;
  atomic.store<i32>(block + FINISHED, 0);
  atomic.store<i64>(block + TICKET, (job << 32) | chunks);
  const sleeping = atomic.load<i32>(block + SLEEPING) > 0;
  if (sleeping) atomic.notify(block + TICKET, threads - 1);
  // Missed by workers that were awake (not asleep, which takes a while to wake from): not scheduled.
  const missed = work(0, job, chunks) == chunks && !sleeping;
  awaitFinished(chunks);
  skipped = missed ? backoff : 0;
  backoff = missed ? min(2 * backoff, MAX_BACKOFF) : 1;
  for (let c = 0; c < chunks; c++) total += load<f64>(block + RESULTS + (<usize>c << 3));
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

/** The loop of worker thread `part` (1 ≤ part < threads): works on every job until stopped. */
export function workerLoop(jobBlock: usize, part: i32, threadCount: i32): void {
  block = jobBlock;
  threads = threadCount;
  let seen: i64 = 0;
  while (true) {
    let spins = 0;
    let ticket = atomic.load<i64>(block + TICKET);
    while (ticket == seen) {
      if (++spins > SPINS) {
        atomic.add<i32>(block + SLEEPING, 1);
        memory.atomic.wait64(block + TICKET, seen, -1);
        atomic.sub<i32>(block + SLEEPING, 1);
        spins = 0;
      }
      ticket = atomic.load<i64>(block + TICKET);
    }
    seen = ticket;
    if (atomic.load<i32>(block + STOP) != 0) return;
    work(part, ticket >>> 32, <i32>(ticket & 0xffffffff));
  }
}

/** Tells the workers to return from their loops. */
export function stopWorkers(): void {
  atomic.store<i32>(block + STOP, 1);
  atomic.add<i64>(block + TICKET, 1 << 32);
  atomic.notify(block + TICKET, threads - 1);
}

/**
 * Thread `part`'s share of job `job`: its own chunks in order, then, from the last, any
 * left. Returns how many chunks it ran.
 */
function work(part: i32, job: i64, chunks: i32): i32 {
  const per = chunks / threads;
  const first = part * per, end = first + per;
  let ran = 0;
  for (let c = first; c < end; c++) ran += i32(runIfClaimed(c, job, chunks));
  for (let c = chunks - 1; c >= 0; c--) if (c < first || c >= end) ran += i32(runIfClaimed(c, job, chunks));
  return ran;
}

/**
 * Runs chunk `c` of job `job` if this thread is the first to claim it. A worker that wakes
 * late, for a job already done, finds every chunk of it claimed (a claim only grows), and
 * the chunk count came with the job number, in one word.
 */
function runIfClaimed(c: i32, job: i64, chunks: i32): bool {
  const claim = block + CLAIMS + (<usize>c << 6);
  let last = atomic.load<i64>(claim);
  while (last < job) {
    const seen = atomic.cmpxchg<i64>(claim, last, job);
    if (seen == last) {
      // Claimed: the job stays posted until this chunk is finished, so its arguments hold.
      store<f64>(block + RESULTS + (<usize>c << 3), runPart(c, chunks));
      if (atomic.add<i32>(block + FINISHED, 1) == chunks - 1 && atomic.load<i32>(block + MAIN_SLEEPING) != 0) {
        atomic.notify(block + FINISHED, 1);
      }
      return true;
    }
    last = seen;
  }
  return false;
}

function awaitFinished(chunks: i32): void {
  let spins = 0;
  let finished = atomic.load<i32>(block + FINISHED);
  while (finished != chunks) {
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
    case Op.Gemm:
      gemmRows(ptr(GemmArg.A), ptr(GemmArg.ARow), ptr(GemmArg.ACol), ptr(GemmArg.B), ptr(GemmArg.C), int(GemmArg.N), int(GemmArg.K), int(GemmArg.Accumulate) != 0, e0, e1);
      break;
    case Op.GemmPartial: {
      // Chunk `part` of Aᵀ·B, over the rows [e0, e1) of A and B: chunk 0 into C, the others into partials.
      const m = int(GemmPartialArg.M), n = int(GemmPartialArg.N);
      const into = part == 0 ? ptr(GemmPartialArg.C) : ptr(GemmPartialArg.Partials) + (<usize>(part - 1) * m * n << 2);
      const a = ptr(GemmPartialArg.A) + <usize>e0 * m * 4, b = ptr(GemmPartialArg.B) + (<usize>e0 * n << 2);
      gemmRows(a, 4, <usize>m << 2, b, into, n, e1 - e0, part == 0 && int(GemmPartialArg.Accumulate) != 0, 0, m);
      break;
    }
    case Op.SumPartials: sumPartials(ptr(SumPartialsArg.C), ptr(SumPartialsArg.Partials), int(SumPartialsArg.Count), int(SumPartialsArg.Parts), e0, e1); break;
    case Op.Dot: dotRows(ptr(DotArg.A), ptr(DotArg.B), ptr(DotArg.C), int(DotArg.N), int(DotArg.K), int(DotArg.Accumulate) != 0, e0, e1); break;
    case Op.Zero: memory.fill(ptr(ZeroArg.M) + (<usize>e0 << 2), 0, <usize>(e1 - e0) << 2); break;
    case Op.DeltaInputGradient: {
      // Rows [e0, e1) of δ = G ⊙ f'(A), then of G_X (+)= δ W (unless G_X = 0).
      const out = int(DeltaInputGradientArg.Out), delta = ptr(DeltaInputGradientArg.Delta), gradX = ptr(DeltaInputGradientArg.GradX);
      const a = ptr(DeltaInputGradientArg.A), z = ptr(DeltaInputGradientArg.Z), gradZ = ptr(DeltaInputGradientArg.GradZ);
      activationBackward(int(DeltaInputGradientArg.F), a, z, gradZ, delta, e0 * out, e1 * out);
      const acc = int(DeltaInputGradientArg.Accumulate) != 0;
      if (gradX != 0) gemmRows(delta, <usize>out << 2, 4, ptr(DeltaInputGradientArg.W), gradX, int(DeltaInputGradientArg.Inputs), out, acc, e0, e1);
      break;
    }
    case Op.DenseForward:
      dotRows(ptr(DenseForwardArg.X), ptr(DenseForwardArg.W), ptr(DenseForwardArg.A), int(DenseForwardArg.N), int(DenseForwardArg.K), false, e0, e1);
      biasActivate(int(DenseForwardArg.F), ptr(DenseForwardArg.A), ptr(DenseForwardArg.Bias), ptr(DenseForwardArg.Z), int(DenseForwardArg.N), e0, e1);
      break;
    case Op.Activate: activate(int(ActivateArg.F), ptr(ActivateArg.A), ptr(ActivateArg.Z), e0, e1); break;
    case Op.ActivationBackward:
      activationBackward(int(ActivationBackwardArg.F), ptr(ActivationBackwardArg.A), ptr(ActivationBackwardArg.Z), ptr(ActivationBackwardArg.GradZ), ptr(ActivationBackwardArg.Delta), e0, e1);
      break;
    case Op.Add: add(ptr(AddArg.A), ptr(AddArg.B), ptr(AddArg.C), e0, e1); break;
    case Op.Scale: scale(ptr(ScaleArg.M), <f32>float(ScaleFloat.S), e0, e1); break;
    case Op.AddRowVector: addRowVector(ptr(AddRowVectorArg.C), ptr(AddRowVectorArg.Bias), int(AddRowVectorArg.Cols), e0, e1); break;
    case Op.ColumnSums:
      columnSums(ptr(ColumnSumsArg.A), ptr(ColumnSumsArg.Out), int(ColumnSumsArg.Rows), int(ColumnSumsArg.Cols), int(ColumnSumsArg.Accumulate) != 0, e0, e1);
      break;
    case Op.Gather: gatherColumns(ptr(GatherArg.Src), int(GatherArg.SrcCols), int(GatherArg.Stride), ptr(GatherArg.Out), int(GatherArg.Cols), e0, e1); break;
    case Op.Scatter: scatterAddColumns(ptr(ScatterArg.Src), int(ScatterArg.Cols), int(ScatterArg.Stride), ptr(ScatterArg.Dst), int(ScatterArg.DstCols), e0, e1); break;
    case Op.SquaredError: return squaredError(ptr(SquaredErrorArg.Y), ptr(SquaredErrorArg.T), e0, e1);
    case Op.SquaredErrorGradient:
      squaredErrorGradient(ptr(SquaredErrorGradientArg.Y), ptr(SquaredErrorGradientArg.T), <f32>float(SquaredErrorGradientFloat.S), ptr(SquaredErrorGradientArg.G), e0, e1);
      break;
    case Op.SumOfSquares: return sumOfSquares(ptr(SumOfSquaresArg.M), e0, e1);
    case Op.Sgd:
      sgd(ptr(SgdArg.W), ptr(SgdArg.G), ptr(SgdArg.B), float(SgdFloat.Lr), float(SgdFloat.Decay), float(SgdFloat.Momentum), float(SgdFloat.Dampening),
        int(SgdArg.Nesterov) != 0, int(SgdArg.First) != 0, e0, e1);
      break;
    case Op.Adam:
      adam(ptr(AdamArg.W), ptr(AdamArg.G), ptr(AdamArg.M), ptr(AdamArg.V), float(AdamFloat.Decay), float(AdamFloat.Shrink), float(AdamFloat.Beta1),
        float(AdamFloat.Beta2), float(AdamFloat.Eps), float(AdamFloat.StepSize), float(AdamFloat.SqrtCorrection2), e0, e1);
      break;
  }
  return 0;
}
