import { describe, expect, it } from 'vitest';
import {
  measureBatchSum,
  measureInPaths,
  measureInputOrientation,
  measureLinkBias,
  measureLinkDelta,
  measureOutputSource,
  measureOutputSum,
  measureRecSum,
  measureSelection,
  measureSign,
  type GradientMeasurement,
} from '../src/reference/errata.js';

// One test per row of SPEC's errata table: the exercise's formula, taken literally, fails as
// SPEC says, and the model computes the corrected one. Both are measured against the float64
// scalar reference, gradients also against finite differences (see src/reference/errata.ts).

/** The float64 model against the float64 scalar reference: they differ in summation order only. */
const MODEL = 1e-12;
/** Finite differences with h = 1e-4 (see `FiniteDifferences`). */
const NUMERIC = 1e-7;

/** The model's gradient equals the reference's and finite differences. */
function expectModelGradient(g: GradientMeasurement): void {
  expect(g.modelError, `${g.parameter}: the model against the reference`).toBeLessThan(MODEL);
  expect(g.modelSampleError, `${g.parameter}: the model against finite differences`).toBeLessThan(NUMERIC);
}

/** A wrong gradient formula: off by more than 10%, over the whole tensor and against finite differences. */
function expectWrong(g: GradientMeasurement): void {
  expect(g.literalError, `${g.parameter} against the reference`).toBeGreaterThan(0.1);
  expect(g.literalSampleError, `${g.parameter} against finite differences`).toBeGreaterThan(0.1);
  expectModelGradient(g);
}

describe('errata of the exercise (SPEC.md)', () => {
  it('1. K[3n−2, n] = 1 for n ≤ 74 drops the last input of x_reduce; n ≤ 75 is the gather', () => {
    const m = measureSelection();
    expect(m.literalLinkError).toBeGreaterThan(0.01);
    expect(m.gatherDifference).toBe(0);
    expect(m.modelError).toBeLessThan(MODEL);
  });

  it('2. the model output is g(A_out) (y = ReLU(A_in) cannot be compared with X)', () => {
    expect(measureOutputSource().modelError).toBeLessThan(MODEL);
  });

  it('3. X stored 225 × N mixes samples with inputs; N × 225 gives the model A_in', () => {
    const m = measureInputOrientation();
    expect(m.squareError).toBeGreaterThan(0.1);
    expect(m.modelError).toBeLessThan(MODEL);
  });

  it('4. the link bias of 3.1.2 is an option, off by default as in 3.1.1 and 3.1.3', () => {
    const m = measureLinkBias();
    expect(m.parameters).toEqual({ without: 45_375, with: 45_450 });
    expect(m.withoutError).toBeLessThan(MODEL);
    expect(m.withError).toBeLessThan(MODEL);
    expect(m.biasGradientError).toBeLessThan(MODEL);
  });

  it('5. Σ_i w[j,i] z[n,j] loses the hidden mixing; Σ_i w[j,i] z[n,i] is A_out', () => {
    const m = measureOutputSum();
    expect(m.relativeError).toBeGreaterThan(0.5);
    expect(m.modelError).toBeLessThan(MODEL);
  });

  it('6. 2 Σ (x − y) dy/dw is the negative gradient: one SGD step raises the loss', () => {
    const m = measureSign();
    expect(m.loss.literalStep).toBeGreaterThan(m.loss.before);
    expect(m.loss.correctedStep).toBeLessThan(m.loss.before);
    expectModelGradient(m.gradient);
  });

  it('7. summing δ over the batch before the product is right for one sample only', () => {
    const [one, four] = measureBatchSum().byBatch;
    expect(one.batch).toBe(1);
    expect(one.gradient.literalError).toBeLessThan(MODEL);
    expect(one.gradient.literalSampleError).toBeLessThan(NUMERIC);
    expectModelGradient(one.gradient);
    expect(four.batch).toBe(4);
    expectWrong(four.gradient);
  });

  it("8. δ_link without f'(A_link) gives a wrong ∂E/∂W_link", () => {
    expectWrong(measureLinkDelta());
  });

  it('9. the last cycle alone gives a wrong ∂E/∂W_rec: the shared weight sums over cycles', () => {
    expectWrong(measureRecSum());
  });

  it('10. one path alone gives a wrong ∂E/∂W_in: Z_in feeds every cycle', () => {
    expectWrong(measureInPaths());
  });
});
