import { ADD_TO_PARAMS, WRITE_ALL, type Backend } from '../linalg/backend.js';
import { backendFor, jsBackend } from '../linalg/js-backend.js';
import { assertShape, dtypeOf, type DType, type Matrix } from '../linalg/matrix.js';
import { ReclinkError } from '../errors.js';
import { BatchMatrix } from '../nn/batch-matrix.js';
import { Dense } from '../nn/dense.js';
import { LinkSelect } from '../nn/link-select.js';
import { SquaredError, type LossReduction } from '../nn/loss.js';
import type { Parameter } from '../nn/parameter.js';
import { Recurrent } from '../nn/recurrent.js';
import { linkWidth, resolveConfig, type RecLinkConfig } from './config.js';
import { initialize } from './init.js';
import { parameterSpecs } from './parameters.js';

/** Where and in what precision a model computes. */
export interface ModelOptions {
  /**
   * The kernels (default: the plain TypeScript backend). A backend that does not support
   * `dtype` (float64 on the WebAssembly one) hands the model to the TypeScript backend.
   */
  backend?: Backend;
  /** float32 for training, float64 for gradient checks (default float32). */
  dtype?: DType;
  /**
   * Storage to use as the parameter values, in `parameters` order, instead of new storage
   * drawn by the config's init: a data-parallel replica computes on the weights of the
   * model it serves (see `DataParallel`). Their number, shapes and precision are checked.
   */
  parameterValues?: readonly Matrix[];
}

/** What one forward and backward pass gives. */
export interface GradientResult {
  /** E for the batch. */
  loss: number;
  /** ∂E/∂X through the network, the target held fixed, when asked for with `inputGradient`. */
  inputGradient: Matrix | null;
}

/**
 * The recurrent-link autoencoder of docs/derivation.md:
 *
 *     Z_in = f(X W_inᵀ + b_in)            Z_link = f(X K W_linkᵀ)
 *     Z_rec(t) = f((Z_in + Z_rec(t−1)) W_recᵀ + b_rec),  t = 1..T
 *     Y = g((Z_rec(T) + Z_link) W_outᵀ + b_out)        E = Σ (X − Y)²
 *
 * Buffers are sized per batch size and reused: a step allocates nothing. Matrices it
 * returns are its own buffers, valid until the next pass.
 *
 * @example
 * const net = new RecLinkNet({ seed: 1 });
 * const { loss } = net.computeGradients(batch); // batch: N × 225
 * net.parameter('rec.weight').grad;             // ∂E/∂W_rec
 */
export class RecLinkNet {
  readonly config: RecLinkConfig;
  readonly backend: Backend;
  readonly dtype: DType;
  /** In the order of docs/derivation.md: input, link, rec, output; weight before bias. */
  readonly parameters: readonly Parameter[];
  readonly input: Dense;
  readonly linkSelect: LinkSelect;
  readonly link: Dense;
  readonly rec: Recurrent;
  readonly output: Dense;
  private readonly lossFunctions: Record<LossReduction, SquaredError>;
  private readonly s: BatchMatrix;
  private readonly gradY: BatchMatrix;
  private readonly gradS: BatchMatrix;
  private readonly gradZIn: BatchMatrix;
  private readonly gradXRed: BatchMatrix;
  private readonly gradX: BatchMatrix;
  private x: Matrix | null = null;

