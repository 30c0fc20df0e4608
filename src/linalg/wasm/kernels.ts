import { ReclinkError } from '../../errors.js';

/**
 * The exports of `reclink.wasm` (built from `assembly/`). Pointers are byte offsets into
 * the shared memory; sizes count float32 elements; flags are booleans.
 */
export interface Kernels {
  heapBase(): number;
  jobBlockBytes(): number;
  configure(jobBlock: number, threads: number, minParallelWork: number): void;
  workerLoop(jobBlock: number, part: number, threads: number): void;
  stopWorkers(): void;
  matmulAB(a: number, b: number, c: number, m: number, n: number, k: number, accumulate: boolean): void;
  matmulAtB(a: number, b: number, c: number, m: number, n: number, k: number, accumulate: boolean, partials: number): void;
  matmulABt(a: number, b: number, c: number, m: number, n: number, k: number, accumulate: boolean): void;
  denseForward(x: number, w: number, bias: number, f: number, a: number, z: number, m: number, n: number, k: number): void;
  denseBackward(f: number, a: number, z: number, gz: number, delta: number, x: number, w: number, gw: number, gb: number, gx: number, m: number, out: number, inputs: number, partials: number): void;
  addRowVector(c: number, bias: number, rows: number, cols: number): void;
  addColumnSums(a: number, out: number, rows: number, cols: number): void;
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
  heapBase: true, jobBlockBytes: true, configure: true, workerLoop: true, stopWorkers: true,
  matmulAB: true, matmulAtB: true, matmulABt: true, denseForward: true, denseBackward: true, addRowVector: true, addColumnSums: true,
  gatherColumns: true, scatterAddColumns: true, zero: true, activate: true, activationBackward: true, add: true,
  scale: true, squaredError: true, squaredErrorGradient: true, sumOfSquares: true, sgd: true, adam: true,
};

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
