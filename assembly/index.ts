// The module's exports: one entry per kernel of src/linalg/backend.ts. Each records its
// arguments in the job block and runs the job, on this thread or split between threads.
// Pointers are byte offsets into the shared memory; sizes count float32 elements.
import { SIGMOID } from './elementwise';
import {
  ActivateArg, ActivationBackwardArg, AdamArg, AdamFloat, AddArg, ColumnSumsArg, AddRowVectorArg, DeltaInputGradientArg, DenseForwardArg, DotArg, GatherArg, GemmArg, GemmPartialArg, ScaleArg, ScaleFloat, ScatterArg, SgdArg, SgdFloat, SquaredErrorArg, SquaredErrorGradientArg, SquaredErrorGradientFloat, SumOfSquaresArg, SumPartialsArg, ZeroArg,
} from './job-layouts';
import { JOB_BLOCK_BYTES, Op, run, setFlag, setFloat, setInt, setPtr, splits, threadCount } from './jobs';

export { configure, stopWorkers, workerLoop } from './jobs';

/** Work per nanosecond of one thread, roughly: multiply-adds in a product, elements elsewhere. */
const MACS_PER_NS: f64 = 16;
const ELEMENTS_PER_NS: f64 = 4;

/** Where the allocator may start: past the module's static data (Math.exp's table). */
export function heapBase(): usize {
  return __heap_base;
}

/** 1 in the relaxed kernel set (built with `--enable relaxed-simd`: fused products), 0 in the plain one. */
export function relaxedSimd(): bool {
  return ASC_FEATURE_RELAXED_SIMD;
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
    setPtr(GemmPartialArg.A, a); setPtr(GemmPartialArg.B, b); setPtr(GemmPartialArg.C, c); setInt(GemmPartialArg.M, m); setInt(GemmPartialArg.N, n);
    setFlag(GemmPartialArg.Accumulate, acc); setPtr(GemmPartialArg.Partials, partials);
    run(Op.GemmPartial, k, 4, cost);
    setPtr(SumPartialsArg.C, c); setPtr(SumPartialsArg.Partials, partials); setInt(SumPartialsArg.Count, m * n); setInt(SumPartialsArg.Parts, threadCount() - 1);
    run(Op.SumPartials, m * n, 16, elementCost(m * n, threadCount()));
    return;
  }
  gemm(a, 4, <usize>m << 2, b, c, m, n, k, acc);
}

/** C (+)= A·Bᵀ, with A m×k, B n×k, C m×n: dot products of their rows, four rows of C at a time. */
export function matmulABt(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, acc: bool): void {
  setPtr(DotArg.A, a); setPtr(DotArg.B, b); setPtr(DotArg.C, c); setInt(DotArg.N, n); setInt(DotArg.K, k); setFlag(DotArg.Accumulate, acc);
  run(Op.Dot, m, 4, macCost(m, n, k));
}

/**
 * A = X Wᵀ (+ bias, unless bias = 0), Z = f(A): a dense layer's forward, X m×k, W n×k.
 * One job: each thread applies the bias and f to the rows of A it computed, so Z's rows
 * stay in the cache of the core that will read them next.
 */
export function denseForward(x: usize, w: usize, bias: usize, f: i32, a: usize, z: usize, m: i32, n: i32, k: i32): void {
  setPtr(DenseForwardArg.X, x); setPtr(DenseForwardArg.W, w); setPtr(DenseForwardArg.A, a); setInt(DenseForwardArg.N, n); setInt(DenseForwardArg.K, k);
  setInt(DenseForwardArg.F, f); setPtr(DenseForwardArg.Bias, bias); setPtr(DenseForwardArg.Z, z);
  run(Op.DenseForward, m, 4, macCost(m, n, k) + elementCost(m * n, f == SIGMOID ? 16 : 2));
}

/**
 * δ = G_Z ⊙ f'(A); ∂E/∂W (+)= δᵀX; ∂E/∂b (+)= Σ_n δ (unless gb = 0); G_X (+)= δ W (unless
 * gx = 0): a dense layer's backward, with δ m×out, X m×in, W out×in (`partials`: see
 * matmulAtB). The parameter gradients are added to (`addToParams`) or written, and G_X
 * likewise (`addToInput`). δ and G_X are one job by rows: each thread goes on from the rows
 * of δ it computed.
 */
