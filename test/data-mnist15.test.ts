import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMnist15, mnistDigitsFolder } from '../src/data/mnist15-build.js';
import { encodeMnist15, parseMnist15 } from '../src/data/mnist15-format.js';
import { loadMnist15, MNIST15_PATH } from '../src/data/mnist15.js';
import { resampleArea } from '../src/data/resample.js';
import { ReclinkError } from '../src/errors.js';
import { temporaryFolder } from './data-files.js';

const folder = temporaryFolder();
/** Samples per digit in the `mnist` package (10,000 in all). */
const DIGIT_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

describe('MNIST-15 file format', () => {
  const images = { height: 2, width: 3, pixels: [0, 0.2, 0.4, 0.6, 0.8, 1, 1, 1, 0, 0, 0.5, 0.7], labels: Uint8Array.from([3, 9]) };

  it('round-trips images (quantised to 1/255) and labels', () => {
    const data = parseMnist15(encodeMnist15(images));
    expect([data.x.rows, data.x.cols]).toEqual([2, 6]);
    expect(data.imageSize).toEqual({ height: 2, width: 3 });
    expect(Array.from(data.labels)).toEqual([3, 9]);
    data.x.data.forEach((v, i) => expect(Math.abs(v - images.pixels[i])).toBeLessThanOrEqual(0.5 / 255 + 1e-7));
  });

  it('refuses other files and wrong lengths with a clear error', () => {
    const bytes = encodeMnist15(images);
    expect(() => parseMnist15(bytes.subarray(0, bytes.length - 1))).toThrow(ReclinkError);
    expect(() => parseMnist15(bytes.subarray(0, bytes.length - 1))).toThrow(/announces 2 images of 2x3/);
    expect(() => parseMnist15(Uint8Array.from([1, 2, 3]))).toThrow(/not a reclink data file/);
    for (let length = 0; length < bytes.length; length++) expect(() => parseMnist15(bytes.subarray(0, length))).toThrow(ReclinkError);
  });
});

describe('building MNIST-15 from the mnist package', () => {
  it('resamples every digit of a package folder, digit by digit', () => {
    const digits = temporaryFolder();
    for (let d = 0; d < 10; d++) digits.write(`${d}.json`, JSON.stringify({ data: new Array(784 * (d % 2 ? 2 : 1)).fill(d / 10) }));
    const data = parseMnist15(buildMnist15(digits.path));
    expect(Array.from(data.labels)).toEqual([0, 1, 1, 2, 3, 3, 4, 5, 5, 6, 7, 7, 8, 9, 9]);
    expect(data.x.cols).toBe(225);
    data.labels.forEach((label, n) => expect(data.x.data[n * 225 + 112]).toBeCloseTo(Math.round(label * 25.5) / 255, 6));
  });

  it('refuses a malformed digit file', () => {
    const digits = temporaryFolder();
    for (let d = 0; d < 10; d++) digits.write(`${d}.json`, JSON.stringify({ data: [1, 2, 3] }));
    expect(() => buildMnist15(digits.path)).toThrow(/0\.json: expected \{"data": \[\.\.\.\]\} with 784 numbers a sample/);
  });

  it('gives the package\'s 10,000 digits as 15x15 area averages, and the built asset is exactly that', () => {
    const bytes = buildMnist15();
    const data = parseMnist15(bytes);
    expect([data.x.rows, data.x.cols]).toEqual([10000, 225]);
    expect(DIGIT_COUNTS.map((_, d) => data.labels.filter((label) => label === d).length)).toEqual(DIGIT_COUNTS);
    const first7 = DIGIT_COUNTS.slice(0, 7).reduce((a, b) => a + b, 0);
    const sevens: number[] = JSON.parse(readFileSync(join(mnistDigitsFolder(), '7.json'), 'utf8')).data;
    const expected = resampleArea(sevens.slice(0, 784), { height: 28, width: 28 }, { height: 15, width: 15 });
    expected.forEach((v, i) => expect(Math.abs(data.x.data[first7 * 225 + i] - v)).toBeLessThanOrEqual(0.5 / 255 + 1e-7));
    expect(data.x.data.every((v) => v >= 0 && v <= 1)).toBe(true);
    // `npm run build` (also run by `npm ci` and `npm test`) writes the asset that `loadMnist15` reads.
    expect(Buffer.compare(readFileSync(MNIST15_PATH), bytes)).toBe(0);
  });
});

describe('loadMnist15', () => {
  it('loads the bundled data set', () => {
    const data = loadMnist15();
    expect([data.x.rows, data.x.cols, data.labels.length]).toEqual([10000, 225, 10000]);
    expect(data.source).toBe('bundled MNIST-15');
  });

  it('names a missing file and how to build it', () => {
    const missing = join(folder.path, 'nope.bin');
    expect(() => loadMnist15(missing)).toThrow(`${missing}: cannot read the bundled MNIST-15 data set (ENOENT), expected it built by \`npm run build\``);
  });
});
