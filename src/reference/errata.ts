import { jsBackend } from '../linalg/js-backend.js';
import { zeros, type FloatArray, type Matrix } from '../linalg/matrix.js';
import { columnSums, product, productABt, productAtB, transpose } from '../linalg/products.js';
import { linkWidth, type RecLinkConfig } from '../model/config.js';
import { RecLinkNet } from '../model/reclink-net.js';
import { Random } from '../random.js';
import { FiniteDifferences } from './finite-difference.js';
import { randomMatrix } from './random-matrix.js';

/**
 * The exercise's formulas taken literally where SPEC's errata table says they are wrong,
 * each with the measurement that shows how it fails and that the project's formula holds.
 * Shared by `test/errata.test.ts` and the generator of `docs/derivation.md`.
 *
 * Every measurement runs on a fresh float64 model with the default config (torch init,
 * seed 1) and a batch of N = 4 samples uniform in [0, 1) (seed 2). Each literal formula
 * changes one thing at a time: the rest is as the project computes it.
 *
 * A gradient's error is ‖literal − true‖ / ‖true‖ (Frobenius). It is measured twice: over
 * the whole tensor against the project's backpropagation (the figure to report), and over
 * 100 sampled entries (seed 3) against central finite differences, which check the
 * project's gradient in the same run. The sampled figure is independent of the code but
 * rough: where a formula errs on a few rows (inactive units), 100 of thousands of entries
 * can miss or over-weight them, and the figure may be off by a factor of two.
 */
export const ERRATA_SETUP = Object.freeze({ modelSeed: 1, dataSeed: 2, sampleSeed: 3, batch: 4, entries: 100, step: 1e-4 });

/** A model after one forward and backward pass on its batch, and a finite-difference probe. */
export interface ErrataFixture {
  net: RecLinkNet;
  x: Matrix;
  finite: FiniteDifferences;
}

/** The setting of every measurement: see `ERRATA_SETUP`. */
export function errataFixture(batch: number = ERRATA_SETUP.batch, config: Partial<RecLinkConfig> = {}): ErrataFixture {
  const net = new RecLinkNet({ seed: ERRATA_SETUP.modelSeed, ...config }, { dtype: 'float64', backend: jsBackend });
  const x = randomMatrix(batch, net.config.inputSize, Random.fromSeed(ERRATA_SETUP.dataSeed), 'float64', 0, 1);
  net.computeGradients(x, 'sum');
  return { net, x, finite: new FiniteDifferences(net, x, 'sum', ERRATA_SETUP.step) };
}

// ---------------------------------------------------------------------------------------
// 1. 3.1.3: K[3n − 2, n] = 1 for 1 ≤ n ≤ 74.

/**
 * The exercise's selection matrix K (inputSize × width), with K[s·n − (s − 1), n] = 1
 * (1-based) for 1 ≤ n ≤ `filled`: 3.1.3 writes 74 for the 75 columns.
 */
export function selectionMatrix(inputSize: number, stride: number, width: number, filled: number): Matrix {
  const k = zeros(inputSize, width, 'float64');
  for (let n = 1; n <= filled; n++) k.data[(stride * n - (stride - 1) - 1) * width + (n - 1)] = 1;
  return k;
}

/** Erratum 1, the selection matrix K. */
interface SelectionMeasurement {
  /** max |x_reduce[last]| over the batch with the literal K (n ≤ 74). */
  literalLast: number;
  /** The inputs the last element should carry: min and max of X[:, s·(width − 1)]. */
  expectedLast: [number, number];
  /** max |X K − gathered columns| with K filled for 1 ≤ n ≤ 75: the project's gather. */
  correctedDifference: number;
}

