import type { LossPoint } from './session.js';
import { formatNumber } from './view-data.js';

/** Points kept before the training curve is thinned (every other training-only point dropped). */
export const MAX_POINTS = 20_000;

/**
 * The loss curves of the current run as uPlot takes them: one x array (steps) and one
 * array a series, null where a series has no value (validation is measured once an epoch).
 */
export class LossCurves {
  steps: number[] = [];
  train: (number | null)[] = [];
  validation: (number | null)[] = [];
  /** Settings changes of this run: the step from which they apply, and what changed. */
  marks: { step: number; label: string }[] = [];
  /** Every validation loss of the run, with its step and the epochs completed then. */
  private validations: { step: number; loss: number; epoch: number }[] = [];

  /** Appends points; `restart` clears the curves first (a new run). */
  add(points: readonly LossPoint[], restart = false): void {
    if (restart) {
      this.steps = [];
      this.train = [];
      this.validation = [];
      this.marks = [];
      this.validations = [];
    }
    for (const p of points) {
      this.steps.push(p.step);
      this.train.push(p.train);
      this.validation.push(p.validation);
      if (p.validation !== null) this.validations.push({ step: p.step, loss: p.validation, epoch: p.epoch });
    }
    if (this.steps.length > MAX_POINTS) this.thin();
  }

  /**
   * Training diverged and the weights of `step` were kept: the points after it go (the
   * readouts then agree with the step), and a mark says what happened.
   */
  rollBack(step: number): void {
    const keep = this.steps.findIndex((s) => s > step);
    if (keep < 0) return void this.mark(step, 'diverged: the weights of this step kept');
    this.steps.length = keep;
    this.train.length = keep;
    this.validation.length = keep;
    this.marks = this.marks.filter((m) => m.step <= step);
    this.validations = this.validations.filter((v) => v.step <= step);
    this.mark(step, 'diverged: the weights of this step kept');
  }

  /** Marks a settings change at `step` (drawn as a labelled line on the chart). */
  mark(step: number, label: string): void {
    this.marks.push({ step, label });
  }

  /** The last training loss, and the last validation loss with the epochs completed when it was measured; null before any. */
  latest(): { train: number | null; validation: { loss: number; epoch: number } | null } {
    const last = this.validations.at(-1);
    return { train: lastValue(this.train), validation: last ? { loss: last.loss, epoch: last.epoch } : null };
  }

  /** uPlot's data: [steps, train, validation]. */
  get data(): [number[], (number | null)[], (number | null)[]] {
    return [this.steps, this.train, this.validation];
  }

  private thin(): void {
    const keep = this.steps.map((_, i) => i % 2 === 0 || this.validation[i] !== null || i === this.steps.length - 1);
    const pick = <T>(values: T[]): T[] => values.filter((_, i) => keep[i]);
    this.steps = pick(this.steps);
    this.train = pick(this.train);
    this.validation = pick(this.validation);
  }
}

function lastValue(values: readonly (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null) return v;
  }
  return null;
}

/** The chart in words, its text alternative: the last losses and the settings changes. */
export function chartSummary(curves: LossCurves): string {
  const { train, validation } = curves.latest();
  const step = curves.steps.at(-1) ?? 0;
  if (train === null && validation === null) return 'No losses yet.';
  const parts = [
    train === null ? 'no training step yet' : `training batch loss ${formatNumber(train)} at step ${step.toLocaleString('en-US')}`,
    validation === null ? null : `validation loss ${formatNumber(validation.loss)} ${validation.epoch === 0 ? 'at the start' : `after epoch ${validation.epoch}`}`,
    curves.marks.length === 0 ? null : `${curves.marks.length} settings change${curves.marks.length === 1 ? '' : 's'} marked`,
  ];
  return `Loss chart: ${parts.filter((p) => p !== null).join('; ')}.`;
}
