import { ReclinkError } from '../errors.js';
import { dtypeOf, type Matrix } from '../linalg/matrix.js';
import { copyBytes } from './copy-bytes.js';
import { describe } from './describe.js';
import { parsePythonDict, type PythonValue } from './python-literal.js';

/**
 * NPY, NumPy's array file (numpy.lib.format):
 *
 *     6 bytes   magic "\x93NUMPY"
 *     2 bytes   version major, minor: 1.0, 2.0 or 3.0
 *     2 bytes   header length, little-endian u16 (version 1.0), or 4 bytes u32 (2.0, 3.0)
 *     header    a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (N, D), }
 *               (ASCII; UTF-8 in 3.0), padded with spaces and a newline to a multiple of 64
 *     the rest  the values, row-major
 *
 * reclink reads 2-D arrays in C order of `<f4`, `<f8` or `|u1` (also written `<u1`: pixels,
 * which `npyMatrix` divides by 255) and writes version 1.0. Every field is checked; a header
 * is at most numpy's own limit of 10,000 bytes.
 */

/** The element types reclink reads from NPY files. */
export type NpyDType = 'float32' | 'float64' | 'uint8';

/** A 2-D array read from an NPY file. */
export interface NpyArray {
  readonly shape: [rows: number, cols: number];
  readonly dtype: NpyDType;
  /** Row-major: element (i, j) is `data[i * cols + j]`. */
  readonly data: Float32Array | Float64Array | Uint8Array;
}

/** The largest header read (numpy's `max_header_size`). */
export const MAX_NPY_HEADER_BYTES = 10_000;

const MAGIC = [0x93, ...new TextEncoder().encode('NUMPY')];
const DESCRS: ReadonlyMap<string, NpyDType> = new Map([['<f4', 'float32'], ['<f8', 'float64'], ['|u1', 'uint8'], ['<u1', 'uint8']]);
const ITEM_SIZE: Record<NpyDType, number> = { float32: 4, float64: 8, uint8: 1 };
const ALIGNMENT = 64;

/**
 * An NPY array as a float32 matrix. uint8 values are pixels, divided by 255 into [0, 1] as
 * IDX and PNG images are; every value must be finite in float32 (a NaN, an infinity or a
 * float64 beyond float32's range is refused); `source` names the file in errors.
 */
export function npyMatrix({ shape: [rows, cols], data }: NpyArray, source: string): Matrix {
  const values = data instanceof Uint8Array ? Float32Array.from(data, (v) => v / 255) : data instanceof Float32Array ? data : Float32Array.from(data);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    const at = `element (${Math.floor(bad / cols)}, ${bad % cols})`;
    throw new ReclinkError(`${source}: ${at} is ${data[bad]}, expected a finite float32 number`);
  }
  return { rows, cols, data: values };
}

/** The bytes of an NPY 1.0 file holding `matrix`. */
export function serializeNpy(matrix: Matrix): Uint8Array {
  if (matrix.data.length !== matrix.rows * matrix.cols) throw new ReclinkError(`a ${matrix.rows}x${matrix.cols} matrix holds ${matrix.data.length} values, expected ${matrix.rows * matrix.cols}`);
  const descr = dtypeOf(matrix) === 'float64' ? '<f8' : '<f4';
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${matrix.rows}, ${matrix.cols}), }`;
  const prefixLength = MAGIC.length + 4;
  const headerLength = Math.ceil((prefixLength + dict.length + 1) / ALIGNMENT) * ALIGNMENT - prefixLength;
  const header = new TextEncoder().encode(dict.padEnd(headerLength - 1, ' ') + '\n');
  const { data } = matrix;
  const bytes = new Uint8Array(prefixLength + headerLength + data.byteLength);
  bytes.set(MAGIC);
  bytes.set([1, 0], MAGIC.length);
  new DataView(bytes.buffer).setUint16(MAGIC.length + 2, headerLength, true);
  bytes.set(header, prefixLength);
  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), prefixLength + headerLength);
  return bytes;
}

/** Parses and checks the bytes of an NPY file; `source` names it in errors. */
export function parseNpy(bytes: Uint8Array, source: string): NpyArray {
  const fail = (what: string): ReclinkError => new ReclinkError(`${source}: ${what}`);
  if (MAGIC.some((b, i) => i < bytes.length && bytes[i] !== b)) throw fail('not an NPY file (it does not start with "\\x93NUMPY")');
  if (bytes.length < 8) throw fail(`truncated file of ${bytes.length} bytes, an NPY file starts with 8 bytes of magic and version`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6], minor = bytes[7];
  if (minor !== 0 || major < 1 || major > 3) throw fail(`NPY version ${major}.${minor} is not supported, expected 1.0, 2.0 or 3.0`);
  const lengthBytes = major === 1 ? 2 : 4;
  const headerStart = 8 + lengthBytes;
  if (bytes.length < headerStart) throw fail(`truncated header: the file has ${bytes.length} bytes`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_NPY_HEADER_BYTES) throw fail(`header length ${headerLength} is above the limit of ${MAX_NPY_HEADER_BYTES} bytes`);
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw fail(`truncated header: ${headerLength} bytes declared, ${bytes.length - headerStart} present`);
  const headerBytes = bytes.subarray(headerStart, dataStart);
  const text = major === 3 ? decodeUtf8(headerBytes) : String.fromCharCode(...headerBytes);
  const dict = text === null ? null : parsePythonDict(text);
  if (dict === null) throw fail('header is not a Python dict literal');
  const keys = [...dict.keys()].sort().join(', ');
  if (keys !== 'descr, fortran_order, shape') throw fail(`header has keys ${describe(keys)}, expected descr, fortran_order and shape`);
  const dtype = parseDescr(dict.get('descr'), fail);
  const fortranOrder = dict.get('fortran_order');
  if (fortranOrder === true) throw fail('fortran_order is True, expected a C-order (row-major) array');
  if (fortranOrder !== false) throw fail(`fortran_order is ${describe(fortranOrder)}, expected False`);
  const shape = parseShape(dict.get('shape'), fail);
  const expected = shape[0] * shape[1] * ITEM_SIZE[dtype];
  const present = bytes.length - dataStart;
  if (present !== expected) {
    throw fail(`shape ${formatShape(shape)} of ${dtype} needs ${expected} data bytes, the file has ${present}`);
  }
  const buffer = copyBytes(bytes, dataStart, bytes.length);
  const data = dtype === 'float32' ? new Float32Array(buffer) : dtype === 'float64' ? new Float64Array(buffer) : new Uint8Array(buffer);
  return { shape, dtype, data };
}

function parseDescr(descr: PythonValue | undefined, fail: (what: string) => ReclinkError): NpyDType {
  const dtype = typeof descr === 'string' ? DESCRS.get(descr) : undefined;
  if (dtype === undefined) throw fail(`dtype ${describe(descr)} is not supported, expected '<f4', '<f8' or '|u1'`);
  return dtype;
}

function parseShape(shape: PythonValue | undefined, fail: (what: string) => ReclinkError): [number, number] {
  if (!Array.isArray(shape) || !shape.every(isDimension)) throw fail(`shape ${describe(shape)} is not a tuple of non-negative integers`);
  if (shape.length !== 2) throw fail(`expected a 2-D array, got shape ${formatShape(shape)}`);
  return [shape[0], shape[1]];
}

function isDimension(n: PythonValue): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** A shape as Python prints a tuple: (3, 4), (3,), (). */
function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