  constructor(config: Partial<RecLinkConfig> = {}, options: ModelOptions = {}) {
    this.config = resolveConfig(config);
    this.dtype = options.dtype ?? 'float32';
    this.backend = backendFor(options.backend ?? jsBackend, this.dtype);
    const { inputSize: d, hiddenSize: h, outputActivation, cycles } = this.config;
    const r = linkWidth(this.config);
    const shared = options.parameterValues;
    this.parameters = parameterSpecs(this.config).map(({ name, rows, cols }, i): Parameter => ({
      name,
      value: shared ? sharedValue(shared, i, name, rows, cols, this.dtype) : this.backend.alloc(rows, cols, this.dtype),
      grad: this.backend.alloc(rows, cols, this.dtype),
    }));
    const weight = (layer: string): Parameter => this.parameter(`${layer}.weight`);
    const bias = (layer: string): Parameter | null => this.parameters.find((p) => p.name === `${layer}.bias`) ?? null;

    const { backend, dtype } = this;
    this.input = new Dense(weight('input'), bias('input'), 'relu', backend, dtype);
    this.linkSelect = new LinkSelect(d, this.config.linkStride, backend, dtype);
    this.link = new Dense(weight('link'), bias('link'), 'relu', backend, dtype);
    this.rec = new Recurrent(weight('rec'), bias('rec'), 'relu', cycles, backend, dtype);
    this.output = new Dense(weight('output'), bias('output'), outputActivation, backend, dtype);
    this.lossFunctions = { sum: new SquaredError('sum', backend), mean: new SquaredError('mean', backend) };
    this.s = new BatchMatrix(backend, h, dtype);
    this.gradY = new BatchMatrix(backend, d, dtype);
    this.gradS = new BatchMatrix(backend, h, dtype);
    this.gradZIn = new BatchMatrix(backend, h, dtype);
    this.gradXRed = new BatchMatrix(backend, r, dtype);
    this.gradX = new BatchMatrix(backend, d, dtype);
    if (shared && shared.length !== this.parameters.length) {
      throw new ReclinkError(`${shared.length} parameter values given, the model has ${this.parameters.length}`);
    }
    if (!shared) initialize(this.parameters, this.config.init, this.config.seed);
  }

  /** The parameter called `name` (`input.weight`, ..., `output.bias`). */
  parameter(name: string): Parameter {
    const p = this.parameters.find((q) => q.name === name);
    if (!p) throw new ReclinkError(`no parameter named ${name}; the model has ${this.parameters.map((q) => q.name).join(', ')}`);
    return p;
  }

  /** Number of trainable scalars (45,375 with the defaults). */
  get parameterCount(): number {
    return this.parameters.reduce((sum, p) => sum + p.value.data.length, 0);
  }

  /** Y for a batch X (N × inputSize); caches every intermediate for `backward`. */
  forward(x: Matrix): Matrix {
    this.checkInput(x);
    const zIn = this.input.forward(x);
    const zLink = this.link.forward(this.linkSelect.forward(x));
    const zRec = this.rec.forward(zIn);
    const s = this.s.view(x.rows);
    this.backend.add(zRec, zLink, s); // S = Z_rec(T) + Z_link
    this.x = x;
    return this.output.forward(s);
  }

  /**
   * E of the last forward pass, against its input. `batchRows` is the N of a `mean`
   * (default: the input's rows; more when the input is a slice of a larger batch).
   */
  loss(reduction: LossReduction = 'sum', batchRows?: number): number {
    const x = this.lastInput();
    return this.lossFunctions[reduction].forward(this.output.z, x, batchRows);
  }

  /** Sets every parameter gradient to zero. */
  zeroGrad(): void {
    for (const p of this.parameters) this.backend.zero(p.grad);
  }

  /**
   * Backpropagates E of the last forward pass; parameter gradients accumulate (+=).
   * Returns ∂E/∂X when `inputGradient` is set, else null: the gradient through the network's
   * input, with the loss's target held fixed (it omits the target's own term, −G_Y).
   * `batchRows` is the N of a `mean`, as in `loss`.
   */
  backward(reduction: LossReduction = 'sum', inputGradient = false, batchRows?: number): Matrix | null {
    return this.backpropagate(reduction, inputGradient, batchRows, true);
  }

  /**
   * One forward and backward pass on X; the parameter gradients are set to this pass's (no
   * `zeroGrad` needed). With `mean`, `batchRows` is the N it divides by (default X's rows).
   */
  computeGradients(x: Matrix, reduction: LossReduction = 'sum', inputGradient = false, batchRows = x.rows): GradientResult {
    return this.pass(x, reduction, inputGradient, batchRows, false);
  }

  /**
   * Forward, loss and backward on X, adding to the gradients (not zeroing them first):
   * the gradient of a batch is the sum of its slices'. Returns E of X; with `mean`,
   * `batchRows` is the whole batch's N.
   */
  accumulateGradients(x: Matrix, reduction: LossReduction = 'sum', batchRows = x.rows): number {
    return this.pass(x, reduction, false, batchRows, true).loss;
  }

