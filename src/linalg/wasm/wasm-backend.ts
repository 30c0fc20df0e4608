import type { Accumulation, ActivationName, Backend, BackendDescription } from '../backend.js';
import type { DType, Matrix } from '../matrix.js';
import { ReclinkError } from '../../errors.js';
import { WasmHeap } from './heap.js';
import { imports, kernelsOf, type Kernels, type KernelSet } from './kernels.js';
import { Staging } from './staging.js';
import type { WorkerPool } from './threads.js';

/** How a WebAssembly backend is set up. */
export interface WasmBackendOptions {
  /**
   * Threads that share each large kernel, the calling one included (default 1). More
   * than one starts Node worker threads over the shared memory.
   */
  threads?: number;
  /**
   * A kernel estimated to take less than this many nanoseconds on one thread runs on one
   * thread (default 10,000): below it, handing work to another thread (about 1 µs) and
   * moving the data it wrote to the other core cost more than they save. The SGD update of
   * the largest weight (17k elements) stays on one thread: at small batches the next forward
   * pass reads the weights on the calling thread.
   */
  minParallelWork?: number;
  /** The most bytes the memory may grow to (default 1 GiB, at most 4 GiB). */
  maxMemoryBytes?: number;
}

/** Threads a backend may use (the module's job block serves up to 64). */
export const MAX_THREADS = 64;
const PAGE_BYTES = 65536;
const DEFAULT_MAX_BYTES = 2 ** 30;
const DEFAULT_MIN_PARALLEL_WORK = 10_000;
const ACTIVATION_CODES: Record<ActivationName, number> = { relu: 0, sigmoid: 1, identity: 2 };
const KERNEL_SET_NAMES: Record<KernelSet, string> = { plain: 'WebAssembly SIMD', relaxed: 'WebAssembly relaxed SIMD' };
/** Staging slots 0–8 hold operands; this one the threads' partial sums of Aᵀ·B. */
const PARTIALS_SLOT = 9;

/**
 * Compiles `reclink.wasm` or `reclink-relaxed.wasm` (its bytes, or the compiled module; the
 * relaxed one where the runtime compiles relaxed SIMD) and returns a backend that
 * computes on it. Works in browsers too; `threads` > 1 needs Node.
 *
 * @example
 * const backend = await createWasmBackend(await (await fetch('reclink.wasm')).arrayBuffer());
 * const net = new RecLinkNet({}, { backend });
 */
export async function createWasmBackend(source: BufferSource | WebAssembly.Module, options: WasmBackendOptions = {}): Promise<WasmBackend> {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new ReclinkError(`threads is ${threads}, expected an integer from 1 to ${MAX_THREADS}`, 2);
  }
  const maxBytes = options.maxMemoryBytes ?? DEFAULT_MAX_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes < PAGE_BYTES || maxBytes > 2 ** 32) {
    throw new ReclinkError(`maxMemoryBytes is ${maxBytes}, expected an integer from ${PAGE_BYTES} to ${2 ** 32}`, 2);
  }
  const module = source instanceof WebAssembly.Module ? source : await WebAssembly.compile(source);
  const memory = new WebAssembly.Memory({ initial: 1, maximum: Math.floor(maxBytes / PAGE_BYTES), shared: true });
  const kernels = kernelsOf(await WebAssembly.instantiate(module, imports(memory)));
  const heap = new WasmHeap(memory, kernels.heapBase(), maxBytes);
  const jobBlock = heap.allocate(kernels.jobBlockBytes());
  kernels.configure(jobBlock, threads, options.minParallelWork ?? DEFAULT_MIN_PARALLEL_WORK);
  const workers = threads > 1 ? await (await import('./threads.js')).startWorkers(module, memory, jobBlock, threads) : null;
  return new WasmBackend(module, kernels, heap, jobBlock, workers, threads);
}

/** Bytes of a memory set aside for another backend: [start, end). */
export interface MemoryRegion {
  start: number;
  end: number;
}

/** `backend` as the WebAssembly backend (its memory, module and regions), or null when it is another. */
export function wasmBackendOf(backend: Backend): WasmBackend | null {
  return backend instanceof WasmBackend ? backend : null;
}

/**
 * A one-thread backend on another backend's memory (in a worker thread, say), allocating
 * only inside `region`, which that backend set aside with `reserveRegion` (`name` says
 * what the region is, when it is full): its matrices and the other's are in one address
 * space, so each side's kernels can read the other's.
 */
export function attachWasmBackend(module: WebAssembly.Module, memory: WebAssembly.Memory, region: MemoryRegion, name = 'the memory region'): WasmBackend {
  const kernels = kernelsOf(new WebAssembly.Instance(module, imports(memory)));
  const heap = new WasmHeap(memory, region.start, region.end, name);
  const jobBlock = heap.allocate(kernels.jobBlockBytes());
  kernels.configure(jobBlock, 1, 0);
  return new WasmBackend(module, kernels, heap, jobBlock, null, 1);
}