/** Erratum 1: X K with K as written, and with all 75 columns, against the model's gather. */
export function measureSelection(): SelectionMeasurement {
  const { net, x } = errataFixture();
  const { inputSize, linkStride } = net.config;
  const width = linkWidth(net.config);
  const literal = product(x, selectionMatrix(inputSize, linkStride, width, width - 1));
  const corrected = product(x, selectionMatrix(inputSize, linkStride, width, width));
  const expected = column(x, linkStride * (width - 1));
  return {
    literalLast: maxAbs(column(literal, width - 1)),
    expectedLast: [Math.min(...expected), Math.max(...expected)],
    correctedDifference: maxAbsDifference(corrected.data, net.link.input.data),
  };
}

// ---------------------------------------------------------------------------------------
// 2. 3.1.3: y = ReLU(A_in).

/** Erratum 2, the output layer's input. */
interface OutputSourceMeasurement {
  /** Shape of the literal y = ReLU(A_in). */
  literalShape: [number, number];
  /** Shape of the target X. */
  targetShape: [number, number];
  /** max |ReLU(A_out) − Y|: the corrected formula against the model's output. */
  correctedDifference: number;
}

/** Erratum 2: y = ReLU(A_in) against the target's shape; ReLU(A_out) against the model. */
export function measureOutputSource(): OutputSourceMeasurement {
  const { net, x } = errataFixture();
  const literal = relu(net.input.a);
  return {
    literalShape: [literal.rows, literal.cols],
    targetShape: [x.rows, x.cols],
    correctedDifference: maxAbsDifference(relu(net.output.a).data, net.output.z.data),
  };
}

// ---------------------------------------------------------------------------------------
// 3. 3.1.3: "X — input batch 225 × N" with A_in = X W_inᵀ + b_in.

/** Erratum 3, the orientation of the batch. */
interface InputOrientationMeasurement {
  /** The product X W_inᵀ with X stored 225 × N: the shapes, and whether they fit. */
  literal: { left: [number, number]; right: [number, number]; defined: boolean };
  /** max |X W_inᵀ + b_in − A_in| with X stored N × 225, against the model. */
  correctedDifference: number;
}

/** Erratum 3: the product X W_inᵀ with X stored 225 × N, and with X stored N × 225. */
export function measureInputOrientation(): InputOrientationMeasurement {
  const { net, x } = errataFixture();
  const w = net.parameter('input.weight').value;
  const literalX = transpose(x); // 225 × N, one sample a column
  const corrected = productABt(x, w);
  jsBackend.addRowVector(corrected, net.parameter('input.bias').value);
  return {
    literal: { left: [literalX.rows, literalX.cols], right: [w.cols, w.rows], defined: literalX.cols === w.cols },
    correctedDifference: maxAbsDifference(corrected.data, net.input.a.data),
  };
}

// ---------------------------------------------------------------------------------------
// 4. 3.1.2 writes a link bias, 3.1.1 and 3.1.3 do not.

/** Erratum 4, the link bias. */
interface LinkBiasMeasurement {
  /** Parameters of the default model (no link bias), and with `linkBias: true`. */
  parameters: { without: number; with: number };
  /** max |X_red W_linkᵀ − A_link| (3.1.3) on the default model. */
  withoutDifference: number;
  /** max |X_red W_linkᵀ + b_link − A_link| (3.1.2) on a model with `linkBias`. */
  withDifference: number;
}

/** Erratum 4: both readings of the link layer, with and without a bias, against the model. */
export function measureLinkBias(): LinkBiasMeasurement {
  const without = errataFixture().net;
  const withBias = errataFixture(ERRATA_SETUP.batch, { linkBias: true }).net;
  const aLink = (net: RecLinkNet): Matrix => {
    const a = productABt(net.link.input, net.parameter('link.weight').value);
    if (net.config.linkBias) jsBackend.addRowVector(a, net.parameter('link.bias').value);
    return a;
  };
  return {
    parameters: { without: without.parameterCount, with: withBias.parameterCount },
    withoutDifference: maxAbsDifference(aLink(without).data, without.link.a.data),
    withDifference: maxAbsDifference(aLink(withBias).data, withBias.link.a.data),
  };
}