  /** G_Y = ∂E/∂Y, G_S = ∂E/∂S and G_in = ∂E/∂Z_in of the last backward pass (its own buffers). */
  get activationGradients(): { gradY: Matrix; gradS: Matrix; gradIn: Matrix } {
    const n = this.lastInput().rows;
    return { gradY: this.gradY.view(n), gradS: this.gradS.view(n), gradIn: this.gradZIn.view(n) };
  }

  /** The code S = Z_rec(T) + Z_link of the last forward pass (N × hiddenSize): the output layer's input. */
  get code(): Matrix {
    return this.s.view(this.lastInput().rows);
  }

  /** The input of the last forward pass. */
  lastInput(): Matrix {
    if (this.x === null) throw new ReclinkError('the model has no input yet, expected a forward pass first');
    return this.x;
  }

  private pass(x: Matrix, reduction: LossReduction, inputGradient: boolean, batchRows: number, addToParams: boolean): GradientResult {
    this.forward(x);
    const loss = this.loss(reduction, batchRows);
    return { loss, inputGradient: this.backpropagate(reduction, inputGradient, batchRows, addToParams) };
  }

  /**
   * The backward pass. Each activation gradient is written by its first contributor and
   * added to by the others; so are the parameter gradients unless `addToParams`, which
   * adds every term to what they hold.
   */
  private backpropagate(reduction: LossReduction, inputGradient: boolean, batchRows: number | undefined, addToParams: boolean): Matrix | null {
    const x = this.lastInput();
    const n = x.rows;
    const gradY = this.gradY.view(n);
    const gradS = this.gradS.view(n);
    const gradZIn = this.gradZIn.view(n);
    const gradXRed = inputGradient ? this.gradXRed.view(n) : null;
    const gradX = inputGradient ? this.gradX.view(n) : null;
    const write = addToParams ? ADD_TO_PARAMS : WRITE_ALL;

    this.lossFunctions[reduction].backward(this.output.z, x, gradY, batchRows); // G_Y = 2(Y − X)
    this.output.backward(gradY, gradS, write); // δ_out; G_S = δ_out W_out
    this.link.backward(gradS, gradXRed, write); // δ_link = G_S ⊙ f'(A_link); G_red = δ_link W_link
    this.rec.backward(gradS, gradZIn, write); // δ_rec(T..1); G_in = Σ_t δ_rec(t) W_rec
    this.input.backward(gradZIn, gradX, write); // δ_in = G_in ⊙ f'(A_in); G_X = δ_in W_in
    if (gradXRed && gradX) this.linkSelect.backward(gradXRed, gradX); // G_X += G_red Kᵀ
    return gradX;
  }

  /** Throws, naming what is wrong, unless X is a batch of at least one sample of inputSize values. */
  checkInput(x: Matrix): void {
    checkSamples('input', x, this.config.inputSize);
  }
}

function sharedValue(values: readonly Matrix[], index: number, name: string, rows: number, cols: number, dtype: DType): Matrix {
  const value = values[index];
  if (value === undefined) throw new ReclinkError(`no value given for ${name}, expected ${rows} × ${cols}`);
  assertShape(value, rows, cols, name);
  if (dtypeOf(value) !== dtype) throw new ReclinkError(`the value given for ${name} is ${dtypeOf(value)}, the model computes in ${dtype}`);
  return value;
}

/** Throws unless `data` holds at least one row of `inputSize` values; `what` names it. */
export function checkSamples(what: string, data: Matrix, inputSize: number): void {
  if (data.cols !== inputSize) throw new ReclinkError(`${what} has ${data.cols} columns, the model expects ${inputSize} (inputSize)`);
  if (data.rows < 1) throw new ReclinkError(`${what} has no rows, expected at least one sample`);
  if (data.data.length < data.rows * data.cols) throw new ReclinkError(`${what} holds ${data.data.length} values, expected ${data.rows} × ${data.cols}`);
}
