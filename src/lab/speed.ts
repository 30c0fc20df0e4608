/** Milliseconds of wall-clock time a speed reading covers, at least. */
export const SPEED_WINDOW_MS = 1000;

/**
 * Training speed on the wall clock: samples over windows of at least `window` ms, from the
 * start of training, idle time between slices included (timing only the slices, as a
 * profiler would, overstates the speed the learner sees, by up to 20×).
 */
export class SpeedMeter {
  private windowStart: number | null = null;
  private samples = 0;
  /** The last full window's samples per second, or null before one has ended. */
  reading: number | null = null;

  constructor(private readonly window = SPEED_WINDOW_MS) {}

  /** Training (re)starts at `now`: a new window, no reading yet. */
  start(now: number): void {
    this.windowStart = now;
    this.samples = 0;
    this.reading = null;
  }

  /** Training paused: no reading. */
  stop(): void {
    this.windowStart = null;
    this.reading = null;
  }

  /** `samples` more were trained by `now`; a window that has lasted long enough gives a new reading. */
  add(samples: number, now: number): void {
    if (this.windowStart === null) return this.start(now);
    this.samples += samples;
    const elapsed = now - this.windowStart;
    if (elapsed < this.window) return;
    this.reading = (1000 * this.samples) / elapsed;
    this.windowStart = now;
    this.samples = 0;
  }
}
