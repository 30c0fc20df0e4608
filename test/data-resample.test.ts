import { describe, expect, it } from 'vitest';
import { AreaResampler, resampleArea, type ImageSize } from '../src/data/resample.js';
import { Random } from '../src/random.js';

/** An independent reference: replicate each input pixel into an H × W block, then average h × w blocks. */
function bruteForce(src: ArrayLike<number>, from: ImageSize, to: ImageSize): number[] {
  const fine = (r: number, c: number): number => src[Math.floor(r / to.height) * from.width + Math.floor(c / to.width)];
  const out: number[] = [];
  for (let R = 0; R < to.height; R++) {
    for (let C = 0; C < to.width; C++) {
      let sum = 0;
      for (let r = R * from.height; r < (R + 1) * from.height; r++) {
        for (let c = C * from.width; c < (C + 1) * from.width; c++) sum += fine(r, c);
      }
      out.push(sum / (from.height * from.width));
    }
  }
  return out;
}

function randomImage(size: ImageSize, seed: number): Float64Array {
  const random = Random.fromSeed(seed);
  return Float64Array.from({ length: size.height * size.width }, () => random.uniform());
}

const sum = (values: ArrayLike<number>): number => Array.from(values).reduce((a, b) => a + b, 0);

describe('area-averaging resampling', () => {
  it('gives the hand-computed 3x3 → 2x2 means (weights 2/3 and 1/3 along each axis)', () => {
    const out = resampleArea([1, 2, 3, 4, 5, 6, 7, 8, 9], { height: 3, width: 3 }, { height: 2, width: 2 });
    [7 / 3, 11 / 3, 19 / 3, 23 / 3].forEach((expected, i) => expect(out[i]).toBeCloseTo(expected, 14));
  });

  it('keeps a constant image constant, 28x28 → 15x15 and 15x15 → 28x28', () => {
    const mnist = { height: 28, width: 28 }, small = { height: 15, width: 15 };
    for (const [from, to] of [[mnist, small], [small, mnist]]) {
      const out = resampleArea(new Float64Array(from.height * from.width).fill(0.37), from, to);
      for (const v of out) expect(v).toBeCloseTo(0.37, 14);
    }
  });

  it('scales the sum by (H·W)/(h·w)', () => {
    for (const [from, to] of [[{ height: 28, width: 28 }, { height: 15, width: 15 }], [{ height: 5, width: 7 }, { height: 9, width: 4 }]]) {
      const src = randomImage(from, 1);
      const ratio = (to.height * to.width) / (from.height * from.width);
      expect(sum(resampleArea(src, from, to))).toBeCloseTo(sum(src) * ratio, 10);
    }
  });

  it('is the identity when the sizes are equal', () => {
    const size = { height: 6, width: 4 };
    const src = randomImage(size, 2);
    expect(Array.from(resampleArea(src, size, size))).toEqual(Array.from(src));
  });

  it('agrees with block replication for non-integer ratios, down and up', () => {
    const cases: [ImageSize, ImageSize][] = [
      [{ height: 28, width: 28 }, { height: 15, width: 15 }],
      [{ height: 4, width: 6 }, { height: 3, width: 5 }],
      [{ height: 2, width: 3 }, { height: 7, width: 4 }],
    ];
    for (const [from, to] of cases) {
      const src = randomImage(from, 3);
      const out = resampleArea(src, from, to);
      bruteForce(src, from, to).forEach((expected, i) => expect(out[i]).toBeCloseTo(expected, 12));
    }
  });

  it('writes at an offset and reuses its buffer across images', () => {
    const resampler = new AreaResampler({ height: 3, width: 3 }, { height: 2, width: 2 });
    const dst = new Float32Array(9).fill(-1);
    resampler.resample([9, 9, 9, 9, 9, 9, 9, 9, 9], dst, 1);
    resampler.resample([1, 2, 3, 4, 5, 6, 7, 8, 9], dst, 5);
    expect(Array.from(dst.subarray(0, 5))).toEqual([-1, 9, 9, 9, 9]);
    expect(dst[5]).toBeCloseTo(7 / 3, 6);
  });
});