/**
 * The WebAssembly SIMD backend: float32 kernels in AssemblyScript (`assembly/`), on
 * storage in one shared WebAssembly memory. It supports float32 only (`backendFor` gives a
 * float64 model the JS backend); float32 matrices from elsewhere are copied in (and results
 * out) per call.
 */
export class WasmBackend implements Backend {
  private readonly staging: Staging;

  /** Use `createWasmBackend` or `attachWasmBackend`. */
  constructor(
    /** The compiled `reclink.wasm`, for other threads to instantiate on `memory`. */
    readonly module: WebAssembly.Module,
    private readonly kernels: Kernels,
    private readonly heap: WasmHeap,
    private readonly jobBlock: number,
    private workers: WorkerPool | null,
    private threadCount: number,
  ) {
    this.staging = new Staging(heap);
  }

  describe(): BackendDescription {
    return { name: 'wasm', kernels: KERNEL_SET_NAMES[this.kernelSet], threads: this.threadCount };
  }

  /** Which build of the kernels this is: `relaxed` (fused products) or `plain`. */
  get kernelSet(): KernelSet {
    return this.kernels.relaxedSimd() ? 'relaxed' : 'plain';
  }

  supports(dtype: DType): boolean {
    return dtype === 'float32';
  }

  /** Threads sharing each large kernel, the calling one included. */
  get threads(): number {
    return this.threadCount;
  }

  /** The shared memory every matrix of this backend lives in. */
  get memory(): WebAssembly.Memory {
    return this.heap.memory;
  }

  /** Sets aside `bytes` of the memory (zeroed) for another backend (`attachWasmBackend`). */
  reserveRegion(bytes: number): MemoryRegion {
    const start = this.heap.allocate(bytes);
    return { start, end: start + bytes };
  }

  /** The address of `m`'s elements in the memory, or −1 when they lie elsewhere. */
  addressOf(m: Matrix): number {
    return this.heap.addressOf(m.data);
  }

  /** A matrix on the memory's floats at `address` (another backend's storage, say). */
  matrixAt(address: number, rows: number, cols: number): Matrix {
    return { rows, cols, data: this.heap.view(address, rows * cols) };
  }

  /** Stops the worker threads; the backend then computes on the calling thread only. */
  async close(): Promise<void> {
    const workers = this.workers;
    if (workers === null) return;
    this.workers = null;
    this.threadCount = 1;
    this.kernels.stopWorkers();
    this.kernels.configure(this.jobBlock, 1, 0);
    await workers.close();
  }

  alloc(rows: number, cols: number, dtype: DType): Matrix {
    if (dtype !== 'float32') throw new ReclinkError(`the wasm backend computes float32 matrices, asked for a ${dtype} one: give a ${dtype} model the js backend`);
    return { rows, cols, data: this.heap.allocateFloats(rows * cols) };
  }

  matmulABt(a: Matrix, b: Matrix, c: Matrix, accumulate: boolean): void {
    this.kernels.matmulABt(this.in(a, 0), this.in(b, 1), this.in(c, 2), a.rows, b.rows, a.cols, accumulate);
    this.out(c, 2);
  }

  denseForward(x: Matrix, w: Matrix, bias: Matrix | null, f: ActivationName, a: Matrix, z: Matrix): void {
    const pb = bias ? this.in(bias, 4) : 0;
    this.kernels.denseForward(this.in(x, 0), this.in(w, 1), pb, ACTIVATION_CODES[f], this.in(a, 2), this.in(z, 3), x.rows, w.rows, x.cols);
    this.out(a, 2);
    this.out(z, 3);
  }

  denseBackward(f: ActivationName, a: Matrix, z: Matrix, gradZ: Matrix, delta: Matrix, x: Matrix, w: Matrix, gradW: Matrix, gradB: Matrix | null, gradX: Matrix | null, accumulate: Accumulation): void {
    const pgb = gradB ? this.in(gradB, 7) : 0;
    const pgx = gradX ? this.in(gradX, 8) : 0;
    const pa = this.in(a, 0), pz = this.in(z, 1), pg = this.in(gradZ, 2), pd = this.in(delta, 3);
    const px = this.in(x, 4), pw = this.in(w, 5), pgw = this.in(gradW, 6);
    this.kernels.denseBackward(ACTIVATION_CODES[f], pa, pz, pg, pd, px, pw, pgw, pgb, pgx, x.rows, w.rows, w.cols, this.partials(gradW), accumulate.params, accumulate.input);
    this.out(delta, 3);
    this.out(gradW, 6);
    if (gradB) this.out(gradB, 7);
    if (gradX) this.out(gradX, 8);
  }

  matmulAtB(a: Matrix, b: Matrix, c: Matrix, accumulate: boolean): void {
    this.kernels.matmulAtB(this.in(a, 0), this.in(b, 1), this.in(c, 2), a.cols, b.cols, a.rows, accumulate, this.partials(c));
    this.out(c, 2);
  }

