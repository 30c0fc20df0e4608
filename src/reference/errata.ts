import { jsBackend } from '../linalg/js-backend.js';
import type { Matrix } from '../linalg/matrix.js';
import { linkWidth, type RecLinkConfig } from '../model/config.js';
import { RecLinkNet } from '../model/reclink-net.js';
import { Random } from '../random.js';
import { FiniteDifferences } from './finite-difference.js';
import { randomMatrix } from './random-matrix.js';
import { affine, referenceParameters, referencePass, sum, table, toRows, type ReferenceParameters, type ReferenceResult, type Rows } from './scalar.js';
import { InternalError } from '../errors.js';

/**
 * The exercise's formulas taken literally where the errata table of docs/derivation.md says they are wrong,
 * each with the measurement that shows how it fails and that the project's formula holds.
 * Shared by `test/errata.test.ts` and the generator of `docs/derivation.md`.
 *
 * Every measurement runs on a fresh float64 model (JS backend) with the default config
 * (torch init, seed 1) and a batch of N = 4 samples uniform in [0, 1) (seed 2). Each literal
 * formula changes one thing at a time: the rest is as docs/derivation.md defines it.
 *
 * Both sides of a row are measured against code the model does not run:
 * - the literal formula is written index by index on the values of the float64 scalar
 *   reference (`referencePass`) and compared with the reference's correct value;
 * - the model's value (the corrected formula, as the project computes it) is compared with
 *   the same reference, and a gradient also with central finite differences.
 *
 * An error is ‖a − b‖ / ‖b‖ (Frobenius), b the reference. A gradient's is measured over the
 * whole tensor against the reference, and over 100 sampled entries (seed 3) against finite
 * differences. The sampled figure is rough: where a formula errs on a few rows (inactive
 * units), 100 of thousands of entries can miss or over-weight them.
 */
export const ERRATA_SETUP = Object.freeze({ modelSeed: 1, dataSeed: 2, sampleSeed: 3, batch: 4, entries: 100, step: 1e-4, seeds: 8 });

/** A model after one forward and backward pass on its batch, the scalar reference's pass, and a finite-difference probe. */
export interface ErrataFixture {
  net: RecLinkNet;
  x: Matrix;
  finite: FiniteDifferences;
  /** The model's parameters and the batch as rows. */
  p: ReferenceParameters;
  xRows: Rows;
  /** The scalar reference on the same parameters and batch. */
  reference: ReferenceResult;
}

/** The setting of every measurement: see `ERRATA_SETUP`. */
export function errataFixture(batch: number = ERRATA_SETUP.batch, config: Partial<RecLinkConfig> = {}): ErrataFixture {
  const net = new RecLinkNet({ seed: ERRATA_SETUP.modelSeed, ...config }, { dtype: 'float64', backend: jsBackend });
  const x = randomMatrix(batch, net.config.inputSize, Random.fromSeed(ERRATA_SETUP.dataSeed), 'float64', 0, 1);
  net.computeGradients(x, 'sum');
  const p = referenceParameters(net), xRows = toRows(x);
  return { net, x, finite: new FiniteDifferences(net, x, 'sum', ERRATA_SETUP.step), p, xRows, reference: referencePass(net.config, p, xRows) };
}

// ---------------------------------------------------------------------------------------
// 1. 3.1.3: K[3n − 2, n] = 1 for 1 ≤ n ≤ 74.

/**
 * The exercise's selection matrix K (inputSize × width), with K[s·n − (s − 1), n] = 1
 * (1-based) for 1 ≤ n ≤ `filled`: 3.1.3 writes 74 for the 75 columns.
 */
export function selectionMatrix(inputSize: number, stride: number, width: number, filled: number): Rows {
  return table(inputSize, width, (i, j) => (j < filled && i === stride * j ? 1 : 0));
}

