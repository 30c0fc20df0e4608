import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../src/data/dataset.js';
import { ReclinkError } from '../src/errors.js';
import { idxBytes, temporaryFolder } from './data-files.js';

const folder = temporaryFolder();

describe('loadDataset', () => {
  it('dispatches by extension: .csv, .idx and -idx3-ubyte', () => {
    expect(loadDataset(folder.write('a.CSV', 'p,q\n1,2\n3,4\n'), 2).x.rows).toBe(2);
    const images = idxBytes(2, 1, 2, [0, 255, 255, 0]);
    expect(Array.from(loadDataset(folder.write('b.idx', images), 2).x.data)).toEqual([0, 1, 1, 0]);
    expect(loadDataset(folder.write('t10k-images-idx3-ubyte', images), 2).x.rows).toBe(2);
    expect(loadDataset(folder.write('train-images.idx3-ubyte', images), 2).x.rows).toBe(2);
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
    expect(() => loadDataset('bundled', 224)).toThrow(/bundled MNIST-15: images are 15x15 \(225 pixels\), the model expects 224/);
  });

  it('names a missing path and an unknown format', () => {
    const missing = join(folder.path, 'missing.csv');
    expect(() => loadDataset(missing, 2)).toThrow(ReclinkError);
    expect(() => loadDataset(missing, 2)).toThrow(`${missing}: no such file or folder`);
    const text = folder.write('c.txt', '1,2');
    expect(() => loadDataset(text, 2)).toThrow(`${text}: unknown data format, expected .csv, .npy, .idx or -idx3-ubyte, a folder of PNG images, or "bundled"`);
  });
});
