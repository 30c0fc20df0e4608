/** How long and how often one benchmark cell is measured. */
export interface MeasureOptions {
  /** Milliseconds for the whole cell, warm-up included. */
  budgetMs: number;
  /** Timed repeats; the median is reported. */
  repeats: number;
}

/**
 * Samples per second of `step` (which processes `samples` samples): a warm-up, then
 * `repeats` timed runs of whole steps, each about an equal share of the budget; the median.
 */
export function samplesPerSecond(step: () => void, samples: number, options: MeasureOptions): number {
  const share = options.budgetMs / (options.repeats + 1);
  timeSteps(step, share); // warm-up: compilation, caches, buffers sized
  const rates = Array.from({ length: options.repeats }, () => rateOver(step, samples, share));
  return median(rates);
}

/** Samples per second of `step` (which processes `samples` samples) over about `ms` milliseconds of whole steps. */
export function rateOver(step: () => void, samples: number, ms: number): number {
  const timed = timeSteps(step, ms);
  return (timed.steps * samples * 1000) / timed.ms;
}

/** Runs `step` until `ms` milliseconds have passed (at least once). */
function timeSteps(step: () => void, ms: number): { steps: number; ms: number } {
  const start = performance.now();
  let steps = 0, now = start;
  do {
    step();
    steps++;
    now = performance.now();
  } while (now - start < ms);
  return { steps, ms: now - start };
}

/** How far apart a cell's fastest and slowest rounds may be before the cell is flagged: 2×. */
export const UNSTEADY_SPREAD = 2;

/**
 * Whether timed rounds disagree too much to be believed: the fastest more than
 * `UNSTEADY_SPREAD` times the slowest. On a shared machine that means another process took
 * the cores during some rounds; the median then says little about the code.
 */
export function isUnsteady(rates: readonly number[]): boolean {
  return Math.max(...rates) > UNSTEADY_SPREAD * Math.min(...rates);
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