// ---------------------------------------------------------------------------------------
// 5. 3.1.2: a_out[n, j] = Σ_i w_out[j, i] z[n, j] + b_out[j].

/**
 * The literal output pre-activation: the sum runs over i but reads z[n, j], so output j is
 * z[n, j] times the sum of row j of W_out. z has H entries, so for j ≥ H it is undefined (NaN).
 */
function literalOutputSum(w: Matrix, b: Matrix, z: Matrix): Matrix {
  const a = zeros(z.rows, w.rows, 'float64');
  for (let n = 0; n < z.rows; n++) {
    for (let j = 0; j < w.rows; j++) {
      const zj = j < z.cols ? z.data[n * z.cols + j] : NaN;
      let sum = 0;
      for (let i = 0; i < w.cols; i++) sum += w.data[j * w.cols + i] * zj;
      a.data[n * a.cols + j] = sum + b.data[j];
    }
  }
  return a;
}

/** Erratum 5, the output layer's sum. */
interface OutputSumMeasurement {
  /** Outputs of a sample that the literal formula leaves undefined (j ≥ H), of D. */
  undefinedOutputs: number;
  /** D, the outputs of a sample. */
  outputs: number;
  /** ‖literal − A_out‖ / ‖A_out‖ over the outputs it defines. */
  relativeError: number;
  /** max |S W_outᵀ + b_out − A_out|: the corrected sum against the model. */
  correctedDifference: number;
}

/** Erratum 5: the literal output sum against A_out. */
export function measureOutputSum(): OutputSumMeasurement {
  const { net } = errataFixture();
  const s = net.output.input;
  const w = net.parameter('output.weight').value, b = net.parameter('output.bias').value;
  const literal = literalOutputSum(w, b, s);
  const aOut = net.output.a.data;
  const defined = [...literal.data.keys()].filter((i) => !Number.isNaN(literal.data[i]));
  const corrected = productABt(s, w);
  jsBackend.addRowVector(corrected, b);
  return {
    undefinedOutputs: (literal.data.length - defined.length) / s.rows,
    outputs: w.rows,
    relativeError: normalizedDistance(defined.map((i) => literal.data[i]), defined.map((i) => aOut[i])),
    correctedDifference: maxAbsDifference(corrected.data, aOut),
  };
}

// ---------------------------------------------------------------------------------------
// 6. 3.2: dE/dw = 2 Σ (x − y) dy/dw.

/**
 * ∂E/∂W_out and ∂E/∂b_out with the loss gradient `lossGradient` (the exercise: 2(X − Y);
 * correct: 2(Y − X)): δ_out = G ⊙ g'(A_out), ∂E/∂W_out = δ_outᵀ S, ∂E/∂b_out = Σ_n δ_out.
 */
export function outputGradients(net: RecLinkNet, lossGradient: Matrix): { weight: Matrix; bias: Matrix } {
  const delta = outputDelta(net, lossGradient);
  return { weight: productAtB(delta, net.output.input), bias: columnSums(delta) };
}

/** δ_out = G ⊙ g'(A_out) for a loss gradient G. */
function outputDelta(net: RecLinkNet, lossGradient: Matrix): Matrix {
  const { output } = net;
  const delta = zeros(lossGradient.rows, lossGradient.cols, 'float64');
  jsBackend.activationBackward(output.activation, output.a, output.z, lossGradient, delta);
  return delta;
}

/** The exercise's loss gradient 2(X − Y), and the correct 2(Y − X). */
export function lossGradient(net: RecLinkNet, x: Matrix, sign: 'literal' | 'corrected'): Matrix {
  const y = net.output.z;
  const g = zeros(y.rows, y.cols, 'float64');
  jsBackend.squaredErrorGradient(y, x, sign === 'literal' ? -2 : 2, g);
  return g;
}

