import type { DType, Matrix } from './matrix.js';

/** The activation functions of the network: f for hidden layers, g for the output. */
export type ActivationName = 'relu' | 'sigmoid' | 'identity';

/**
 * The kernels the network needs, behind one interface so that a backend (plain
 * TypeScript, WebAssembly SIMD) can be swapped without touching the layers.
 *
 * Shapes are checked by the callers (the layers); kernels trust them. Every kernel that
 * takes `accumulate` adds into its output when it is true and overwrites it when false.
 * All the matrices of a call have one dtype, one the backend `supports`.
 */
export interface Backend {
  /** What computes: the backend's name, its kernel set and its threads. */
  describe(): BackendDescription;
  /**
   * Whether the kernels compute on matrices of `dtype` (the WebAssembly kernels: float32
   * only). `backendFor` routes the other dtype to the JS backend, once, for a whole model.
   */
  supports(dtype: DType): boolean;
  /** Releases what the backend holds (worker threads); it computes on the calling thread afterwards. */
  close(): Promise<void>;
  /** Allocates a zeroed `rows × cols` matrix in memory this backend can compute on. */
  alloc(rows: number, cols: number, dtype: DType): Matrix;
  /** C (+)= A·Bᵀ, with A m×k, B n×k, C m×n (a layer's forward: X Wᵀ). */
  matmulABt(a: Matrix, b: Matrix, c: Matrix, accumulate: boolean): void;
  /** C (+)= Aᵀ·B, with A k×m, B k×n, C m×n (a weight gradient: δᵀ X). */
  matmulAtB(a: Matrix, b: Matrix, c: Matrix, accumulate: boolean): void;
  /** C (+)= A·B, with A m×k, B k×n, C m×n (an input gradient: δ W). */
  matmulAB(a: Matrix, b: Matrix, c: Matrix, accumulate: boolean): void;
  /** C[i, :] += bias[0, :] for every row i. */
  addRowVector(c: Matrix, bias: Matrix): void;
  /** out[0, j] (+)= Σ_i A[i, j] (a bias gradient: Σ_n δ). */
  columnSums(a: Matrix, out: Matrix, accumulate: boolean): void;
  /** out[i, j] = src[i, stride·j]: X K for the exercise's selection matrix K, without K. */
  gatherColumns(src: Matrix, stride: number, out: Matrix): void;
  /** dst[i, stride·j] += src[i, j]: the transpose of `gatherColumns` (G_X += G_red Kᵀ). */
  scatterAddColumns(src: Matrix, stride: number, dst: Matrix): void;
  /** Z = f(A), element-wise. */
  activate(f: ActivationName, a: Matrix, z: Matrix): void;
  /** δ = G_Z ⊙ f'(A), element-wise; `z` = f(A) is passed for functions whose derivative uses it. */
  activationBackward(f: ActivationName, a: Matrix, z: Matrix, gradZ: Matrix, delta: Matrix): void;
  /** C = A + B, element-wise (C may alias A or B). */
  add(a: Matrix, b: Matrix, c: Matrix): void;
  /** Σ (Y − T)², over every element. */
  squaredError(y: Matrix, target: Matrix): number;
  /** G = scale · (Y − T), element-wise (the loss gradient is 2(Y − T) for the sum). */
  squaredErrorGradient(y: Matrix, target: Matrix, scale: number, grad: Matrix): void;
  /** Sets every element of M to zero. */
  zero(m: Matrix): void;
  /** Σ M², over every element (for gradient norms). */
  sumOfSquares(m: Matrix): number;
  /** M ·= s, element-wise (for gradient clipping). */
  scale(m: Matrix, s: number): void;
  /**
   * One SGD step on a parameter, with momentum when `velocity` (its buffer) is given: the
   * rule, its symbols and its documentation are `Sgd`'s (src/train/sgd.ts).
   */
  sgdUpdate(value: Matrix, grad: Matrix, velocity: Matrix | null, lr: number, weightDecay: number, momentum: number, dampening: number, nesterov: boolean, firstStep: boolean): void;
  /**
   * One Adam or AdamW step on a parameter with moments `m` and `v`, given the step's scalars
   * (`adamStepScalars`): the rule and its documentation are `AdamFamily`'s (src/train/adam.ts).
   */
  adamUpdate(value: Matrix, grad: Matrix, m: Matrix, v: Matrix, coupledDecay: number, shrink: number, beta1: number, beta2: number, eps: number, stepSize: number, sqrtCorrection2: number): void;
  /** Optional, fused `denseForward` (see that function): one call instead of three. */
  denseForward?(x: Matrix, w: Matrix, bias: Matrix | null, f: ActivationName, a: Matrix, z: Matrix): void;
  /** Optional, fused `denseBackward` (see that function): one call instead of four. */
  denseBackward?(f: ActivationName, a: Matrix, z: Matrix, gradZ: Matrix, delta: Matrix, x: Matrix, w: Matrix, gradW: Matrix, gradB: Matrix | null, gradX: Matrix | null, accumulate: Accumulation): void;
}

