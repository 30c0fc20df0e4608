import { describe, expect, it } from 'vitest';
import { parseIdx, readIdx } from '../src/data/idx.js';
import { ReclinkError } from '../src/errors.js';
import { Random } from '../src/random.js';
import { idxBytes, temporaryFolder } from './data-files.js';

const folder = temporaryFolder();

function idxError(bytes: Uint8Array, inputSize = 4): string {
  try {
    parseIdx(bytes, inputSize, 'x.idx');
  } catch (error) {
    expect(error).toBeInstanceOf(ReclinkError);
    return (error as ReclinkError).message;
  }
  throw new Error('expected an error');
}

/** Three 2x2 images. */
const small = idxBytes(3, 2, 2, [0, 51, 102, 255, 1, 2, 3, 4, 255, 255, 255, 0]);

describe('IDX loader', () => {
  it('reads uint8 images divided by 255, as they are when they have inputSize pixels', () => {
    const data = readIdx(folder.write('small.idx', small), 4);
    expect([data.x.rows, data.x.cols]).toEqual([3, 4]);
    expect(Array.from(data.x.data.subarray(0, 4))).toEqual([0, 0.2, 0.4, 1].map(Math.fround));
    expect(data.imageSize).toEqual({ height: 2, width: 2 });
  });

  it('resamples square images to a square input', () => {
    const data = parseIdx(idxBytes(1, 28, 28, new Uint8Array(784).fill(255)), 225, 'm.idx');
    expect([data.x.rows, data.x.cols]).toEqual([1, 225]);
    for (const v of data.x.data) expect(v).toBeCloseTo(1, 6);
    expect(data.imageSize).toEqual({ height: 15, width: 15 });
    const down = parseIdx(small, 1, 'x.idx');
    expect(down.x.data[0]).toBeCloseTo((0 + 51 + 102 + 255) / 4 / 255, 6);
  });

  it('refuses images that can be neither kept nor resampled', () => {
    expect(idxError(idxBytes(1, 2, 3, [1, 2, 3, 4, 5, 6]), 4)).toBe(
      'x.idx: images are 3 wide and 2 high (6 pixels), the model expects 4 (2 × 2 pixels); images are resampled only when both they and the input are square',
    );
    expect(idxError(small, 5)).toMatch(/images are 2 wide and 2 high \(4 pixels\), the model expects 5 values/);
    expect(parseIdx(idxBytes(1, 2, 3, [1, 2, 3, 4, 5, 6]), 6, 'x.idx').imageSize).toEqual({ height: 2, width: 3 });
  });

  it('refuses label files and other magics clearly', () => {
    const labels = Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 2, 7, 3]);
    expect(idxError(labels)).toBe('x.idx: an IDX label file (magic 0x00000801); labels are not samples, expected IDX images (magic 0x00000803)');
    expect(idxError(Uint8Array.from([0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 1, 9]))).toMatch(/IDX uint8 data in 2 dimensions \(magic 0x00000802\)/);
    expect(idxError(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2]))).toBe('x.idx: magic 0x89504e47, expected IDX images (magic 0x00000803)');
  });

  it('refuses empty files, no images, zero sizes and trailing bytes', () => {
    expect(idxError(new Uint8Array(0))).toBe('x.idx: 0 bytes, too short for an IDX file');
    expect(idxError(idxBytes(0, 2, 2, []))).toBe('x.idx: no samples, expected at least one');
    expect(idxError(idxBytes(5, 0, 2, []))).toBe('x.idx: images are 0x2, expected at least 1x1');
    expect(idxError(Uint8Array.from([...small, 0]))).toBe(
      'x.idx: the header announces 3 images of 2x2 (28 bytes), the file has 29 bytes',
    );
  });

  it('refuses absurd dimensions before allocating anything', () => {
    expect(idxError(idxBytes(0xffffffff, 0xffff, 0xffff, [1, 2, 3]))).toMatch(/announces 4294967295 images of 65535x65535/);
    // A file consistent with its header, but whose samples would not fit in memory once resampled.
    expect(idxError(idxBytes(300, 1, 1, new Uint8Array(300)), 1 << 20)).toBe(
      'x.idx: 300 samples of 1048576 values are more than the 268435456 values a data set may hold',
    );
  });

  it('gives a clear error for every truncation of a valid file', () => {
    for (let length = 0; length < small.length; length++) {
      expect(idxError(small.subarray(0, length))).toMatch(/^x\.idx: (\d+ bytes, too short|truncated IDX header|the header announces)/);
    }
  });

  it('gives a result or a ReclinkError for random bytes, never a crash or a hang', () => {
    const random = Random.fromSeed(7);
    let parsed = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const bytes = Uint8Array.from({ length: random.int(40) }, () => random.int(256));
      if (trial % 2 === 0 && bytes.length >= 16) {
        // Mostly valid headers with small random dimensions, to reach the checks past the magic.
        bytes.set([0, 0, 8, 3, 0, 0, 0, random.int(4), 0, 0, 0, random.int(4), 0, 0, 0, random.int(4)]);
      }
      try {
        const data = parseIdx(bytes, 4, 'fuzz.idx');
        expect(data.x.data.every((v) => v >= 0 && v <= 1)).toBe(true);
        parsed++;
      } catch (error) {
        expect(error).toBeInstanceOf(ReclinkError);
      }
    }
    expect(parsed).toBeGreaterThan(0);
  });
});