export function denseBackward(f: i32, a: usize, z: usize, gz: usize, delta: usize, x: usize, w: usize, gw: usize, gb: usize, gx: usize, m: i32, out: i32, inputs: i32, partials: usize, addToParams: bool, addToInput: bool): void {
  setInt(DeltaInputGradientArg.F, f); setPtr(DeltaInputGradientArg.A, a); setPtr(DeltaInputGradientArg.Z, z); setPtr(DeltaInputGradientArg.GradZ, gz);
  setPtr(DeltaInputGradientArg.Delta, delta); setInt(DeltaInputGradientArg.Out, out); setPtr(DeltaInputGradientArg.W, w);
  setPtr(DeltaInputGradientArg.GradX, gx); setInt(DeltaInputGradientArg.Inputs, inputs); setFlag(DeltaInputGradientArg.Accumulate, addToInput);
  run(Op.DeltaInputGradient, m, 4, elementCost(m * out, 1) + (gx != 0 ? macCost(m, inputs, out) : 0));
  matmulAtB(delta, x, gw, out, inputs, m, addToParams, partials);
  if (gb != 0) columnSums(delta, gb, m, out, addToParams);
}

function gemm(a: usize, aRow: usize, aCol: usize, b: usize, c: usize, m: i32, n: i32, k: i32, acc: bool): void {
  setPtr(GemmArg.A, a); setPtr(GemmArg.ARow, aRow); setPtr(GemmArg.ACol, aCol); setPtr(GemmArg.B, b); setPtr(GemmArg.C, c);
  setInt(GemmArg.N, n); setInt(GemmArg.K, k); setFlag(GemmArg.Accumulate, acc);
  run(Op.Gemm, m, 4, macCost(m, n, k));
}

/** C[i, :] += bias for every row of the rows × cols matrix C. */
export function addRowVector(c: usize, bias: usize, rows: i32, cols: i32): void {
  setPtr(AddRowVectorArg.C, c); setPtr(AddRowVectorArg.Bias, bias); setInt(AddRowVectorArg.Cols, cols);
  run(Op.AddRowVector, rows, 1, elementCost(rows, cols));
}

/** out[j] (+)= Σ_i A[i, j] for the rows × cols matrix A (added to out when `acc`, else written). */
export function columnSums(a: usize, out: usize, rows: i32, cols: i32, acc: bool): void {
  setPtr(ColumnSumsArg.A, a); setPtr(ColumnSumsArg.Out, out); setInt(ColumnSumsArg.Rows, rows); setInt(ColumnSumsArg.Cols, cols); setFlag(ColumnSumsArg.Accumulate, acc);
  run(Op.ColumnSums, cols, 16, elementCost(rows, cols));
}

/** out[i, j] = src[i, stride·j], for out rows × cols and src rows × srcCols. */
export function gatherColumns(src: usize, srcCols: i32, stride: i32, out: usize, rows: i32, cols: i32): void {
  setPtr(GatherArg.Src, src); setInt(GatherArg.SrcCols, srcCols); setInt(GatherArg.Stride, stride); setPtr(GatherArg.Out, out); setInt(GatherArg.Cols, cols);
  run(Op.Gather, rows, 1, elementCost(rows, cols));
}

/** dst[i, stride·j] += src[i, j], for src rows × cols and dst rows × dstCols. */
export function scatterAddColumns(src: usize, rows: i32, cols: i32, stride: i32, dst: usize, dstCols: i32): void {
  setPtr(ScatterArg.Src, src); setInt(ScatterArg.Cols, cols); setInt(ScatterArg.Stride, stride); setPtr(ScatterArg.Dst, dst); setInt(ScatterArg.DstCols, dstCols);
  run(Op.Scatter, rows, 1, elementCost(rows, cols));
}

/** M = 0 over `count` elements. */
export function zero(m: usize, count: i32): void {
  setPtr(ZeroArg.M, m);
  run(Op.Zero, count, 16, elementCost(count, 1));
}

