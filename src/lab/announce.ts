import type { LabStatus } from './protocol.js';

/** Milliseconds between two announcements of the live status region, at least. */
export const ANNOUNCE_GAP_MS = 1000;

/**
 * The status line, a live region: it names the state (loading, training, paused with its
 * step), not the step while training, so that a screen reader hears changes of state only.
 */
export function statusText(status: LabStatus): string {
  if (!status.data) return 'Loading…';
  const state = status.running ? 'Training' : `Paused · step ${status.step.toLocaleString('en-US')} · epoch ${status.epoch}`;
  return `${state} · ${status.kernels} kernels`;
}

/**
 * Lets a live region change at most once every `gap` ms: `offer` returns the text to show
 * now, or null (unchanged, or too soon); when too soon, `retryAt` is when to offer again so
 * that the last text still shows.
 */
export class Announcer {
  private shown: string | null = null;
  private last = -Infinity;

  constructor(private readonly gap = ANNOUNCE_GAP_MS) {}

  offer(text: string, now: number): { show: string | null; retryAt: number | null } {
    if (text === this.shown) return { show: null, retryAt: null };
    if (now - this.last < this.gap) return { show: null, retryAt: this.last + this.gap };
    this.shown = text;
    this.last = now;
    return { show: text, retryAt: null };
  }
}
