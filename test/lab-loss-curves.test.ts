import { describe, expect, it } from 'vitest';
import { chartSummary, LossCurves, MAX_POINTS } from '../src/lab/loss-curves.js';

describe('LossCurves', () => {
  it('keeps the points of the current run, as uPlot takes them', () => {
    const curves = new LossCurves();
    expect(curves.latest()).toEqual({ train: null, validation: null });
    curves.add([{ step: 0, epoch: 0, train: null, validation: 9 }]);
    curves.add([{ step: 1, epoch: 0, train: 8, validation: null }, { step: 2, epoch: 1, train: 7, validation: 6 }, { step: 3, epoch: 1, train: 5, validation: null }]);
    expect(curves.data).toEqual([[0, 1, 2, 3], [null, 8, 7, 5], [9, null, 6, null]]);
    expect(curves.latest()).toEqual({ train: 5, validation: { loss: 6, epoch: 1 } });
    curves.mark(3, 'optimizer Adam → SGD');
    expect(curves.marks).toEqual([{ step: 3, label: 'optimizer Adam → SGD' }]);
    curves.add([{ step: 0, epoch: 0, train: null, validation: 4 }], true);
    expect(curves.data).toEqual([[0], [null], [4]]);
    expect(curves.marks).toEqual([]); // a new run has no changes yet
  });

  it('thins a long run, keeping every validation point and the last point', () => {
    const curves = new LossCurves();
    const points = Array.from({ length: MAX_POINTS + 1 }, (_, step) => ({ step, epoch: 0, train: 1, validation: step % 1001 === 1 ? 2 : null }));
    curves.add(points);
    const [steps, , validation] = curves.data;
    expect(steps.length).toBeLessThan(MAX_POINTS / 2 + 100);
    expect(validation.filter((v) => v !== null).length).toBe(points.filter((p) => p.validation !== null).length);
    expect(steps[steps.length - 1]).toBe(MAX_POINTS);
  });

  it('puts the chart in words: the last losses and the marked changes', () => {
    const curves = new LossCurves();
    expect(chartSummary(curves)).toBe('No losses yet.');
    curves.add([{ step: 0, epoch: 0, train: null, validation: 19.5 }]);
    expect(chartSummary(curves)).toBe('Loss chart: no training step yet; validation loss 19.5 at the start.');
    curves.add([{ step: 1, epoch: 0, train: 18, validation: null }, { step: 1250, epoch: 1, train: 2.25, validation: 2.5 }]);
    curves.mark(1, 'learning rate 0.001 → 0.01');
    expect(chartSummary(curves)).toBe('Loss chart: training batch loss 2.25 at step 1,250; validation loss 2.5 after epoch 1; 1 settings change marked.');
  });

  it('drops the points after a divergence’s kept step, so that the readouts agree with the step', () => {
    const curves = new LossCurves();
    curves.add([{ step: 0, epoch: 0, train: null, validation: 9 }, { step: 1, epoch: 0, train: 8, validation: null }, { step: 2, epoch: 1, train: 7, validation: 6 }]);
    curves.mark(2, 'learning rate 0.001 → 10');
    curves.add([{ step: 3, epoch: 1, train: 3.67e23, validation: null }]);
    curves.rollBack(1);
    expect(curves.data).toEqual([[0, 1], [null, 8], [9, null]]);
    expect(curves.latest()).toEqual({ train: 8, validation: { loss: 9, epoch: 0 } });
    expect(curves.marks).toEqual([{ step: 1, label: 'diverged: the weights of this step kept' }]);
  });
});
