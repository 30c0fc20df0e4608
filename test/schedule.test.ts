import { describe, expect, it } from 'vitest';
import { constantSchedule, cosineSchedule, linearWarmup, stepSchedule } from '../src/train/schedule.js';

const at = (epoch: number, step = 0) => ({ epoch, step });

describe('learning-rate schedules', () => {
  it('constant', () => {
    const s = constantSchedule(0.01);
    expect([s(at(0)), s(at(7, 700))]).toEqual([0.01, 0.01]);
  });

  it("step decay per epoch (StepLR): lr·γ^⌊epoch/stepSize⌋", () => {
    const s = stepSchedule(0.1, { stepSize: 3, gamma: 0.5 });
    expect([0, 2, 3, 5, 6, 9].map((e) => s(at(e, 1000)))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.0125]);
    expect(stepSchedule(1, { stepSize: 1 })(at(2))).toBeCloseTo(0.01, 15); // γ defaults to 0.1
  });

  it('step decay per step ignores epochs', () => {
    const s = stepSchedule(0.1, { stepSize: 100, gamma: 0.5, per: 'step' });
    expect([s(at(5, 99)), s(at(0, 100)), s(at(0, 250))]).toEqual([0.1, 0.05, 0.025]);
  });

  it('cosine annealing (CosineAnnealingLR) from lr to the minimum over T, then stays there', () => {
    const s = cosineSchedule(0.1, { total: 10, min: 0.001 });
    expect(s(at(0))).toBeCloseTo(0.1, 15);
    expect(s(at(5))).toBeCloseTo(0.001 + (0.1 - 0.001) / 2, 15); // cos(π/2) = 0
    expect(s(at(2))).toBeCloseTo(0.001 + ((0.1 - 0.001) * (1 + Math.cos(Math.PI / 5))) / 2, 15);
    expect(s(at(10))).toBeCloseTo(0.001, 15);
    expect(s(at(14))).toBeCloseTo(0.001, 15);
    expect(cosineSchedule(0.1, { total: 100, per: 'step' })(at(3, 50))).toBeCloseTo(0.05, 15);
  });

  it('linear warm-up per step, from startFactor·lr to the inner schedule, composed with it', () => {
    const s = linearWarmup(constantSchedule(0.1), { steps: 4, startFactor: 0.2 });
    expect([0, 1, 2, 4, 9].map((step) => s(at(0, step)))).toEqual([0.1 * 0.2, 0.1 * 0.4, 0.1 * 0.6, 0.1, 0.1].map((v) => expect.closeTo(v, 15)));
    const warmCosine = linearWarmup(cosineSchedule(0.1, { total: 4 }), { steps: 10 });
    expect(warmCosine(at(2, 5))).toBeCloseTo(0.05 * (1 / 3 + (2 / 3) * 0.5), 15); // PyTorch's start factor 1/3
  });

  it('refuses settings that cannot work', () => {
    expect(() => stepSchedule(0.1, { stepSize: 0 })).toThrow('stepSize is 0, expected an integer ≥ 1');
    expect(() => cosineSchedule(0.1, { total: 10, min: 0.2 })).toThrow('minimum learning rate is 0.2, expected a finite number in [0, 0.1]');
    expect(() => linearWarmup(constantSchedule(1), { steps: 5, startFactor: 2 })).toThrow(/warm-up start factor is 2/);
    expect(() => constantSchedule(Number.NaN)).toThrow('learning rate is NaN, expected a finite number ≥ 0');
  });
});
