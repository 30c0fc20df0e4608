import { ADD_ALL, ADD_TO_PARAMS, WRITE_ALL, type Accumulation, type ActivationName, type Backend } from '../linalg/backend.js';
import { assertShape, type DType, type Matrix } from '../linalg/matrix.js';
import { BatchMatrix } from './batch-matrix.js';
import { Dense } from './dense.js';
import type { Parameter } from './parameter.js';

/**
 * The recurrent layer: one weight-shared cell run for T cycles, with Z_in added to its
 * input in every cycle (docs/derivation.md, "Forward"):
 *
 *     U(t) = Z_in + Z_rec(t−1),  Z_rec(0) = 0
 *     Z_rec(t) = f(U(t) W_recᵀ + b_rec),   t = 1..T
 *
 * Backward through time, given G = ∂E/∂Z_rec(T). Each cycle is a `Dense` on the same
 * parameters, so its backward adds its own term to the shared gradient:
 *
 *     δ_rec(t) = ∂E/∂Z_rec(t) ⊙ f'(A_rec(t))
 *     ∂E/∂W_rec = Σ_t δ_rec(t)ᵀ U(t)           ∂E/∂b_rec = Σ_t Σ_n δ_rec(t)
 *     G_U(t) = δ_rec(t) W_rec  feeds both  ∂E/∂Z_rec(t−1)  and  G_in += G_U(t)
 *
 * so that G_in = (Σ_t δ_rec(t)) W_rec, as Z_in enters every cycle.
 */
export class Recurrent {
  /** One cell per cycle, all on the same weight and bias. */
  readonly cells: readonly Dense[];
  private readonly inputBuffers: readonly BatchMatrix[];
  private readonly gradInputBuffers: readonly BatchMatrix[];

  constructor(
    weight: Parameter,
    bias: Parameter | null,
    activation: ActivationName,
    readonly cycles: number,
    private readonly backend: Backend,
    dtype: DType,
  ) {
    const width = weight.value.rows;
    const perCycle = Array.from({ length: cycles }, () => 0);
    this.cells = perCycle.map(() => new Dense(weight, bias, activation, backend, dtype));
    this.inputBuffers = perCycle.map(() => new BatchMatrix(backend, width, dtype));
    this.gradInputBuffers = perCycle.map(() => new BatchMatrix(backend, width, dtype));
  }

  /** Z_rec(T), caching every cycle. */
  forward(zIn: Matrix): Matrix {
    let zRec = this.cells[0].forward(zIn); // U(1) = Z_in + 0
    for (let t = 1; t < this.cycles; t++) {
      const u = this.inputBuffers[t].view(zIn.rows);
      this.backend.add(zIn, zRec, u);
      zRec = this.cells[t].forward(u);
    }
    return zRec;
  }

  /**
   * Backward through time from G = ∂E/∂Z_rec(T); G_in += Σ_t G_U(t). `accumulate` says
   * whether the parameter gradients and G_in are added to (the default) or written; the
   * last cycle is the first contributor to the shared ∂E/∂W_rec and ∂E/∂b_rec.
   */
  backward(gradZRec: Matrix, gradZIn: Matrix, accumulate: Accumulation = ADD_ALL): void {
    assertShape(gradZIn, gradZRec.rows, gradZRec.cols, 'the input gradient of the recurrent layer'); // G_Z_rec is checked by the last cell
    const n = gradZRec.rows, last = this.cycles - 1;
    if (last === 0) return this.cells[0].backward(gradZRec, gradZIn, accumulate);
    let gradZ = gradZRec;
    for (let t = last; t >= 0; t--) {
      this.cells[t].backward(gradZ, this.gradU(t, n), accumulate.params || t < last ? ADD_TO_PARAMS : WRITE_ALL);
      gradZ = this.gradU(t, n); // U(t) = Z_in + Z_rec(t−1): Z_rec(t−1) gets the same gradient
    }
    // G_in (+)= G_U(T) + … + G_U(1), in that order
    let t = last;
    if (!accumulate.input) {
      this.backend.add(this.gradU(last, n), this.gradU(last - 1, n), gradZIn);
      t = last - 2;
    }
    for (; t >= 0; t--) this.backend.add(gradZIn, this.gradU(t, n), gradZIn);
  }

  /** G_U(t + 1) of the last backward pass, for a batch of n. */
  private gradU(t: number, n: number): Matrix {
    return this.gradInputBuffers[t].view(n);
  }
}
