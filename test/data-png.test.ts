import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { MAX_PNG_SIDE } from '../src/data/png-check.js';
import { readPngFolder } from '../src/data/png-folder.js';
import { ReclinkError } from '../src/errors.js';
import { Random } from '../src/random.js';
import { IEND, idat, ihdr, pngFile, temporaryFolder, type PngChunk } from './data-files.js';

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
      /x\.png: images are 5 wide and 3 high \(15 pixels\), the model expects 16 \(4 × 4 pixels\)/,
    );
  });

  it('names a file that is not a readable PNG', () => {
    const folder = folderWith('bad', { 'a.png': pngBytes(2, 2, [0, 0, 0, 255]), 'b.png': 'not a png at all' });
    const message = pngError(folder, 4);
    expect(message).toMatch(/b\.png: not a PNG image \(it does not start with the PNG signature\)$/);
    const truncated = pngBytes(4, 4, [1, 2, 3, 255]);
    expect(pngError(folderWith('truncated', { 'a.png': truncated.subarray(0, truncated.length - 20) }), 16)).toMatch(
      /a\.png: chunk "IDAT" of \d+ bytes runs past the end of the file \(truncated\?\)$/,
    );
    const badCrc = Buffer.from(truncated);
    badCrc[badCrc.length - 13] ^= 1; // the IDAT chunk's CRC
    const crcMessage = pngError(folderWith('crc', { 'a.png': badCrc }), 16);
    expect(crcMessage).toMatch(/a\.png: not a readable PNG image \(.+\)$/);
    expect(crcMessage).not.toContain('\n');
  });

  it('refuses a header claiming a huge image before decoding it', () => {
    const bytes = pngBytes(2, 2, [0, 0, 0, 255]);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    view.setUint32(16, 20000); // IHDR width and height, then its CRC, made valid again
    view.setUint32(20, 20000);
    view.setUint32(29, crc32(bytes.subarray(12, 29)));
    expect(pngError(folderWith('huge', { 'a.png': bytes }), 4)).toMatch(/a\.png: an image 20000 wide and 20000 high, expected at most 1024 pixels a side \(reclink's limit\)$/);
    // 4096 x 4096 at 16 bits (RGBA: 128 MB of samples) took 2 s and 510 MB to decode; a 1024 x 1 line is read.
    const side = (width: number, height: number): string => pngError(folderWith(`side-${width}x${height}`, { 'a.png': pngFile([ihdr(width, height, 16, 6), idat([0]), IEND]) }), 4);
    expect(side(4096, 4096)).toMatch(/a\.png: an image 4096 wide and 4096 high, expected at most 1024 pixels a side/);
    expect(side(1, MAX_PNG_SIDE + 1)).toMatch(/a\.png: an image 1 wide and 1025 high, expected at most 1024 pixels a side/);
    const line = pngFile([ihdr(MAX_PNG_SIDE, 1, 8, 0), idat(new Uint8Array(1 + MAX_PNG_SIDE).fill(255, 1)), IEND]);
    expect(readPngFolder(folderWith('line', { 'a.png': line }), MAX_PNG_SIDE).x.data.every((v) => v === 1)).toBe(true);
  });

  it('refuses a folder without PNG files', () => {
    expect(pngError(folderWith('empty', { 'readme.md': '#' }), 4)).toMatch(/empty: no \.png files, expected a folder of PNG images$/);
  });

  it('reads bit depths below 8, palettes and Adam7 interlacing as the PNG specification packs them', () => {
    // 2-bit palette, 3x2: indices 0 1 2 / 3 3 0, a filter byte and one byte a scanline.
    const palette: PngChunk = ['PLTE', Uint8Array.from([0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0, 255])];
    const indexed = pngFile([ihdr(3, 2, 2, 3), palette, idat([0, 0b00011000, 0, 0b11110000]), IEND]);
    const values = Array.from(readPngFolder(folderWith('palette', { 'a.png': indexed }), 6).x.data);
    [0, 1, 0.299, 0.114, 0.114, 0].forEach((v, i) => expect(values[i]).toBeCloseTo(v, 6));
    // Adam7 over 32x32 grey: passes of 4x4, 4x4, 8x4, 8x8, 16x8, 16x16, 32x16 pixels,
    // 20 + 20 + 36 + 72 + 136 + 272 + 528 = 1084 bytes with a filter byte a scanline.
    const interlaced = (bytes: number): Buffer => pngFile([ihdr(32, 32, 8, 0, 1), idat(new Uint8Array(bytes)), IEND]);
    expect(readPngFolder(folderWith('adam7', { 'a.png': interlaced(1084) }), 1024).x.rows).toBe(1);
    expect(pngError(folderWith('adam7-short', { 'a.png': interlaced(1083) }), 1024)).toMatch(/a\.png: 1083 bytes of image data, an image 32 wide and 32 high needs 1084 \(truncated\?\)$/);
  });

  const grey = ihdr(4, 4, 8, 0);
  const pixels = new Uint8Array(4 * 5); // 4 scanlines of a filter byte and 4 pixels
  const corrupt: [string, PngChunk[], string][] = [
    ['no IDAT chunk', [grey, IEND], 'no IDAT chunk: the image has no pixel data'],
    ['short image data', [grey, idat(pixels.subarray(0, 10)), IEND], '10 bytes of image data, an image 4 wide and 4 high needs 20 (truncated?)'],
    ['image data that is not zlib', [grey, ['IDAT', pixels], IEND], 'image data that does not inflate (unknown compression method)'],
    ['image data cut short', [grey, ['IDAT', deflateSync(pixels).subarray(0, 6)], IEND], 'image data that does not inflate (unexpected end of file)'],
    ['a bit depth invalid for its colour type', [ihdr(4, 4, 4, 2), idat(new Uint8Array(4 * 7)), IEND], 'bit depth 4 for colour type 2 (RGB), expected 8, 16'],
    ['an unknown colour type', [ihdr(4, 4, 8, 5), idat(pixels), IEND], 'colour type 5, expected 0, 2, 3, 4 or 6'],
    ['a 1,000-byte palette', [ihdr(4, 4, 8, 3), ['PLTE', new Uint8Array(1000)], idat(pixels), IEND], 'a PLTE chunk of 1000 bytes, expected 3 bytes an entry and 1 to 256 entries'],
    ['a palette larger than the bit depth indexes', [ihdr(4, 4, 1, 3), ['PLTE', new Uint8Array(9)], idat(new Uint8Array(8)), IEND], 'a PLTE chunk of 9 bytes, expected 3 bytes an entry and 1 to 2 entries'],
    ['a palette image without a palette', [ihdr(4, 4, 8, 3), idat(pixels), IEND], 'a palette image without a PLTE chunk'],
    ['an empty image', [ihdr(0, 4, 8, 0), idat(pixels), IEND], 'an image 0 wide and 4 high, expected at least 1 × 1'],
    ['another chunk first', [idat(pixels), grey, IEND], 'the first chunk is "IDAT", expected IHDR'],
    ['a short IHDR', [['IHDR', new Uint8Array(12)], idat(pixels), IEND], 'an IHDR chunk of 12 bytes, expected 13'],
    ['two IHDR chunks', [grey, grey, idat(pixels), IEND], 'a second IHDR chunk'],
    ['an unknown interlace method', [ihdr(4, 4, 8, 0, 2), idat(pixels), IEND], 'interlace method 2, expected 0 or 1'],
    ['no IEND', [grey, idat(pixels)], 'the file ends at byte 56 without an IEND chunk (truncated?)'],
  ];
  for (const [what, chunks, message] of corrupt) {
    it(`refuses ${what} with one line`, () => {
      expect(pngError(folderWith(what.replace(/\W+/g, '-'), { 'a.png': pngFile(chunks) }), 16)).toBe(`${join(root.path, what.replace(/\W+/g, '-'), 'a.png')}: ${message}`);
    });
  }

  it('refuses a chunk running past the end of the file and a file without the signature', () => {
    const whole = pngFile([grey, idat(pixels), IEND]);
    expect(pngError(folderWith('cut', { 'a.png': whole.subarray(0, 45) }), 16)).toMatch(/a\.png: chunk "IDAT" of \d+ bytes runs past the end of the file \(truncated\?\)$/);
    expect(pngError(folderWith('gif', { 'a.png': 'GIF89a' }), 16)).toMatch(/a\.png: not a PNG image \(it does not start with the PNG signature\)$/);
  });

  it('gives samples or a one-line ReclinkError for random corruptions of valid files, never a crash', () => {
    const random = Random.fromSeed(3);
    const folder = folderWith('fuzz', {});
    const path = join(folder, 'a.png');
    const valid: PngChunk[] = [ihdr(3, 2, 2, 3), ['PLTE', new Uint8Array(12).fill(200)], idat([0, 0b00011000, 0, 0b11110000]), IEND];
    const rgba = pngBytes(3, 2, [10, 20, 30, 255]);
    let parsed = 0;
    for (let trial = 0; trial < 1500; trial++) {
      let bytes: Uint8Array;
      if (trial % 2 === 0) {
        // A byte of a chunk's content changed, the CRCs kept valid: past pngjs's CRC check, into the structure.
        const chunks = valid.map(([type, data]): PngChunk => [type, Uint8Array.from(data)]);
        const [, data] = chunks[random.int(chunks.length)];
        if (data.length > 0) data[random.int(data.length)] = random.int(256);
        if (random.int(4) === 0) chunks.splice(random.int(chunks.length), 1);
        bytes = pngFile(chunks);
      } else {
        bytes = Uint8Array.from(rgba);
        for (let k = 1 + random.int(3); k > 0; k--) bytes[random.int(bytes.length)] = random.int(256);
      }
      writeFileSync(path, bytes);
      try {
        const { x } = readPngFolder(folder, 6);
        expect(x.data.every((v) => v >= 0 && v <= 1)).toBe(true);
        parsed++;
      } catch (error) {
        expect(error).toBeInstanceOf(ReclinkError);
        expect((error as ReclinkError).message).toMatch(/^\S+a\.png: [^\n]+$/);
      }
    }
    expect(parsed).toBeGreaterThan(50);
  });
});
