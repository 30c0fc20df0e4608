import { describe, expect, it } from 'vitest';
import { SpeedMeter } from '../src/lab/speed.js';

describe('the samples/s readout', () => {
  it('measures on the wall clock, the time between slices included, over windows of a second or more', () => {
    const meter = new SpeedMeter(1000);
    meter.start(0);
    // Slices of 30 ms training 640 samples each, 120 ms apart (the page and the worker's queue take the rest).
    for (let t = 30; t < 1000; t += 120) meter.add(640, t);
    expect(meter.reading).toBeNull(); // no full second yet
    meter.add(640, 1050);
    expect(meter.reading).toBeCloseTo((10 * 640 * 1000) / 1050, 6); // not 640 / 30 ms = 21,333/s
    meter.add(640, 1500);
    expect(meter.reading).toBeCloseTo((10 * 640 * 1000) / 1050, 6); // kept until the next window ends
  });

  it('has no reading once paused or restarted', () => {
    const meter = new SpeedMeter(1000);
    meter.start(0);
    meter.add(100, 2000);
    expect(meter.reading).toBe(50);
    meter.stop();
    expect(meter.reading).toBeNull();
    meter.start(5000);
    expect(meter.reading).toBeNull();
  });
});