/** Erratum 6, the sign of the loss gradient. */
interface SignMeasurement {
  /** The literal ∂E/∂W_out against the true one. */
  gradient: GradientMeasurement;
  /** ⟨literal, true⟩ / ⟨true, true⟩ for ∂E/∂W_out: −1 is the exact opposite. */
  ratio: number;
  /** E before, and after one SGD step of the output layer with either gradient. */
  loss: { before: number; literalStep: number; correctedStep: number };
  learningRate: number;
}

/** Erratum 6: the literal ∂E/∂W_out against the true one, and one SGD step with each. */
export function measureSign(learningRate = 1e-3): SignMeasurement {
  const fixture = errataFixture();
  const { net, x, finite } = fixture;
  const literal = outputGradients(net, lossGradient(net, x, 'literal'));
  const corrected = outputGradients(net, lossGradient(net, x, 'corrected'));
  const weight = net.parameter('output.weight').value, bias = net.parameter('output.bias').value;
  const stepLoss = (g: { weight: Matrix; bias: Matrix }): number => {
    const saved = [weight.data.slice(), bias.data.slice()];
    sgdStep(weight, g.weight, learningRate);
    sgdStep(bias, g.bias, learningRate);
    const loss = finite.loss();
    weight.data.set(saved[0]);
    bias.data.set(saved[1]);
    return loss;
  };
  const l = Array.from(literal.weight.data), c = Array.from(corrected.weight.data);
  return {
    gradient: compareGradient(fixture, 'output.weight', literal.weight),
    ratio: dot(l, c) / dot(c, c),
    loss: { before: finite.loss(), literalStep: stepLoss(literal), correctedStep: stepLoss(corrected) },
    learningRate,
  };
}

// ---------------------------------------------------------------------------------------
// 7. 3.2 a: δ_out = 2 Σ_n (x_n − y_n) f'(a_n), then dE/dw[k, j] = δ_out · z_j.

/**
 * The literal ∂E/∂W_out of 3.2 a (sign corrected, to isolate this erratum): δ is summed over
 * the batch first, then multiplied by z_j, which carries no sample index; it is read as the
 * batch mean of S[:, j], the reading that is exact for one sample or identical samples.
 */
function literalBatchGradient(net: RecLinkNet, lossGradient: Matrix): Matrix {
  const s = net.output.input;
  const sMean = columnSums(s);
  jsBackend.scale(sMean, 1 / s.rows);
  return productAtB(columnSums(outputDelta(net, lossGradient)), sMean);
}

/** Erratum 7, where the batch sum goes. */
interface BatchSumMeasurement {
  /** The literal ∂E/∂W_out against the true one, by batch size. */
  byBatch: { batch: number; gradient: GradientMeasurement }[];
}

/** Erratum 7: the literal ∂E/∂W_out for one sample and for N = 4. */
export function measureBatchSum(): BatchSumMeasurement {
  const byBatch = [1, ERRATA_SETUP.batch].map((batch) => {
    const fixture = errataFixture(batch);
    const { net, x } = fixture;
    return { batch, gradient: compareGradient(fixture, 'output.weight', literalBatchGradient(net, lossGradient(net, x, 'corrected'))) };
  });
  return { byBatch };
}

// ---------------------------------------------------------------------------------------
// 8–10. 3.2 b, c, d: the hidden layers' gradients.

/** A literal gradient formula against the true gradient (see the module's comment). */
export interface GradientMeasurement {
  /** The parameter whose gradient the formula gives. */
  parameter: string;
  /** Its error over the whole tensor, against the project's backpropagation. */
  literalError: number;
  /** Its error over the sampled entries, against finite differences. */
  literalSampleError: number;
  /** The project's gradient over the sampled entries, against finite differences. */
  correctedError: number;
}

/** G_S = δ_out W_out = ∂E/∂S, as the project computes it. */
function gradS(net: RecLinkNet): Matrix {
  return product(net.output.delta, net.parameter('output.weight').value);
}

