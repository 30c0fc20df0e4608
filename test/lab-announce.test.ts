import { describe, expect, it } from 'vitest';
import { Announcer, statusText } from '../src/lab/announce.js';
import { DEFAULT_LAB_SETTINGS } from '../src/lab/settings.js';
import type { LabStatus } from '../src/lab/protocol.js';

const status = (change: Partial<LabStatus>): LabStatus => ({
  running: false, step: 1234, epoch: 3, settings: { ...DEFAULT_LAB_SETTINGS }, data: { name: 'd', train: 8, validation: 2 }, kernels: 'WebAssembly relaxed SIMD', samplesPerSecond: null, ...change,
});

describe('the live status region', () => {
  it('names the state; the step only when paused, so that training does not change it', () => {
    expect(statusText(status({ data: null }))).toBe('Loading…');
    expect(statusText(status({}))).toBe('Paused · step 1,234 · epoch 3 · WebAssembly relaxed SIMD kernels');
    expect(statusText(status({ running: true, step: 5 }))).toBe(statusText(status({ running: true, step: 6000, epoch: 9 })));
  });

  it('changes at most once a second, and shows the last text after the wait', () => {
    const announcer = new Announcer(1000);
    expect(announcer.offer('a', 0)).toEqual({ show: 'a', retryAt: null });
    expect(announcer.offer('a', 10)).toEqual({ show: null, retryAt: null });
    expect(announcer.offer('b', 400)).toEqual({ show: null, retryAt: 1000 });
    expect(announcer.offer('c', 999)).toEqual({ show: null, retryAt: 1000 });
    expect(announcer.offer('c', 1000)).toEqual({ show: 'c', retryAt: null });
  });
});
