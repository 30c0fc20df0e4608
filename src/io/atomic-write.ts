import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileError } from './fs-errors.js';

/**
 * Writes `content` (bytes, or text as UTF-8) to `path` so that the file is either its old self or complete, never
 * half-written: the bytes go to a new temporary file in the same folder, which is flushed
 * to disk (fsync) and then renamed over `path`. On failure the temporary file is removed,
 * the old file is untouched, and a ReclinkError names `path`.
 */
export function writeFileAtomic(path: string, content: Uint8Array | string): void {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const temporary = temporaryPath(path);
  let fd: number | null = null;
  try {
    fd = openSync(temporary, 'wx'); // wx: a fresh file, never someone else's
    for (let written = 0; written < bytes.length; ) {
      written += writeSync(fd, bytes, written, bytes.length - written);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temporary, path);
  } catch (error) {
    if (fd !== null) closeQuietly(fd);
    rmSync(temporary, { force: true });
    throw fileError('write', path, error);
  }
}

/** A fresh name for a temporary file beside `path`: `.<name>.<12 hex digits>.tmp`. */
export function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Whether `name` is a temporary file of `temporaryPath` for a file named `file` (one a kill left behind). */
export function isTemporaryFile(name: string, file: string): boolean {
  return name.startsWith(`.${file}.`) && /^[0-9a-f]{12}\.tmp$/.test(name.slice(file.length + 2));
}

/** Closes `fd` while another error is already on its way out. */
function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // The first error is the one to report.
  }
}