/** Erratum 1, the selection matrix K. */
interface SelectionMeasurement {
  /** max |x_reduce[last]| over the batch with the literal K (n ≤ 74). */
  literalLast: number;
  /** The inputs the last element should carry: min and max of X[:, s·(width − 1)]. */
  expectedLast: [number, number];
  /** A_link = (X K) W_linkᵀ with the literal K, against the reference's A_link. */
  literalLinkError: number;
  /** max |X K − X_red| with K filled for 1 ≤ n ≤ 75, X_red the model's gather. */
  gatherDifference: number;
  /** The model's A_link against the reference's. */
  modelError: number;
}

/** Erratum 1: X K with K as written, and with all 75 columns, against the reference and the model. */
export function measureSelection(): SelectionMeasurement {
  const { net, xRows, p, reference } = errataFixture();
  const { inputSize, linkStride } = net.config;
  const width = linkWidth(net.config);
  const literal = product(xRows, selectionMatrix(inputSize, linkStride, width, width - 1));
  const corrected = product(xRows, selectionMatrix(inputSize, linkStride, width, width));
  const expected = xRows.map((row) => row[linkStride * (width - 1)]);
  return {
    literalLast: maxAbs(literal.map((row) => row[width - 1])),
    expectedLast: [Math.min(...expected), Math.max(...expected)],
    literalLinkError: distance(affine(literal, p['link.weight']).flat(), reference.trace.aLink.flat()),
    gatherDifference: maxAbs(corrected.flat().map((v, i) => v - net.link.x.data[i])),
    modelError: distance(net.link.a.data, reference.trace.aLink.flat()),
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
  /** The model's output Y against the reference's g(A_out). */
  modelError: number;
}

/** Erratum 2: the shape of y = ReLU(A_in); the model's output against the reference's g(A_out). */
export function measureOutputSource(): OutputSourceMeasurement {
  const { net, xRows, reference } = errataFixture();
  const { zIn } = reference.trace;
  return {
    literalShape: [zIn.length, zIn[0].length],
    targetShape: [xRows.length, xRows[0].length],
    modelError: distance(net.output.z.data, reference.y.flat()),
  };
}

// ---------------------------------------------------------------------------------------
// 3. 3.1.3: "X — input batch 225 × N" with A_in = X W_inᵀ + b_in.

/** Erratum 3, the orientation of the batch. */
interface InputOrientationMeasurement {
  /** The shapes of X (stored 225 × N) and W_inᵀ in the literal product. */
  literal: { left: [number, number]; right: [number, number] };
  /**
   * With N = 225 samples, the one batch size where the literal product is defined:
   * X W_inᵀ + b_in with X stored 225 × N (row i holds input i of every sample), against
   * A_in of the same samples stored a sample a row.
   */
  squareError: number;
  /** The model's A_in (X stored N × 225) against the reference's. */
  modelError: number;
}

/** Erratum 3: the product X W_inᵀ with X stored 225 × N, and with X stored N × 225. */
export function measureInputOrientation(): InputOrientationMeasurement {
  const { net, xRows, p, reference } = errataFixture();
  const { inputSize } = net.config;
  const w = p['input.weight'], b = p['input.bias'];
  const square = toRows(randomMatrix(inputSize, inputSize, Random.fromSeed(ERRATA_SETUP.dataSeed), 'float64', 0, 1));
  const stored = table(inputSize, inputSize, (i, n) => square[n][i]); // 225 × N, one sample a column
  return {
    literal: { left: [inputSize, xRows.length], right: [w[0].length, w.length] },
    squareError: distance(affine(stored, w, b).flat(), affine(square, w, b).flat()),
    modelError: distance(net.input.a.data, reference.trace.aIn.flat()),
  };
}

// ---------------------------------------------------------------------------------------
// 4. 3.1.2 writes a link bias, 3.1.1 and 3.1.3 do not.

/** Erratum 4, the link bias. */
interface LinkBiasMeasurement {
  /** Parameters of the default model (no link bias), and with `linkBias: true`. */
  parameters: { without: number; with: number };
  /** The model's A_link = X_red W_linkᵀ (3.1.3, the default) against the reference's. */
  withoutError: number;
  /** The model's A_link = X_red W_linkᵀ + b_link (3.1.2, `linkBias`) against the reference's. */
  withError: number;
  /** The model's ∂E/∂b_link against the reference's. */
  biasGradientError: number;
}

/** Erratum 4: both readings of the link layer, with and without a bias, against the reference. */
export function measureLinkBias(): LinkBiasMeasurement {
  const without = errataFixture();
  const withBias = errataFixture(ERRATA_SETUP.batch, { linkBias: true });
  const linkError = ({ net, reference }: ErrataFixture): number => distance(net.link.a.data, reference.trace.aLink.flat());
  return {
    parameters: { without: without.net.parameterCount, with: withBias.net.parameterCount },
    withoutError: linkError(without),
    withError: linkError(withBias),
    biasGradientError: distance(withBias.net.parameter('link.bias').grad.data, withBias.reference.grads['link.bias'].flat()),
  };
}

// ---------------------------------------------------------------------------------------
// 5. 3.1.2: a_out[n, j] = Σ_i w_out[j, i] z[n, j] + b_out[j].

/**
 * The literal output pre-activation: the sum runs over i but reads z[n, j], so output j is
 * z[n, j] times the sum of row j of W_out. z has H entries, so for j ≥ H it reads past z:
 * undefined (NaN).
 */
function literalOutputSum(w: Rows, b: Rows, z: Rows): Rows {
  return table(z.length, w.length, (n, j) => (j < z[n].length ? sum(w[j].length, (i) => w[j][i] * z[n][j]) + b[0][j] : NaN));
}

/** Erratum 5, the output layer's sum. */
interface OutputSumMeasurement {
  /** Outputs of a sample that the literal formula leaves undefined (j ≥ H), of D. */
  undefinedOutputs: number;
  /** D, the outputs of a sample. */
  outputs: number;
  /** The literal A_out against the reference's, over the outputs it defines (j < H). */
  relativeError: number;
  /** The model's A_out against the reference's. */
  modelError: number;
}

/** Erratum 5: the literal output sum against the reference's A_out; the model's A_out against it. */
export function measureOutputSum(): OutputSumMeasurement {
  const { net, p, reference } = errataFixture();
  const { s, aOut } = reference.trace;
  const literal = literalOutputSum(p['output.weight'], p['output.bias'], s).flat();
  const defined = [...literal.keys()].filter((i) => !Number.isNaN(literal[i]));
  const truth = aOut.flat();
  return {
    undefinedOutputs: (literal.length - defined.length) / s.length,
    outputs: aOut[0].length,
    relativeError: distance(defined.map((i) => literal[i]), defined.map((i) => truth[i])),
    modelError: distance(net.output.a.data, truth),
  };
}

// ---------------------------------------------------------------------------------------
// 6. 3.2: dE/dw = 2 Σ (x − y) dy/dw.

/** Erratum 6, the sign of the loss gradient. */
interface SignMeasurement {
  /** The model's ∂E/∂W_out (the literal one is its exact opposite). */
  gradient: GradientMeasurement;
  /**
   * E of the scalar reference before, and after one SGD step of W_out and b_out with the
   * literal gradient (computed on the reference's values) or with the model's gradient.
   */
  loss: { before: number; literalStep: number; correctedStep: number };
  learningRate: number;
}

/** Erratum 6: the literal ∂E/∂W_out, and one SGD step with it and with the model's, measured on the reference. */
export function measureSign(learningRate = 1e-3): SignMeasurement {
  const fixture = errataFixture();
  const { net, p, xRows, reference } = fixture;
  // 2 (X − Y) ⊙ g'(A_out) = −δ_out: the literal δ, then ∂E/∂W_out = δᵀ S and ∂E/∂b_out = Σ_n δ.
  const { deltaOut, s } = reference.trace;
  const delta = deltaOut.map((row) => row.map((v) => -v));
  const literal = { weight: productAtB(delta, s), bias: [columnSums(delta)] };
  const model = { weight: toRows(net.parameter('output.weight').grad), bias: toRows(net.parameter('output.bias').grad) };
  const stepLoss = (g: { weight: Rows; bias: Rows }): number => {
    const stepped = { ...p, 'output.weight': sgdStep(p['output.weight'], g.weight, learningRate), 'output.bias': sgdStep(p['output.bias'], g.bias, learningRate) };
    return referencePass(net.config, stepped, xRows).loss;
  };
  return {
    gradient: compareGradient(fixture, 'output.weight', literal.weight),
    loss: { before: reference.loss, literalStep: stepLoss(literal), correctedStep: stepLoss(model) },
    learningRate,
  };
}

/** value − learningRate · gradient. */
function sgdStep(value: Rows, gradient: Rows, learningRate: number): Rows {
  return value.map((row, i) => row.map((v, j) => v - learningRate * gradient[i][j]));
}

// ---------------------------------------------------------------------------------------
// 7–10. 3.2 a–d: the layers' gradients.

/** A wrong gradient formula of 3.2, index by index on the reference's values. */
export interface GradientErratum {
  /** The parameter whose gradient the formula gives. */
  parameter: string;
  literal(reference: ReferenceResult, p: ReferenceParameters, x: Rows): Rows;
}

/** A literal gradient formula and the model's gradient, each against the reference and finite differences. */
export interface GradientMeasurement {
  /** The parameter whose gradient the formula gives. */
  parameter: string;
  /** The literal gradient over the whole tensor, against the reference's. */
  literalError: number;
  /** The literal gradient over the sampled entries, against finite differences. */
  literalSampleError: number;
  /** The model's gradient over the whole tensor, against the reference's. */
  modelError: number;
  /** The model's gradient over the sampled entries, against finite differences. */
  modelSampleError: number;
}

/**
 * 3.2 a (sign corrected, to isolate this erratum): δ_out is summed over the batch first,
 * then multiplied by z_j, which carries no sample index; z_j is read as the batch mean of
 * S[:, j], the reading that is exact for one sample or identical samples.
 */
export const BATCH_SUM: GradientErratum = {
  parameter: 'output.weight',
  literal: ({ trace: { deltaOut, s } }) => {
    const deltaSum = columnSums(deltaOut), sMean = columnSums(s).map((v) => v / s.length);
    return table(deltaSum.length, sMean.length, (k, j) => deltaSum[k] * sMean[j]);
  },
};

/** 3.2 b: δ_link without f'(A_link) (the sum over k and the sign as docs/derivation.md has them), so ∂E/∂W_link = G_Sᵀ X_red. */
export const LINK_DELTA: GradientErratum = {
  parameter: 'link.weight',
  literal: ({ trace: { gS, xRed } }) => productAtB(gS, xRed),
};

/** 3.2 c: the last cycle's term alone, ∂E/∂W_rec = δ_rec(T)ᵀ U(T). */
export const REC_SUM: GradientErratum = {
  parameter: 'rec.weight',
  literal: ({ trace: { deltaRec, u } }) => productAtB(deltaRec[deltaRec.length - 1], u[u.length - 1]),
};

/** 3.2 d: Z_in reaches the loss through the last cycle alone, G_in = δ_rec(T) W_rec, δ_in = G_in ⊙ f'(A_in). */
export const IN_PATHS: GradientErratum = {
  parameter: 'input.weight',
  literal: ({ trace: { deltaRec, aIn } }, p, x) => {
    const last = deltaRec[deltaRec.length - 1], w = p['rec.weight'];
    const deltaIn = table(last.length, w[0].length, (n, i) => (aIn[n][i] > 0 ? sum(w.length, (j) => last[n][j] * w[j][i]) : 0));
    return productAtB(deltaIn, x);
  },
};

/** Erratum 7: ∂E/∂W_out with δ summed over the batch first, for one sample and for N = 4. */
export function measureBatchSum(): { byBatch: { batch: number; gradient: GradientMeasurement }[] } {
  return { byBatch: [1, ERRATA_SETUP.batch].map((batch) => ({ batch, gradient: measureGradient(BATCH_SUM, errataFixture(batch)) })) };
}

/** Erratum 8: ∂E/∂W_link without f'(A_link). */
export function measureLinkDelta(): GradientMeasurement {
  return measureGradient(LINK_DELTA);
}

/** Erratum 9: ∂E/∂W_rec from the last cycle alone. */
export function measureRecSum(): GradientMeasurement {
  return measureGradient(REC_SUM);
}

/** Erratum 10: ∂E/∂W_in through the last cycle's direct path alone. */
export function measureInPaths(): GradientMeasurement {
  return measureGradient(IN_PATHS);
}

function measureGradient(erratum: GradientErratum, fixture: ErrataFixture = errataFixture()): GradientMeasurement {
  return compareGradient(fixture, erratum.parameter, erratum.literal(fixture.reference, fixture.p, fixture.xRows));
}

/**
 * The literal gradient's error against the reference for model seeds 0 … `ERRATA_SETUP.seeds` − 1
 * (same batch, no finite differences): [smallest, largest]. The size depends on the weights.
 */
export function literalErrorRange(erratum: GradientErratum): [number, number] {
  const errors = seedReferences().map(({ p, x, reference }) => distance(erratum.literal(reference, p, x).flat(), reference.grads[erratum.parameter].flat()));
  return [Math.min(...errors), Math.max(...errors)];
}

let seedPasses: { p: ReferenceParameters; x: Rows; reference: ReferenceResult }[] | null = null;

/** The reference's pass on the batch for each model seed of `literalErrorRange`, computed once. */
function seedReferences(): { p: ReferenceParameters; x: Rows; reference: ReferenceResult }[] {
  seedPasses ??= Array.from({ length: ERRATA_SETUP.seeds }, (_, seed) => {
    const net = new RecLinkNet({ seed }, { dtype: 'float64' });
    const x = toRows(randomMatrix(ERRATA_SETUP.batch, net.config.inputSize, Random.fromSeed(ERRATA_SETUP.dataSeed), 'float64', 0, 1));
    const p = referenceParameters(net);
    return { p, x, reference: referencePass(net.config, p, x) };
  });
  return seedPasses;
}

/** `literal` and the model's gradient of `parameter` against the reference and finite differences. */
function compareGradient({ net, finite, reference }: ErrataFixture, parameter: string, literal: Rows): GradientMeasurement {
  const p = net.parameter(parameter);
  const truth = reference.grads[parameter].flat(), literalValues = literal.flat(), model = Array.from(p.grad.data);
  const sample = finite.sample(p.value.data, ERRATA_SETUP.entries, Random.fromSeed(ERRATA_SETUP.sampleSeed));
  const pick = (values: readonly number[]): number[] => sample.indices.map((i) => values[i]);
  return {
    parameter,
    literalError: distance(literalValues, truth),
    literalSampleError: distance(pick(literalValues), sample.numeric),
    modelError: distance(model, truth),
    modelSampleError: distance(pick(model), sample.numeric),
  };
}

// ---------------------------------------------------------------------------------------

/** ‖a − b‖₂ / ‖b‖₂. */
function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new InternalError(`compared arrays of lengths ${a.length} and ${b.length}`);
  let difference = 0, norm = 0;
  for (let i = 0; i < a.length; i++) {
    difference += (a[i] - b[i]) ** 2;
    norm += b[i] ** 2;
  }
  return Math.sqrt(difference / norm);
}

/** A B. */
function product(a: Rows, b: Rows): Rows {
  return table(a.length, b[0].length, (i, j) => sum(b.length, (k) => a[i][k] * b[k][j]));
}

/** Aᵀ B, summing over the rows (samples). */
function productAtB(a: Rows, b: Rows): Rows {
  return table(a[0].length, b[0].length, (i, j) => sum(a.length, (n) => a[n][i] * b[n][j]));
}

/** Σ_n m[n][j]. */
function columnSums(m: Rows): number[] {
  return m[0].map((_, j) => sum(m.length, (n) => m[n][j]));
}

function maxAbs(values: readonly number[]): number {
  return values.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
}
