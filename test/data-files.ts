import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
