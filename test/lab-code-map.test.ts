import { describe, expect, it } from 'vitest';
import { fromValues } from '../src/linalg/matrix.js';
import { codeMap, project } from '../src/lab/code-map.js';
import { deadOutputMask, countDead } from '../src/eval/dead-outputs.js';
import { judgeError } from '../src/lab/pad.js';
import { Random } from '../src/random.js';

/** Codes of 3 numbers spread along (1, 1, 0) / √2 (variance 100), a little along (0, 0, 1) (variance 1), around (5, 5, 5). */
function codes(n: number, seed: number) {
  const random = Random.fromSeed(seed);
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = 10 * random.normal(), b = random.normal();
    values.push(5 + a / Math.SQRT2, 5 + a / Math.SQRT2, 5 + b);
  }
  return fromValues(n, 3, values);
}

describe('the codes map', () => {
  it('lays the codes along their principal axes, the widest first', () => {
    const map = codeMap(codes(400, 1), null);
    expect(Math.abs(map.axes[0][0])).toBeCloseTo(Math.SQRT1_2, 1);
    expect(Math.abs(map.axes[0][2])).toBeLessThan(0.05);
    expect(Math.abs(map.axes[1][2])).toBeCloseTo(1, 1);
    expect(map.explained[0]).toBeGreaterThan(0.95);
    expect(project(map, map.mean)).toEqual([0, 0]);
    const xs = Array.from(map.points.filter((_, i) => i % 2 === 0));
    const spread = Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length);
    expect(spread).toBeGreaterThan(8); // the first axis carries the variance-100 direction
  });

  it('keeps each axis\u2019s sign from the previous map, so that the map does not mirror itself', () => {
    const first = codeMap(codes(400, 1), null);
    const flipped = { ...first, axes: [first.axes[0].map((v) => -v), first.axes[1].map((v) => -v)] as [Float64Array, Float64Array] };
    const next = codeMap(codes(400, 2), null, flipped);
    expect(Math.sign(next.axes[0][0])).toBe(Math.sign(flipped.axes[0][0]));
    expect(Math.sign(next.axes[1][2])).toBe(Math.sign(flipped.axes[1][2]));
  });

  it('keeps the labels and gives codes that do not vary a zero share', () => {
    const labels = Uint8Array.of(3, 7);
    const map = codeMap(fromValues(2, 3, [1, 2, 3, 1, 2, 3]), labels);
    expect(map.labels).toBe(labels);
    expect(map.explained).toEqual([0, 0]);
    expect(Array.from(map.points).every(Number.isFinite)).toBe(true);
  });
});

describe('dead output units', () => {
  it('are the units whose output is never above 0 over the samples', () => {
    const y = fromValues(3, 4, [0, 0.5, 0, 0, 0, 0, 0, -1, 0, 0, 0.1, 0]);
    expect(Array.from(deadOutputMask(y))).toEqual([1, 0, 0, 1]);
    expect(countDead(deadOutputMask(y))).toBe(2);
  });
});

describe('a drawing\u2019s error against the training digits\u2019', () => {
  const quantiles = { samples: 100, quantiles: { '0.5': 2, '0.9': 5, '0.99': 10, '0.999': 20 } };
  it('calls an error above the 0.99 quantile unusual, and places the others', () => {
    expect(judgeError(11, quantiles)).toMatchObject({ unusual: true, verdict: expect.stringMatching(/^Unusual: error 11 is above 10/) });
    expect(judgeError(10, quantiles)).toMatchObject({ unusual: false, verdict: expect.stringMatching(/^Rare/) });
    expect(judgeError(3, quantiles)).toMatchObject({ unusual: false, verdict: expect.stringMatching(/^Usual/) });
    expect(judgeError(1, quantiles)).toMatchObject({ unusual: false, verdict: expect.stringMatching(/^Typical/) });
  });
});
