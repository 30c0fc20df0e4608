// The module's exports: one entry per kernel of src/linalg/backend.ts. Each records its
// arguments in the job block and runs the job, on this thread or split between threads.
// Pointers are byte offsets into the shared memory; sizes count float32 elements.
import { SIGMOID } from './elementwise';
import { JOB_BLOCK_BYTES, Op, run, setFlag, setFloat, setInt, setPtr, splits, threadCount } from './jobs';

export { configure, stopWorkers, workerLoop } from './jobs';

/** Work per nanosecond of one thread, roughly: multiply-adds in a product, elements elsewhere. */
const MACS_PER_NS: f64 = 16;
const ELEMENTS_PER_NS: f64 = 4;

/** Where the allocator may start: past the module's static data (Math.exp's table). */
export function heapBase(): usize {
  return __heap_base;
}

/** Bytes the TypeScript side allocates for the job block. */
export function jobBlockBytes(): i32 {
  return JOB_BLOCK_BYTES;
}

/** C (+)= A·B, with A m×k, B k×n, C m×n. */
export function matmulAB(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, acc: bool): void {
  gemm(a, <usize>k << 2, 4, b, c, m, n, k, acc);
}

/**
 * C (+)= Aᵀ·B, with A k×m, B k×n, C m×n (k is the batch in a weight gradient). Threads
 * split the rows of C; or, when reading the other threads' rows of A and B would cost
 * more than adding m×n partial sums, the batch: each thread sums its rows, into C or into
 * its partial in `partials` ((threads − 1)·m·n floats), and the partials are added in order.
 */
export function matmulAtB(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, acc: bool, partials: usize): void {
  const cost = macCost(m, n, k);
  if (partials != 0 && 2 * <i64>m * n < <i64>k * (m + n) && splits(k, 4, cost)) {
    setPtr(0, a); setPtr(1, b); setPtr(2, c); setInt(3, m); setInt(4, n); setFlag(5, acc); setPtr(6, partials);
    run(Op.GemmPartial, k, 4, cost);
    setPtr(0, c); setPtr(1, partials); setInt(2, m * n); setInt(3, threadCount() - 1);
    run(Op.SumPartials, m * n, 16, elementCost(m * n, threadCount()));
    return;
  }
  gemm(a, 4, <usize>m << 2, b, c, m, n, k, acc);
}

/** C (+)= A·Bᵀ, with A m×k, B n×k, C m×n: dot products of their rows, four rows of C at a time. */
export function matmulABt(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, acc: bool): void {
  setPtr(0, a); setPtr(1, b); setPtr(2, c); setInt(3, n); setInt(4, k); setFlag(5, acc);
  run(Op.Dot, m, 4, macCost(m, n, k));
}

/**
 * A = X Wᵀ (+ bias, unless bias = 0), Z = f(A): a dense layer's forward, X m×k, W n×k.
 * One job: each thread applies the bias and f to the rows of A it computed, so Z's rows
 * stay in the cache of the core that will read them next.
 */
export function denseForward(x: usize, w: usize, bias: usize, f: i32, a: usize, z: usize, m: i32, n: i32, k: i32): void {
  setPtr(0, x); setPtr(1, w); setPtr(2, a); setInt(3, n); setInt(4, k); setInt(5, f); setPtr(6, bias); setPtr(7, z);
  run(Op.DenseForward, m, 4, macCost(m, n, k) + elementCost(m * n, f == SIGMOID ? 16 : 2));
}

/**
 * δ = G_Z ⊙ f'(A); ∂E/∂W += δᵀX; ∂E/∂b += Σ_n δ (unless gb = 0); G_X += δ W (unless
 * gx = 0): a dense layer's backward, with δ m×out, X m×in, W out×in (`partials`: see
 * matmulAtB). δ and G_X are one job by rows: each thread goes on from the rows of δ it
 * computed.
 */
export function denseBackward(f: i32, a: usize, z: usize, gz: usize, delta: usize, x: usize, w: usize, gw: usize, gb: usize, gx: usize, m: i32, out: i32, inputs: i32, partials: usize): void {
  setInt(0, f); setPtr(1, a); setPtr(2, z); setPtr(3, gz); setPtr(4, delta); setInt(5, out);
  setPtr(6, w); setPtr(7, gx); setInt(8, inputs);
  run(Op.DeltaInputGradient, m, 4, elementCost(m * out, 1) + (gx != 0 ? macCost(m, inputs, out) : 0));
  matmulAtB(delta, x, gw, out, inputs, m, true, partials);
  if (gb != 0) addColumnSums(delta, gb, m, out);
}

function gemm(a: usize, aRow: usize, aCol: usize, b: usize, c: usize, m: i32, n: i32, k: i32, acc: bool): void {
  setPtr(0, a); setPtr(1, aRow); setPtr(2, aCol); setPtr(3, b); setPtr(4, c); setInt(5, n); setInt(6, k); setFlag(7, acc);
  run(Op.Gemm, m, 4, macCost(m, n, k));
}

