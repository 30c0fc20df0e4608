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
  selectionMatrix,
  type GradientMeasurement,
} from '../src/reference/errata.js';

// One test per row of SPEC's errata table: the exercise's formula, taken literally, fails as
// SPEC says, and the project's formula holds (see src/reference/errata.ts for the setting).

/** A wrong gradient formula: off by more than 10%, over the whole tensor and against finite differences. */
function expectWrong(g: GradientMeasurement): void {
  expect(g.literalError, `${g.parameter} against backprop`).toBeGreaterThan(0.1);
  expect(g.literalSampleError, `${g.parameter} against finite differences`).toBeGreaterThan(0.1);
  expect(g.correctedError, `${g.parameter}: the project's gradient`).toBeLessThan(1e-7);
}

describe('errata of the exercise (SPEC.md)', () => {
  it('1. K[3n−2, n] = 1 for n ≤ 74 leaves the last element of x_reduce always 0; n ≤ 75 is the gather', () => {
    const literal = Array.from(selectionMatrix(225, 3, 75, 74).data);
    expect(literal.filter((v) => v === 1)).toHaveLength(74);
    const m = measureSelection();
    expect(m.literalLast).toBe(0);
    expect(m.expectedLast[0]).toBeGreaterThan(0); // the input it should carry is not 0
    expect(m.correctedDifference).toBe(0);
  });

  it('2. y = ReLU(A_in) has the wrong shape; y = ReLU(A_out) is the model output', () => {
    const m = measureOutputSource();
    expect(m.literalShape).toEqual([4, 75]);
    expect(m.targetShape).toEqual([4, 225]);
    expect(m.correctedDifference).toBe(0);
  });

  it('3. X stored 225 × N makes X W_inᵀ undefined; N × 225 gives the model A_in', () => {
    const m = measureInputOrientation();
    expect(m.literal).toEqual({ left: [225, 4], right: [225, 75], defined: false });
    expect(m.correctedDifference).toBeLessThan(1e-12);
  });

  it('4. the link bias of 3.1.2 is an option, off by default as in 3.1.1 and 3.1.3', () => {
    const m = measureLinkBias();
    expect(m.parameters).toEqual({ without: 45_375, with: 45_450 });
    expect(m.withoutDifference).toBeLessThan(1e-12);
    expect(m.withDifference).toBeLessThan(1e-12);
  });

  it('5. Σ_i w[j,i] z[n,j] loses the hidden mixing and indexes past z; Σ_i w[j,i] z[n,i] is A_out', () => {
    const m = measureOutputSum();
    expect(m.undefinedOutputs).toBe(150);
    expect(m.relativeError).toBeGreaterThan(0.5);
    expect(m.correctedDifference).toBeLessThan(1e-12);
  });

  it('6. 2 Σ (x − y) dy/dw is the negative gradient: one SGD step raises the loss', () => {
    const m = measureSign();
    expect(m.ratio).toBeCloseTo(-1, 12);
    expect(m.gradient.literalSampleError).toBeCloseTo(2, 6); // ‖−g − g‖ / ‖g‖
    expect(m.gradient.correctedError).toBeLessThan(1e-7);
    expect(m.loss.literalStep).toBeGreaterThan(m.loss.before);
    expect(m.loss.correctedStep).toBeLessThan(m.loss.before);
  });

  it('7. summing δ over the batch before the product is right for one sample only', () => {
    const [one, four] = measureBatchSum().byBatch;
    expect(one.batch).toBe(1);
    expect(one.gradient.literalError).toBeLessThan(1e-12);
    expect(one.gradient.literalSampleError).toBeLessThan(1e-7);
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
