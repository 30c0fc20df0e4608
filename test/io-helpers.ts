import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReclinkError } from '../src/errors.js';

/** The ReclinkError that `f` throws; any other outcome fails the test. */
export function reclinkError(f: () => unknown): ReclinkError {
  try {
    f();
  } catch (error) {
    if (error instanceof ReclinkError) return error;
    throw error;
  }
  throw new Error('expected a ReclinkError, nothing was thrown');
}

/** A fresh temporary folder. */
export function temporaryFolder(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `reclink-${prefix}-`));
}

/** The bytes of a typed array (a view, not a copy). */
export function bits(data: Float32Array | Float64Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * The index of the first element whose bits differ between two float arrays of one element
 * type (NaN payloads and -0 count), or -1 when all are the same. Unlike a deep equality, it
 * is fast on large arrays and says where they differ.
 */
export function firstBitDifference(a: Float32Array | Float64Array, b: Float32Array | Float64Array): number {
  if (a.BYTES_PER_ELEMENT !== b.BYTES_PER_ELEMENT) return 0;
  const x = bits(a), y = bits(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return Math.floor(i / a.BYTES_PER_ELEMENT);
  return x.length === y.length ? -1 : n / a.BYTES_PER_ELEMENT;
}

/** Every error that `parse` throws on `inputs` must be a one-line ReclinkError; returns how many parsed. */
export function expectOnlyReclinkErrors(inputs: Iterable<Uint8Array>, parse: (bytes: Uint8Array) => unknown): number {
  let parsed = 0;
  for (const bytes of inputs) {
    try {
      parse(bytes);
      parsed++;
    } catch (error) {
      if (!(error instanceof ReclinkError)) throw new Error(`not a ReclinkError on ${bytes.length} bytes: ${String(error)}`);
      if (error.message.includes('\n')) throw new Error(`a message of several lines: ${error.message}`);
    }
  }
  return parsed;
}