/** C[i, :] += bias for every row of the rows × cols matrix C. */
export function addRowVector(c: usize, bias: usize, rows: i32, cols: i32): void {
  setPtr(0, c); setPtr(1, bias); setInt(2, cols);
  run(Op.AddRowVector, rows, 1, elementCost(rows, cols));
}

/** out[j] += Σ_i A[i, j] for the rows × cols matrix A. */
export function addColumnSums(a: usize, out: usize, rows: i32, cols: i32): void {
  setPtr(0, a); setPtr(1, out); setInt(2, rows); setInt(3, cols);
  run(Op.AddColumnSums, cols, 16, elementCost(rows, cols));
}

/** out[i, j] = src[i, stride·j], for out rows × cols and src rows × srcCols. */
export function gatherColumns(src: usize, srcCols: i32, stride: i32, out: usize, rows: i32, cols: i32): void {
  setPtr(0, src); setInt(1, srcCols); setInt(2, stride); setPtr(3, out); setInt(4, cols);
  run(Op.Gather, rows, 1, elementCost(rows, cols));
}

/** dst[i, stride·j] += src[i, j], for src rows × cols and dst rows × dstCols. */
export function scatterAddColumns(src: usize, rows: i32, cols: i32, stride: i32, dst: usize, dstCols: i32): void {
  setPtr(0, src); setInt(1, cols); setInt(2, stride); setPtr(3, dst); setInt(4, dstCols);
  run(Op.Scatter, rows, 1, elementCost(rows, cols));
}

/** M = 0 over `count` elements. */
export function zero(m: usize, count: i32): void {
  setPtr(0, m);
  run(Op.Zero, count, 16, elementCost(count, 1));
}

/** Z = f(A) over `count` elements (f: 0 ReLU, 1 sigmoid, 2 identity). */
export function activate(f: i32, a: usize, z: usize, count: i32): void {
  setInt(0, f); setPtr(1, a); setPtr(2, z);
  run(Op.Activate, count, 16, elementCost(count, f == SIGMOID ? 16 : 1));
}

/** δ = G ⊙ f'(A) over `count` elements. */
export function activationBackward(f: i32, a: usize, z: usize, g: usize, d: usize, count: i32): void {
  setInt(0, f); setPtr(1, a); setPtr(2, z); setPtr(3, g); setPtr(4, d);
  run(Op.ActivationBackward, count, 16, elementCost(count, 1));
}

/** C = A + B over `count` elements. */
export function add(a: usize, b: usize, c: usize, count: i32): void {
  setPtr(0, a); setPtr(1, b); setPtr(2, c);
  run(Op.Add, count, 16, elementCost(count, 1));
}

/** M ·= s over `count` elements. */
export function scale(m: usize, s: f64, count: i32): void {
  setPtr(0, m); setFloat(0, s);
  run(Op.Scale, count, 16, elementCost(count, 1));
}

/** Σ (Y − T)² over `count` elements. */
export function squaredError(y: usize, t: usize, count: i32): f64 {
  setPtr(0, y); setPtr(1, t);
  return run(Op.SquaredError, count, 16, elementCost(count, 1));
}

/** G = s · (Y − T) over `count` elements. */
export function squaredErrorGradient(y: usize, t: usize, s: f64, g: usize, count: i32): void {
  setPtr(0, y); setPtr(1, t); setPtr(2, g); setFloat(0, s);
  run(Op.SquaredErrorGradient, count, 16, elementCost(count, 1));
}

/** Σ M² over `count` elements. */
export function sumOfSquares(m: usize, count: i32): f64 {
  setPtr(0, m);
  return run(Op.SumOfSquares, count, 16, elementCost(count, 1));
}

/** One SGD update of `count` weights (b = 0: no momentum buffer). */
export function sgd(w: usize, g: usize, b: usize, count: i32, lr: f64, decay: f64, momentum: f64, dampening: f64, nesterov: bool, first: bool): void {
  setPtr(0, w); setPtr(1, g); setPtr(2, b); setFlag(3, nesterov); setFlag(4, first);
  setFloat(0, lr); setFloat(1, decay); setFloat(2, momentum); setFloat(3, dampening);
  run(Op.Sgd, count, 16, elementCost(count, 2));
}

/** One Adam update of `count` weights; the step's scalars are computed by the caller. */
export function adam(w: usize, g: usize, m: usize, v: usize, count: i32, decay: f64, shrink: f64, beta1: f64, beta2: f64, eps: f64, stepSize: f64, sqrtCorrection2: f64): void {
  setPtr(0, w); setPtr(1, g); setPtr(2, m); setPtr(3, v);
  setFloat(0, decay); setFloat(1, shrink); setFloat(2, beta1); setFloat(3, beta2);
  setFloat(4, eps); setFloat(5, stepSize); setFloat(6, sqrtCorrection2);
  run(Op.Adam, count, 16, elementCost(count, 4));
}

@inline
function macCost(m: i32, n: i32, k: i32): f64 {
  return <f64>m * n * k / MACS_PER_NS;
}

@inline
function elementCost(count: i32, weight: i32): f64 {
  return <f64>count * weight / ELEMENTS_PER_NS;
}
