import { ReclinkError } from '../../errors.js';

/**
 * The exports of `reclink.wasm` (built from `assembly/`). Pointers are byte offsets into
 * the shared memory; sizes count float32 elements; flags are booleans.
 */
export interface Kernels {
  heapBase(): number;
  /** 1 in the relaxed kernel set (`reclink-relaxed.wasm`), 0 in the plain one. */
  relaxedSimd(): number;
  jobBlockBytes(): number;
  configure(jobBlock: number, threads: number, minParallelWork: number): void;
  workerLoop(jobBlock: number, part: number, threads: number): void;
  stopWorkers(): void;
  matmulAB(a: number, b: number, c: number, m: number, n: number, k: number, accumulate: boolean): void;
  matmulAtB(a: number, b: number, c: number, m: number, n: number, k: number, accumulate: boolean, partials: number): void;
  matmulABt(a: number, b: number, c: number, m: number, n: number, k: number, accumulate: boolean): void;
  denseForward(x: number, w: number, bias: number, f: number, a: number, z: number, m: number, n: number, k: number): void;
  denseBackward(f: number, a: number, z: number, gz: number, delta: number, x: number, w: number, gw: number, gb: number, gx: number, m: number, out: number, inputs: number, partials: number, addToParams: boolean, addToInput: boolean): void;
  addRowVector(c: number, bias: number, rows: number, cols: number): void;
  columnSums(a: number, out: number, rows: number, cols: number, accumulate: boolean): void;
  gatherColumns(src: number, srcCols: number, stride: number, out: number, rows: number, cols: number): void;
  scatterAddColumns(src: number, rows: number, cols: number, stride: number, dst: number, dstCols: number): void;
  zero(m: number, count: number): void;
  activate(f: number, a: number, z: number, count: number): void;
  activationBackward(f: number, a: number, z: number, g: number, d: number, count: number): void;
  add(a: number, b: number, c: number, count: number): void;
  scale(m: number, s: number, count: number): void;
  squaredError(y: number, t: number, count: number): number;
  squaredErrorGradient(y: number, t: number, s: number, g: number, count: number): void;
  sumOfSquares(m: number, count: number): number;
  sgd(w: number, g: number, b: number, count: number, lr: number, decay: number, momentum: number, dampening: number, nesterov: boolean, first: boolean): void;
  adam(w: number, g: number, m: number, v: number, count: number, decay: number, shrink: number, beta1: number, beta2: number, eps: number, stepSize: number, sqrtCorrection2: number): void;
}

const KERNEL_NAMES: Record<keyof Kernels, true> = {
  heapBase: true, relaxedSimd: true, jobBlockBytes: true, configure: true, workerLoop: true, stopWorkers: true,
  matmulAB: true, matmulAtB: true, matmulABt: true, denseForward: true, denseBackward: true, addRowVector: true, columnSums: true,
  gatherColumns: true, scatterAddColumns: true, zero: true, activate: true, activationBackward: true, add: true,
  scale: true, squaredError: true, squaredErrorGradient: true, sumOfSquares: true, sgd: true, adam: true,
};

/**
 * The two builds of the kernels from the same sources: `plain` (WebAssembly SIMD:
 * multiply, then add) and `relaxed` (relaxed SIMD: `f32x4.relaxed_madd` in the matrix
 * products, fused where the processor has FMA). Their results differ in the last bits.
 */
export type KernelSet = 'plain' | 'relaxed';

/** A kernel set, or `auto`: `relaxed` where the runtime validates relaxed SIMD, else `plain`. */
export type KernelSetChoice = KernelSet | 'auto';

/** The smallest module with a relaxed-SIMD instruction: (func (param v128) (result v128) f32x4.relaxed_madd). */
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7b, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00,
  0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x00, 0x20, 0x00, 0xfd, 0x85, 0x02, 0x0b,
]);

/** Whether this runtime compiles relaxed SIMD (Node 20 only after `enableRelaxedSimd`, src/linalg/select-backend.ts). */
export function relaxedSimdSupported(): boolean {
  return WebAssembly.validate(RELAXED_PROBE);
}

/**
 * The kernel set `choice` names, given whether relaxed SIMD runs here: `auto` falls back
 * to `plain`; `relaxed` where it does not run is an error (exit code 2).
 */
export function resolveKernelSet(choice: KernelSetChoice, relaxedRuns: boolean): KernelSet {
  if (choice === 'auto') return relaxedRuns ? 'relaxed' : 'plain';
  if (choice === 'relaxed' && !relaxedRuns) {
    throw new ReclinkError('the relaxed kernel set needs WebAssembly relaxed SIMD, which this runtime does not compile: use --kernels plain or auto', 2);
  }
  if (choice !== 'plain' && choice !== 'relaxed') throw new ReclinkError(`kernels is ${JSON.stringify(choice)}, expected plain, relaxed or auto`, 2);
  return choice;
}

/** The kernels of an instance, after checking that the module exports every one of them. */
export function kernelsOf(instance: WebAssembly.Instance): Kernels {
  const exports = instance.exports;
  for (const name of Object.keys(KERNEL_NAMES)) {
    if (typeof exports[name] !== 'function') {
      throw new ReclinkError(`reclink.wasm has no export ${name}: rebuild it with npm run build`);
    }
  }
  return exports as unknown as Kernels;
}

/** The memory the module imports as `env.memory`. */
export function imports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return { env: { memory } };
}
