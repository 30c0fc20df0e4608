import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MNIST15_PATH } from '../src/data/mnist15.js';
import type { DecodedImage } from '../src/data/png-format.js';
import { ReclinkError } from '../src/errors.js';
import { serializeNpy } from '../src/io/npy-format.js';
import { bundledDataset, fileDataset } from '../src/lab/data-files.js';
import type { LabFile } from '../src/lab/protocol.js';
import { fromValues } from '../src/linalg/matrix.js';
import { IEND, idat, ihdr, pngFile } from './data-files.js';

const file = (name: string, content: string | Uint8Array): LabFile => ({ name, bytes: typeof content === 'string' ? new TextEncoder().encode(content) : content });
const csvRows = (rows: number, cols = 225): string => Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => ((r + c) % 10) / 10).join(',')).join('\n');

/** A grey PNG file of the size in its name (`a-30x30.png`), black. */
function png(name: string): LabFile {
  const [, height, width] = /(\d+)x(\d+)/.exec(name)?.map(Number) ?? [];
  return file(name, pngFile([ihdr(width, height, 8, 0), idat(new Uint8Array(height * (1 + width))), IEND]));
}

/** A stand-in for the browser's decoder: a grey image of the size in the file's name (`a-30x30.png`), pixel value = its index mod 256. */
async function decodeBySize(f: LabFile): Promise<DecodedImage> {
  const [, height, width] = /(\d+)x(\d+)/.exec(f.name)?.map(Number) ?? [];
  const data = new Uint8Array(4 * width * height).map((_, i) => Math.floor(i / 4) % 256);
  return { width, height, data };
}

async function error(promise: Promise<unknown>): Promise<string> {
  const e = await promise.then(() => null, (caught: unknown) => caught);
  expect(e).toBeInstanceOf(ReclinkError);
  return (e as ReclinkError).message;
}

describe('the lab data loaders', () => {
  it('splits the bundled digits 8,000 / 2,000 as the command line does', () => {
    const data = bundledDataset(new Uint8Array(readFileSync(MNIST15_PATH)));
    expect([data.name, data.train.rows, data.validation.rows, data.train.cols]).toEqual(['bundled MNIST-15', 8000, 2000, 225]);
  });

  it('reads a CSV or an NPY file and holds a fifth out for validation', async () => {
    const csv = await fileDataset([file('digits.csv', csvRows(10))], 225, decodeBySize);
    expect([csv.name, csv.train.rows, csv.validation.rows]).toEqual(['digits.csv', 8, 2]);
    const npy = await fileDataset([file('x.npy', serializeNpy(fromValues(5, 225, new Float32Array(1125).fill(0.5))))], 225, decodeBySize);
    expect([npy.name, npy.train.rows, npy.validation.rows, npy.train.data[0]]).toEqual(['x.npy', 4, 1, 0.5]);
  });

  it('gives the command line errors for bad files', async () => {
    expect(await error(fileDataset([file('bad.csv', `${csvRows(2)}\n${csvRows(1, 224)}`)], 225, decodeBySize))).toBe('bad.csv: line 3 has 224 columns, the model expects 225 (15 × 15 pixels)');
    expect(await error(fileDataset([file('narrow.npy', serializeNpy(fromValues(2, 3, [1, 2, 3, 4, 5, 6])))], 225, decodeBySize))).toBe(
      'narrow.npy: every row has 3 columns, the model expects 225 (15 × 15 pixels)',
    );
    expect(await error(fileDataset([file('junk.npy', new Uint8Array([1, 2, 3]))], 225, decodeBySize))).toMatch(/^junk\.npy: not an NPY file/);
    expect(await error(fileDataset([file('one.csv', csvRows(1))], 225, decodeBySize))).toBe('one.csv: 1 sample, expected at least 2 (a fifth of them are held out for validation)');
    expect(await error(fileDataset([], 225, decodeBySize))).toBe('no files chosen, expected a CSV or NPY file, or PNG images');
    expect(await error(fileDataset([file('notes.txt', 'hi')], 225, decodeBySize))).toBe('notes.txt: unknown data format, expected .csv, .npy or .png images');
    expect(await error(fileDataset([file('a.csv', csvRows(5)), file('b.png', '')], 225, decodeBySize))).toBe(
      '2 files chosen (a.csv, b.png), expected one CSV or NPY file, or PNG images only',
    );
  });

  it('reads PNG images in the order of their names, resampling square ones, and refuses others', async () => {
    const images = ['c-15x15.png', 'a-30x30.png', 'b-15x15.png', 'd-15x15.png', 'e-15x15.png'].map(png);
    const data = await fileDataset(images, 225, decodeBySize);
    expect([data.name, data.train.rows, data.validation.rows]).toEqual(['5 PNG images', 4, 1]);
    const reversed = await fileDataset([...images].reverse(), 225, decodeBySize);
    expect(reversed.train.data).toEqual(data.train.data);
    expect(await error(fileDataset([png('wide-10x20.png'), png('x-15x15.png')], 225, decodeBySize))).toMatch(
      /^wide-10x20\.png: images are 20 wide and 10 high \(200 pixels\), the model expects 225 \(15 × 15 pixels\)/,
    );
  });

  it('refuses a PNG whose header claims a huge image, or that is corrupt, before decoding it', async () => {
    let decoded = 0;
    const count = async (f: LabFile): Promise<DecodedImage> => {
      decoded++;
      return decodeBySize(f);
    };
    const bomb = pngFile([ihdr(100_000, 100_000, 8, 0), idat([0]), IEND]);
    expect(await error(fileDataset([file('bomb.png', bomb)], 225, count))).toBe("bomb.png: an image 100000 wide and 100000 high, expected at most 1024 pixels a side (reclink's limit)");
    const noData = pngFile([ihdr(15, 15, 8, 0), IEND]);
    expect(await error(fileDataset([png('a-15x15.png'), file('b.png', noData)], 225, count))).toBe('b.png: no IDAT chunk: the image has no pixel data');
    expect(decoded).toBe(1);
  });
});
