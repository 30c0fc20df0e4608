import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../src/data/csv.js';
import { loadDataset } from '../src/data/dataset.js';
import { readIdx } from '../src/data/idx.js';
import { readPngFolder } from '../src/data/png-folder.js';
import { writeNpy } from '../src/io/npy.js';
import { fromValues, zeros } from '../src/linalg/matrix.js';
import { ReclinkError } from '../src/errors.js';
import { idxBytes, temporaryFolder } from './data-files.js';

const folder = temporaryFolder();

describe('loadDataset', () => {
  it('dispatches by extension: .csv, .idx, -idx3-ubyte and .idx3-ubyte', () => {
    expect(loadDataset(folder.write('a.CSV', 'p,q\n1,2\n3,4\n'), 2).x.rows).toBe(2);
    const images = idxBytes(2, 1, 2, [0, 255, 255, 0]);
    expect(Array.from(loadDataset(folder.write('b.idx', images), 2).x.data)).toEqual([0, 1, 1, 0]);
    expect(loadDataset(folder.write('t10k-images-idx3-ubyte', images), 2).x.rows).toBe(2);
    expect(loadDataset(folder.write('train-images.idx3-ubyte', images), 2).x.rows).toBe(2);
  });

  it('reads a 2-D .npy file a sample a row, checking its shape against inputSize', () => {
    const path = join(folder.path, 'a.npy');
    writeNpy(path, fromValues(2, 3, [1, 2, 3, 4, 5, 6], 'float64'));
    const data = loadDataset(path, 3);
    expect(data.x.data).toBeInstanceOf(Float32Array);
    expect(Array.from(data.x.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => loadDataset(path, 4)).toThrow(`${path}: every row has 3 columns, the model expects 4 (2 × 2 pixels)`);
    writeNpy(path, zeros(0, 3));
    expect(() => loadDataset(path, 3)).toThrow(`${path}: no samples, expected at least one`);
    writeNpy(path, fromValues(1, 3, [1, NaN, 3]));
    expect(() => loadDataset(path, 3)).toThrow(ReclinkError);
    expect(() => loadDataset(path, 3)).toThrow(/element \(0, 1\) is NaN/);
  });

  it('reads uint8 pixels alike from NPY, IDX and PNG: divided by 255', () => {
    const pixels = [0, 51, 204, 255];
    const dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (1, 4), }";
    const header = `\x93NUMPY\x01\x00${String.fromCharCode(118)}\x00${dict.padEnd(117)}\n`; // NPY 1.0, padded to 128 bytes
    const npy = loadDataset(folder.write('u8.npy', Uint8Array.from([...Buffer.from(header, 'latin1'), ...pixels])), 4);
    const idx = loadDataset(folder.write('u8.idx', idxBytes(1, 2, 2, pixels)), 4);
    const png = new PNG({ width: 2, height: 2 });
    pixels.forEach((v, p) => png.data.set([v, v, v, 255], 4 * p));
    mkdirSync(join(folder.path, 'u8-png'));
    folder.write('u8-png/a.png', PNG.sync.write(png, { colorType: 0 }));
    const image = loadDataset(join(folder.path, 'u8-png'), 4);
    expect(Array.from(npy.x.data)).toEqual([0, 0.2, 0.8, 1].map(Math.fround));
    expect(npy.x.data).toEqual(idx.x.data);
    Array.from(image.x.data).forEach((v, i) => expect(v).toBeCloseTo(npy.x.data[i], 6));
  });

  it('reads a folder as PNG images', () => {
    const pngs = join(folder.path, 'pngs');
    mkdirSync(pngs);
    folder.write('pngs/one.png', PNG.sync.write(new PNG({ width: 2, height: 2 })));
    expect(loadDataset(pngs, 4).x.rows).toBe(1);
  });

  it('gives the bundled MNIST-15 without a path or with "bundled", resampled for another square input', () => {
    for (const path of [undefined, 'bundled']) {
      const data = loadDataset(path, 225);
      expect([data.x.rows, data.x.cols, data.labels?.length]).toEqual([10000, 225, 10000]);
    }
    const small = loadDataset(undefined, 25);
    expect([small.x.rows, small.x.cols]).toEqual([10000, 25]);
    expect(small.imageSize).toEqual({ height: 5, width: 5 });
    expect(() => loadDataset('bundled', 224)).toThrow(/bundled MNIST-15: images are 15 wide and 15 high \(225 pixels\), the model expects 224/);
  });

  it('names a missing path and an unknown format', () => {
    const missing = join(folder.path, 'missing.csv');
    expect(() => loadDataset(missing, 2)).toThrow(ReclinkError);
    expect(() => loadDataset(missing, 2)).toThrow(`${missing}: no such file or folder`);
    expect(() => readCsv(missing, 2)).toThrow(`cannot read ${missing}: no such file or directory`);
    expect(() => readIdx(missing, 2)).toThrow(`cannot read ${missing}: no such file or directory`);
    expect(() => readPngFolder(missing, 2)).toThrow(`cannot read ${missing}: no such file or directory`);
    const text = folder.write('c.txt', '1,2');
    expect(() => loadDataset(text, 2)).toThrow(`${text}: unknown data format, expected .csv, .npy, .idx or -idx3-ubyte, a folder of PNG images, or "bundled"`);
  });
});