/** 3.2 b: δ_link without f'(A_link), so ∂E/∂W_link = G_Sᵀ X_red. */
function literalLinkGradient(net: RecLinkNet): Matrix {
  return productAtB(gradS(net), net.link.input);
}

/** 3.2 c: the last cycle's term alone, ∂E/∂W_rec = δ_rec(T)ᵀ U(T), U(T) = Z_in + Z_rec(T−1). */
function literalRecGradient(net: RecLinkNet): Matrix {
  const last = net.rec.cells[net.rec.cells.length - 1];
  return productAtB(last.delta, last.input);
}

/** 3.2 d: Z_in reaches the loss through the last cycle alone, G_in = δ_rec(T) W_rec. */
function literalInGradient(net: RecLinkNet): Matrix {
  const last = net.rec.cells[net.rec.cells.length - 1];
  const gradIn = product(last.delta, net.parameter('rec.weight').value);
  const deltaIn = zeros(gradIn.rows, gradIn.cols, 'float64');
  jsBackend.activationBackward('relu', net.input.a, net.input.z, gradIn, deltaIn);
  return productAtB(deltaIn, net.input.input);
}

/** Erratum 8: ∂E/∂W_link without f'(A_link). */
export function measureLinkDelta(): GradientMeasurement {
  return measureGradient('link.weight', literalLinkGradient);
}

/** Erratum 9: ∂E/∂W_rec from the last cycle alone. */
export function measureRecSum(): GradientMeasurement {
  return measureGradient('rec.weight', literalRecGradient);
}

/** Erratum 10: ∂E/∂W_in through the last cycle's direct path alone. */
export function measureInPaths(): GradientMeasurement {
  return measureGradient('input.weight', literalInGradient);
}

function measureGradient(parameter: string, literalGradient: (net: RecLinkNet) => Matrix): GradientMeasurement {
  const fixture = errataFixture();
  return compareGradient(fixture, parameter, literalGradient(fixture.net));
}

// ---------------------------------------------------------------------------------------

/** `literal` against the project's gradient of `parameter` and against finite differences. */
function compareGradient({ net, finite }: ErrataFixture, parameter: string, literal: Matrix): GradientMeasurement {
  const p = net.parameter(parameter);
  const gradient = Array.from(p.grad.data), literalValues = Array.from(literal.data);
  const sample = finite.sample(p.value.data, ERRATA_SETUP.entries, Random.fromSeed(ERRATA_SETUP.sampleSeed));
  const pick = (values: readonly number[]): number[] => sample.indices.map((i) => values[i]);
  return {
    parameter,
    literalError: normalizedDistance(literalValues, gradient),
    literalSampleError: normalizedDistance(pick(literalValues), sample.numeric),
    correctedError: normalizedDistance(pick(gradient), sample.numeric),
  };
}

/** ‖a − b‖₂ / ‖b‖₂. */
function normalizedDistance(a: readonly number[], b: readonly number[]): number {
  const difference = a.map((v, i) => v - b[i]);
  return Math.sqrt(dot(difference, difference) / dot(b, b));
}

function dot(a: readonly number[], b: readonly number[]): number {
  return a.reduce((sum, v, i) => sum + v * b[i], 0);
}

/** Plain gradient descent on one tensor: value −= learningRate · gradient. */
export function sgdStep(value: Matrix, gradient: Matrix, learningRate: number): void {
  for (let i = 0; i < value.data.length; i++) value.data[i] -= learningRate * gradient.data[i];
}

function relu(a: Matrix): Matrix {
  const z = zeros(a.rows, a.cols, 'float64');
  jsBackend.activate('relu', a, z);
  return z;
}

function column(m: Matrix, j: number): number[] {
  return Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + j]);
}

function maxAbs(values: readonly number[]): number {
  return values.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
}

function maxAbsDifference(a: FloatArray, b: FloatArray): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