  matmulAB(a: Matrix, b: Matrix, c: Matrix, accumulate: boolean): void {
    this.kernels.matmulAB(this.in(a, 0), this.in(b, 1), this.in(c, 2), a.rows, b.cols, a.cols, accumulate);
    this.out(c, 2);
  }

  addRowVector(c: Matrix, bias: Matrix): void {
    this.kernels.addRowVector(this.in(c, 0), this.in(bias, 1), c.rows, c.cols);
    this.out(c, 0);
  }

  columnSums(a: Matrix, out: Matrix, accumulate: boolean): void {
    this.kernels.columnSums(this.in(a, 0), this.in(out, 1), a.rows, a.cols, accumulate);
    this.out(out, 1);
  }

  gatherColumns(src: Matrix, stride: number, out: Matrix): void {
    this.kernels.gatherColumns(this.in(src, 0), src.cols, stride, this.in(out, 1), out.rows, out.cols);
    this.out(out, 1);
  }

  scatterAddColumns(src: Matrix, stride: number, dst: Matrix): void {
    this.kernels.scatterAddColumns(this.in(src, 0), src.rows, src.cols, stride, this.in(dst, 1), dst.cols);
    this.out(dst, 1);
  }

  activate(f: ActivationName, a: Matrix, z: Matrix): void {
    this.kernels.activate(ACTIVATION_CODES[f], this.in(a, 0), this.in(z, 1), size(z));
    this.out(z, 1);
  }

  activationBackward(f: ActivationName, a: Matrix, z: Matrix, gradZ: Matrix, delta: Matrix): void {
    this.kernels.activationBackward(ACTIVATION_CODES[f], this.in(a, 0), this.in(z, 1), this.in(gradZ, 2), this.in(delta, 3), size(delta));
    this.out(delta, 3);
  }

  add(a: Matrix, b: Matrix, c: Matrix): void {
    this.kernels.add(this.in(a, 0), this.in(b, 1), this.in(c, 2), size(c));
    this.out(c, 2);
  }

  squaredError(y: Matrix, target: Matrix): number {
    return this.kernels.squaredError(this.in(y, 0), this.in(target, 1), size(y));
  }

  squaredErrorGradient(y: Matrix, target: Matrix, scale: number, grad: Matrix): void {
    this.kernels.squaredErrorGradient(this.in(y, 0), this.in(target, 1), scale, this.in(grad, 2), size(grad));
    this.out(grad, 2);
  }

  zero(m: Matrix): void {
    // Filling a view on shared memory from JavaScript is slow; elsewhere it is fast.
    const at = this.heap.addressOf(m.data);
    if (at < 0) m.data.fill(0);
    else this.kernels.zero(at, size(m));
  }

  sumOfSquares(m: Matrix): number {
    return this.kernels.sumOfSquares(this.in(m, 0), size(m));
  }

  scale(m: Matrix, s: number): void {
    this.kernels.scale(this.in(m, 0), s, size(m));
    this.out(m, 0);
  }

  sgdUpdate(value: Matrix, grad: Matrix, velocity: Matrix | null, lr: number, weightDecay: number, momentum: number, dampening: number, nesterov: boolean, firstStep: boolean): void {
    const b = velocity ? this.in(velocity, 2) : 0;
    this.kernels.sgd(this.in(value, 0), this.in(grad, 1), b, size(value), lr, weightDecay, momentum, dampening, nesterov, firstStep);
    this.out(value, 0);
    if (velocity) this.out(velocity, 2);
  }

  adamUpdate(value: Matrix, grad: Matrix, m: Matrix, v: Matrix, coupledDecay: number, shrink: number, beta1: number, beta2: number, eps: number, stepSize: number, sqrtCorrection2: number): void {
    const pw = this.in(value, 0), pg = this.in(grad, 1), pm = this.in(m, 2), pv = this.in(v, 3);
    this.kernels.adam(pw, pg, pm, pv, size(value), coupledDecay, shrink, beta1, beta2, eps, stepSize, sqrtCorrection2);
    this.out(value, 0);
    this.out(m, 2);
    this.out(v, 3);
  }

  /** Room for the other threads' partial sums of a weight gradient shaped like `c` (0: one thread). */
  private partials(c: Matrix): number {
    return this.threadCount > 1 ? this.staging.reserve(PARTIALS_SLOT, (this.threadCount - 1) * size(c)) : 0;
  }

  /** The address of an operand's elements (copied into staging slot `slot` if it lives elsewhere). */
  private in(m: Matrix, slot: number): number {
    return this.staging.address(m, slot);
  }

  /** Copies a result back out of staging slot `slot` when its matrix lives elsewhere. */
  private out(m: Matrix, slot: number): void {
    this.staging.writeBack(m, slot);
  }
}

function size(m: Matrix): number {
  return m.rows * m.cols;
}