/** Z = f(A) over `count` elements (f: 0 ReLU, 1 sigmoid, 2 identity). */
export function activate(f: i32, a: usize, z: usize, count: i32): void {
  setInt(ActivateArg.F, f); setPtr(ActivateArg.A, a); setPtr(ActivateArg.Z, z);
  run(Op.Activate, count, 16, elementCost(count, f == SIGMOID ? 16 : 1));
}

/** δ = G ⊙ f'(A) over `count` elements. */
export function activationBackward(f: i32, a: usize, z: usize, g: usize, d: usize, count: i32): void {
  setInt(ActivationBackwardArg.F, f); setPtr(ActivationBackwardArg.A, a); setPtr(ActivationBackwardArg.Z, z); setPtr(ActivationBackwardArg.GradZ, g);
  setPtr(ActivationBackwardArg.Delta, d);
  run(Op.ActivationBackward, count, 16, elementCost(count, 1));
}

/** C = A + B over `count` elements. */
export function add(a: usize, b: usize, c: usize, count: i32): void {
  setPtr(AddArg.A, a); setPtr(AddArg.B, b); setPtr(AddArg.C, c);
  run(Op.Add, count, 16, elementCost(count, 1));
}

/** M ·= s over `count` elements. */
export function scale(m: usize, s: f64, count: i32): void {
  setPtr(ScaleArg.M, m); setFloat(ScaleFloat.S, s);
  run(Op.Scale, count, 16, elementCost(count, 1));
}

/** Σ (Y − T)² over `count` elements. */
export function squaredError(y: usize, t: usize, count: i32): f64 {
  setPtr(SquaredErrorArg.Y, y); setPtr(SquaredErrorArg.T, t);
  return run(Op.SquaredError, count, 16, elementCost(count, 1));
}

/** G = s · (Y − T) over `count` elements. */
export function squaredErrorGradient(y: usize, t: usize, s: f64, g: usize, count: i32): void {
  setPtr(SquaredErrorGradientArg.Y, y); setPtr(SquaredErrorGradientArg.T, t); setPtr(SquaredErrorGradientArg.G, g); setFloat(SquaredErrorGradientFloat.S, s);
  run(Op.SquaredErrorGradient, count, 16, elementCost(count, 1));
}

/** Σ M² over `count` elements. */
export function sumOfSquares(m: usize, count: i32): f64 {
  setPtr(SumOfSquaresArg.M, m);
  return run(Op.SumOfSquares, count, 16, elementCost(count, 1));
}

/** One SGD update of `count` weights (b = 0: no momentum buffer). */
export function sgd(w: usize, g: usize, b: usize, count: i32, lr: f64, decay: f64, momentum: f64, dampening: f64, nesterov: bool, first: bool): void {
  setPtr(SgdArg.W, w); setPtr(SgdArg.G, g); setPtr(SgdArg.B, b); setFlag(SgdArg.Nesterov, nesterov); setFlag(SgdArg.First, first);
  setFloat(SgdFloat.Lr, lr); setFloat(SgdFloat.Decay, decay); setFloat(SgdFloat.Momentum, momentum); setFloat(SgdFloat.Dampening, dampening);
  run(Op.Sgd, count, 16, elementCost(count, 2));
}

/** One Adam update of `count` weights; the step's scalars are computed by the caller. */
export function adam(w: usize, g: usize, m: usize, v: usize, count: i32, decay: f64, shrink: f64, beta1: f64, beta2: f64, eps: f64, stepSize: f64, sqrtCorrection2: f64): void {
  setPtr(AdamArg.W, w); setPtr(AdamArg.G, g); setPtr(AdamArg.M, m); setPtr(AdamArg.V, v);
  setFloat(AdamFloat.Decay, decay); setFloat(AdamFloat.Shrink, shrink); setFloat(AdamFloat.Beta1, beta1); setFloat(AdamFloat.Beta2, beta2);
  setFloat(AdamFloat.Eps, eps); setFloat(AdamFloat.StepSize, stepSize); setFloat(AdamFloat.SqrtCorrection2, sqrtCorrection2);
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
