import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { readPngFolder } from '../src/data/png-folder.js';
import { ReclinkError } from '../src/errors.js';
import { temporaryFolder } from './data-files.js';

const root = temporaryFolder();

/** PNG bytes of a width × height image whose every pixel is `rgba`, stored with `colorType` (0 grey, 2 RGB, 6 RGBA). */
function pngBytes(width: number, height: number, rgba: number[], colorType: 0 | 2 | 6 = 6): Buffer {
  const png = new PNG({ width, height });
  for (let p = 0; p < width * height; p++) png.data.set(rgba, 4 * p);
  return PNG.sync.write(png, { colorType });
}

/** A new folder under the temporary root holding `files`. */
function folderWith(name: string, files: Record<string, string | Buffer>): string {
  const folder = join(root.path, name);
  mkdirSync(folder);
  for (const [file, content] of Object.entries(files)) root.write(join(name, file), content);
  return folder;
}

function pngError(folder: string, inputSize: number): string {
  try {
    readPngFolder(folder, inputSize);
  } catch (error) {
    expect(error).toBeInstanceOf(ReclinkError);
    return (error as ReclinkError).message;
  }
  throw new Error('expected an error');
}

describe('PNG folder loader', () => {
  it('reads RGB, RGBA and grey PNGs as BT.601 luma, sorted by name, ignoring other files', () => {
    const folder = folderWith('mixed', {
      'b.png': pngBytes(2, 2, [255, 0, 0, 255], 2),
      'a.png': pngBytes(2, 2, [0, 0, 255, 10], 6),
      '10.png': pngBytes(2, 2, [100, 100, 100, 255], 0),
      'notes.txt': 'not an image',
      'c.PNG': pngBytes(2, 2, [0, 255, 0, 255], 2),
    });
    const data = readPngFolder(folder, 4);
    expect([data.x.rows, data.x.cols]).toEqual([4, 4]);
    const firstOfEach = [0, 1, 2, 3].map((n) => data.x.data[4 * n]);
    // Sorted names: 10.png, a.png, b.png, c.PNG; alpha is ignored.
    [100 / 255, 0.114, 0.299, 0.587].forEach((expected, i) => expect(firstOfEach[i]).toBeCloseTo(expected, 6));
    expect(data.imageSize).toEqual({ height: 2, width: 2 });
    expect(data.source).toBe(folder);
  });

  it('resamples square images to a square input and keeps others with inputSize pixels', () => {
    const square = readPngFolder(folderWith('square', { 'x.png': pngBytes(30, 30, [255, 255, 255, 255]) }), 225);
    expect(square.x.cols).toBe(225);
    for (const v of square.x.data) expect(v).toBeCloseTo(1, 6);
    expect(square.imageSize).toEqual({ height: 15, width: 15 });
    const wide = readPngFolder(folderWith('wide', { 'x.png': pngBytes(5, 3, [51, 51, 51, 255]) }), 15);
    expect(wide.imageSize).toEqual({ height: 3, width: 5 });
    expect(pngError(folderWith('wide-bad', { 'x.png': pngBytes(5, 3, [0, 0, 0, 255]) }), 16)).toMatch(
      /x\.png: images are 3x5 \(15 pixels\), the model expects 16 \(inputSize\)/,
    );
  });

  it('names a file that is not a readable PNG', () => {
    const folder = folderWith('bad', { 'a.png': pngBytes(2, 2, [0, 0, 0, 255]), 'b.png': 'not a png at all' });
    const message = pngError(folder, 4);
    expect(message).toMatch(/b\.png: not a readable PNG image \(.+\)$/);
    expect(message).not.toContain('\n');
    const truncated = pngBytes(4, 4, [1, 2, 3, 255]);
    expect(pngError(folderWith('truncated', { 'a.png': truncated.subarray(0, truncated.length - 20) }), 16)).toMatch(
      /a\.png: not a readable PNG image/,
    );
  });

  it('refuses a header claiming a huge image before decoding it', () => {
    const bytes = pngBytes(2, 2, [0, 0, 0, 255]);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    view.setUint32(16, 20000); // IHDR width and height, then its CRC, made valid again
    view.setUint32(20, 20000);
    view.setUint32(29, crc32(bytes.subarray(12, 29)));
    expect(pngError(folderWith('huge', { 'a.png': bytes }), 4)).toMatch(/a\.png: a 20000x20000 image, expected at most 16777216 pixels$/);
  });

  it('refuses a folder without PNG files', () => {
    expect(pngError(folderWith('empty', { 'readme.md': '#' }), 4)).toMatch(/empty: no \.png files, expected a folder of PNG images$/);
  });
});
