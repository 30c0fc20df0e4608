import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll } from 'vitest';

/** A temporary folder for one test file, removed after its tests; `write` puts a file in it and returns its path. */
export function temporaryFolder(): { path: string; write(name: string, content: string | Uint8Array): string } {
  const path = mkdtempSync(join(tmpdir(), 'reclink-data-'));
  afterAll(() => rmSync(path, { recursive: true, force: true }));
  return {
    path,
    write(name, content) {
      const file = join(path, name);
      writeFileSync(file, content);
      return file;
    },
  };
}

/** The bytes of an IDX image file: magic 0x00000803, big-endian dimensions, then the pixels. */
export function idxBytes(count: number, height: number, width: number, pixels: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(16 + pixels.length);
  const view = new DataView(bytes.buffer);
  [0x00000803, count, height, width].forEach((value, i) => view.setUint32(4 * i, value));
  bytes.set(pixels, 16);
  return bytes;
}

/** A PNG chunk's type and content. */
export type PngChunk = [type: string, data: Uint8Array];

/** The bytes of a PNG file: the signature, then each chunk with its length and CRC (add IHDR first and IEND last). */
export function pngFile(chunks: readonly PngChunk[]): Buffer {
  const parts = chunks.map(([type, data]) => {
    const chunk = Buffer.alloc(12 + data.length);
    chunk.writeUInt32BE(data.length, 0);
    chunk.write(type, 4, 'latin1');
    chunk.set(data, 8);
    chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
    return chunk;
  });
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...parts]);
}

/** An IHDR chunk: size, bit depth, colour type (0 grey, 2 RGB, 3 palette, 4 grey and alpha, 6 RGBA), interlace (0 none, 1 Adam7). */
export function ihdr(width: number, height: number, depth: number, colourType: number, interlace = 0): PngChunk {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data.set([depth, colourType, 0, 0, interlace], 8);
  return ['IHDR', data];
}

/** An IDAT chunk holding `raw` (filtered scanlines) compressed with zlib. */
export const idat = (raw: ArrayLike<number>): PngChunk => ['IDAT', deflateSync(Uint8Array.from(raw))];

export const IEND: PngChunk = ['IEND', new Uint8Array(0)];
