import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from '../src/io/atomic-write.js';
import { reclinkError, temporaryFolder } from './io-helpers.js';

// A disk that fills up half-way through a write: writeSync writes `failAfter` bytes, then fails.
const disk = vi.hoisted(() => ({ failAfter: Infinity }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const writeSync = (fd: number, buffer: Uint8Array, offset: number, length: number): number => {
    if (disk.failAfter <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const n = fs.writeSync(fd, buffer, offset, Math.min(length, disk.failAfter));
    disk.failAfter -= n;
    return n;
  };
  return { ...fs, writeSync };
});

const dir = temporaryFolder('atomic');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  disk.failAfter = Infinity;
});

describe('writeFileAtomic', () => {
  it('writes the bytes and leaves no temporary file', () => {
    const folder = mkdtempSync(join(dir, 'ok-'));
    const path = join(folder, 'a.bin');
    writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    writeFileAtomic(path, new Uint8Array(100_000).fill(7));
    expect(readFileSync(path).length).toBe(100_000);
    expect(readdirSync(folder)).toEqual(['a.bin']);
  });

  it('keeps the old file whole when the disk fills up half-way, and removes the temporary file', () => {
    const folder = mkdtempSync(join(dir, 'full-'));
    const path = join(folder, 'model.safetensors');
    writeFileSync(path, 'old content');
    disk.failAfter = 500;
    const error = reclinkError(() => writeFileAtomic(path, new Uint8Array(1000).fill(1)));
    expect(error.message).toBe(`cannot write ${path}: no space left on device`);
    expect(error.exitCode).toBe(1);
    expect(readFileSync(path, 'utf8')).toBe('old content');
    expect(readdirSync(folder)).toEqual(['model.safetensors']);
  });

  it('names the file when its folder does not exist, and creates nothing', () => {
    const path = join(dir, 'missing', 'a.bin');
    expect(reclinkError(() => writeFileAtomic(path, new Uint8Array(1))).message).toBe(`cannot write ${path}: no such file or directory`);
    expect(readdirSync(dir)).not.toContain('missing');
  });

  it('leaves a directory in the way untouched', () => {
    const folder = mkdtempSync(join(dir, 'dir-'));
    const path = join(folder, 'out');
    mkdirSync(join(path, 'inner'), { recursive: true });
    expect(reclinkError(() => writeFileAtomic(path, new Uint8Array(4))).message).toMatch(new RegExp(`^cannot write ${path}: `));
    expect(readdirSync(folder)).toEqual(['out']);
    expect(readdirSync(path)).toEqual(['inner']);
  });
});
