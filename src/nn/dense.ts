import { ADD_ALL, denseBackward, denseForward, type Accumulation, type ActivationName, type Backend } from '../linalg/backend.js';
import { assertShape, type DType, type Matrix } from '../linalg/matrix.js';
import { BatchMatrix } from './batch-matrix.js';
import type { Parameter } from './parameter.js';
import { ReclinkError } from '../errors.js';

/**
 * A fully connected layer followed by an activation f (docs/derivation.md, "Forward"):
 *
 *     A = X Wᵀ + b          Z = f(A)
 *
 * and its backward pass, given G_Z = ∂E/∂Z (docs/derivation.md, "Backward"):
 *
 *     δ = G_Z ⊙ f'(A)
 *     ∂E/∂W += δᵀ X         ∂E/∂b += Σ_n δ         G_X += δ W
 *
 * Gradients accumulate: several layers may share one weight (the recurrent cycles), and
 * one input may feed several layers (X feeds `input` and `link`). The first contributor
 * of a pass writes its terms instead of adding them (`Accumulation`), so that no buffer
 * needs zeroing first.
 */
export class Dense {
  private cachedX: Matrix | null = null;
  private readonly aBuffer: BatchMatrix;
  private readonly zBuffer: BatchMatrix;
  private readonly deltaBuffer: BatchMatrix;

  /**
   * @param weight `out × in`, shared with any other layer built on the same parameter.
   * @param bias `1 × out`, or null for a layer without bias (the link layer by default).
   */
  constructor(
    readonly weight: Parameter,
    readonly bias: Parameter | null,
    readonly activation: ActivationName,
    private readonly backend: Backend,
    dtype: DType,
  ) {
    const out = weight.value.rows;
    this.aBuffer = new BatchMatrix(backend, out, dtype);
    this.zBuffer = new BatchMatrix(backend, out, dtype);
    this.deltaBuffer = new BatchMatrix(backend, out, dtype);
  }

  /** Input width (columns of W). */
  get inFeatures(): number {
    return this.weight.value.cols;
  }

  /** Output width (rows of W). */
  get outFeatures(): number {
    return this.weight.value.rows;
  }

  /** Z = f(X Wᵀ + b); caches X, A and Z for `backward`. */
  forward(x: Matrix): Matrix {
    if (x.cols !== this.inFeatures) throw new ReclinkError(`input of ${this.weight.name} has ${x.cols} columns, expected ${this.inFeatures}`);
    const n = x.rows;
    const a = this.aBuffer.view(n);
    const z = this.zBuffer.view(n);
    denseForward(this.backend, x, this.weight.value, this.bias?.value ?? null, this.activation, a, z);
    this.cachedX = x;
    return z;
  }

  /**
   * δ = G_Z ⊙ f'(A); ∂E/∂W += δᵀX; ∂E/∂b += Σ_n δ; G_X += δ W (when `gradX` is given);
   * each `=` instead of `+=` where `accumulate` says so (default: all added).
   * G_Z is N × out and G_X N × in, for the N rows of the last forward pass.
   */
  backward(gradZ: Matrix, gradX: Matrix | null, accumulate: Accumulation = ADD_ALL): void {
    const x = this.cachedX;
    if (x === null) throw new ReclinkError(`${this.weight.name}: backward called before forward, expected a forward pass first`);
    const n = x.rows;
    assertShape(gradZ, n, this.outFeatures, () => `the output gradient of ${this.weight.name}`);
    if (gradX) assertShape(gradX, n, this.inFeatures, () => `the input gradient of ${this.weight.name}`);
    const delta = this.deltaBuffer.view(n);
    const a = this.aBuffer.view(n);
    const z = this.zBuffer.view(n);
    denseBackward(this.backend, this.activation, a, z, gradZ, delta, x, this.weight.value, this.weight.grad, this.bias?.grad ?? null, gradX, accumulate);
  }

  /** X of the last forward pass. */
  get x(): Matrix {
    if (this.cachedX === null) throw new ReclinkError(`${this.weight.name}: no forward pass yet, expected a forward pass first`);
    return this.cachedX;
  }

  /** A of the last forward pass. */
  get a(): Matrix {
    return this.cached(this.aBuffer);
  }

  /** Z of the last forward pass. */
  get z(): Matrix {
    return this.cached(this.zBuffer);
  }

  /** δ of the last backward pass. */
  get delta(): Matrix {
    return this.cached(this.deltaBuffer);
  }

  private cached(buffer: BatchMatrix): Matrix {
    return buffer.view(this.x.rows);
  }
}
