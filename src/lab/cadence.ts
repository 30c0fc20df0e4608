/** The most of the wall clock that one periodic task of the views (snapshots, analyses) takes while training. */
export const VIEW_SHARE = 0.05;

/**
 * When a periodic task of the views is due while training: `period` ms after the last one
 * started, or later when it took more than `VIEW_SHARE` of that, so that it never takes
 * more than that share of the training time, however slow the machine or large the batch.
 */
export class Cadence {
  private last = -Infinity;
  private gap: number;

  constructor(private readonly period: number) {
    this.gap = period;
  }

  /** Whether the task is due at `now`. */
  due(now: number): boolean {
    return now - this.last >= this.gap;
  }

  /** The task ran from `start` to `end`. */
  ran(start: number, end: number): void {
    this.last = start;
    this.gap = Math.max(this.period, (end - start) / VIEW_SHARE);
  }
}