/**
 * Whether a backward pass adds its gradients to what their buffers hold (`true`) or writes
 * them (`false`). A gradient is a sum over every use of a value; in one pass, its first
 * contributor writes and the later ones add, which is the sum without a zeroing pass.
 */
export interface Accumulation {
  /** ∂E/∂W and ∂E/∂b. */
  params: boolean;
  /** G_X, the gradient of the layer's input. */
  input: boolean;
}

/** Every gradient added to what its buffer holds: the rule when nothing says otherwise. */
export const ADD_ALL: Accumulation = Object.freeze({ params: true, input: true });
/** Every gradient written: the first contributor to each in a pass. */
export const WRITE_ALL: Accumulation = Object.freeze({ params: false, input: false });
/** Parameter gradients added to, G_X written: a later use of shared parameters in a pass. */
export const ADD_TO_PARAMS: Accumulation = Object.freeze({ params: true, input: false });

/** What a backend is, for logs and run records (`Backend.describe`). */
export interface BackendDescription {
  /** A short name: `js`, `wasm`. */
  name: string;
  /** The kernel set: `TypeScript`, `WebAssembly SIMD`, `WebAssembly relaxed SIMD`. */
  kernels: string;
  /** Threads sharing each large kernel, the calling one included. */
  threads: number;
}

/**
 * A dense layer's forward: A = X Wᵀ (+ b), then Z = f(A) — the backend's fused kernel
 * when it has one, else its three kernels in turn.
 */
export function denseForward(backend: Backend, x: Matrix, w: Matrix, bias: Matrix | null, f: ActivationName, a: Matrix, z: Matrix): void {
  if (backend.denseForward) return backend.denseForward(x, w, bias, f, a, z);
  backend.matmulABt(x, w, a, false);
  if (bias) backend.addRowVector(a, bias);
  backend.activate(f, a, z);
}

/**
 * A dense layer's backward: δ = G_Z ⊙ f'(A); ∂E/∂W (+)= δᵀX; ∂E/∂b (+)= Σ_n δ (when
 * `gradB` is given); G_X (+)= δ W (when `gradX` is given), each added or written as
 * `accumulate` says — fused when the backend can.
 */
export function denseBackward(backend: Backend, f: ActivationName, a: Matrix, z: Matrix, gradZ: Matrix, delta: Matrix, x: Matrix, w: Matrix, gradW: Matrix, gradB: Matrix | null, gradX: Matrix | null, accumulate: Accumulation = ADD_ALL): void {
  if (backend.denseBackward) return backend.denseBackward(f, a, z, gradZ, delta, x, w, gradW, gradB, gradX, accumulate);
  backend.activationBackward(f, a, z, gradZ, delta);
  backend.matmulAtB(delta, x, gradW, accumulate.params);
  if (gradB) backend.columnSums(delta, gradB, accumulate.params);
  if (gradX) backend.matmulAB(delta, w, gradX, accumulate.input);
}
