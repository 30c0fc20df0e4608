import { describe, expect, it } from 'vitest';
import { Cadence, VIEW_SHARE } from '../src/lab/cadence.js';

describe("the views' cadence while training", () => {
  it('is due at once, then every period after a quick task started', () => {
    const cadence = new Cadence(2000);
    expect(cadence.due(0)).toBe(true);
    cadence.ran(100, 110);
    expect(cadence.due(2099)).toBe(false);
    expect(cadence.due(2100)).toBe(true);
  });

  it('waits longer after a slow task, so that it takes at most its share of the time', () => {
    const cadence = new Cadence(2000);
    cadence.ran(0, 300); // 300 ms: due again 300 / VIEW_SHARE ms after it started, not 2000
    const gap = 300 / VIEW_SHARE;
    expect(gap).toBeGreaterThan(2000);
    expect(cadence.due(gap - 1)).toBe(false);
    expect(cadence.due(gap)).toBe(true);
    cadence.ran(gap, gap + 10); // quick again: back to the period
    expect(cadence.due(gap + 2000)).toBe(true);
  });
});
