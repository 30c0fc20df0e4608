import { ReclinkError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { copyBytes } from './copy-bytes.js';
import { describe } from './describe.js';

/**
 * Safetensors (https://github.com/huggingface/safetensors), the tensor file of PyTorch's
 * ecosystem:
 *
 *     8 bytes   N, little-endian u64: the header's length
 *     N bytes   JSON: {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {key: string}}
 *               (padded with spaces so that the data starts at a multiple of 8)
 *     the rest  the data: every tensor's little-endian bytes, offsets relative to here
 *
 * reclink writes F32 and reads F32 and F64. Reading trusts nothing: every field is
 * checked, the tensors must tile the data exactly, and a header is at most
 * `MAX_HEADER_BYTES` of at most `MAX_TENSORS` tensors of at most `MAX_DIMENSIONS`
 * dimensions, so hostile bytes give one ReclinkError line, never a crash, a hang or a huge
 * allocation. (Typed arrays are read in the host's byte order: little-endian on
 * every platform Node supports.)
 */

/** The element types reclink reads. */
export type SafetensorsDType = 'F32' | 'F64';

/** One tensor read from a safetensors file. */
export interface SafetensorsTensor {
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  readonly data: Float32Array | Float64Array;
}

/** A tensor to write: float32 values in row-major order. */
export interface TensorToWrite {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** The content of a safetensors file. */
export interface Safetensors {
  /** The tensors, in the header's order. */
  readonly tensors: Map<string, SafetensorsTensor>;
  /** The `__metadata__` strings ({} when the file has none). */
  readonly metadata: Record<string, string>;
}

/** The largest header reclink reads (the reference implementation's limit). */
export const MAX_HEADER_BYTES = 100_000_000;

/**
 * The most entries (tensors, and `__metadata__`) a header may list: a checkpoint has a few
 * dozen, a trace of 64 cycles about 200. Counted before the header is parsed.
 */
export const MAX_TENSORS = 10_000;

/** The most dimensions a tensor may have (reclink's have one or two). */
export const MAX_DIMENSIONS = 8;

const [QUOTE, BACKSLASH, COLON, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET] = [...'"\\:{}[]'].map((c) => c.charCodeAt(0));

const ITEM_SIZE: Record<SafetensorsDType, number> = { F32: 4, F64: 8 };
const METADATA_KEY = '__metadata__';

/** A matrix as a tensor to write, `rows × cols` unless `shape` says otherwise (a bias: `[cols]`). */
export function matrixTensor(m: Matrix, shape: readonly number[] = [m.rows, m.cols]): TensorToWrite {
  return { shape, data: m.data instanceof Float32Array ? m.data : Float32Array.from(m.data) };
}

/** The bytes of a safetensors file holding `tensors` (in map order) and `metadata`. */
export function serializeSafetensors(tensors: ReadonlyMap<string, TensorToWrite>, metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header[METADATA_KEY] = metadata;
  let offset = 0;
  for (const [name, tensor] of tensors) {
    if (name === METADATA_KEY || name === '') throw new ReclinkError(`invalid tensor name ${JSON.stringify(name)}, expected a non-empty name other than ${METADATA_KEY}`);
    if (elementCount(tensor.shape) !== tensor.data.length) {
      throw new ReclinkError(`tensor ${name} has ${tensor.data.length} values for shape [${tensor.shape.join(', ')}]`);
    }
    header[name] = { dtype: 'F32', shape: tensor.shape, data_offsets: [offset, offset + tensor.data.byteLength] };
    offset += tensor.data.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const bytes = new Uint8Array(8 + headerLength + offset);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(headerLength), true);
  bytes.set(json, 8);
  bytes.fill(0x20, 8 + json.length, 8 + headerLength); // spaces, as the reference pads
  let position = 8 + headerLength;
  for (const { data } of tensors.values()) {
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), position);
    position += data.byteLength;
  }
  return bytes;
}

interface Entry {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

/** Parses and checks the bytes of a safetensors file; `source` names it in errors. */
export function parseSafetensors(bytes: Uint8Array, source: string): Safetensors {
  const fail = (what: string): ReclinkError => new ReclinkError(`${source}: ${what}`);
  if (bytes.length < 8) {
    throw fail(`truncated file of ${bytes.length} bytes, a safetensors file starts with an 8-byte header length`);
  }
  const declared = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (declared > BigInt(MAX_HEADER_BYTES)) throw fail(`header length ${declared} is above the limit of ${MAX_HEADER_BYTES} bytes (not a safetensors file?)`);
  const headerLength = Number(declared);
  if (8 + headerLength > bytes.length) {
    throw fail(`header length ${headerLength} is larger than the ${bytes.length - 8} bytes that follow it (truncated file?)`);
  }
  const header = parseHeader(bytes.subarray(8, 8 + headerLength), fail);
  const data = bytes.subarray(8 + headerLength);
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === METADATA_KEY) metadata = parseMetadata(value, fail);
    else entries.push(parseEntry(name, value, data.length, fail));
  }
  checkLayout(entries, data.length, fail);
  const tensors = new Map<string, SafetensorsTensor>();
  for (const { name, dtype, shape, begin, end } of entries) {
    const buffer = copyBytes(data, begin, end);
    tensors.set(name, { dtype, shape, data: dtype === 'F32' ? new Float32Array(buffer) : new Float64Array(buffer) });
  }
  return { tensors, metadata };
}

function parseHeader(bytes: Uint8Array, fail: (what: string) => ReclinkError): Record<string, unknown> {
  if (countEntries(bytes, MAX_TENSORS) > MAX_TENSORS) throw fail(`header has over ${MAX_TENSORS} entries, expected at most ${MAX_TENSORS} tensors and __metadata__ (reclink's limit)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw fail('header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch {
    throw fail('header is not valid JSON');
  }
  if (!isRecord(header)) throw fail(`header is ${describe(header)}, expected a JSON object`);
  return header;
}

/**
 * The number of entries of the header's top-level object (its colons at depth 1), counted on
 * the bytes without parsing them, up to `limit` + 1. In UTF-8 no byte of a multi-byte
 * character is ASCII, so the structure's bytes are found as they are.
 */
function countEntries(bytes: Uint8Array, limit: number): number {
  let depth = 0;
  let entries = 0;
  let inString = false;
  for (let i = 0; i < bytes.length && entries <= limit; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === COLON && depth === 1) entries++;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
    else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
  }
  return entries;
}

function parseMetadata(value: unknown, fail: (what: string) => ReclinkError): Record<string, string> {
  if (!isRecord(value)) throw fail(`${METADATA_KEY} is ${describe(value)}, expected an object of strings`);
  const entries = Object.entries(value).map(([key, text]) => {
    if (typeof text !== 'string') throw fail(`${METADATA_KEY} value ${describe(key)} is ${describe(text)}, expected a string`);
    return [key, text] as const;
  });
  return Object.fromEntries(entries);
}

function parseEntry(name: string, value: unknown, dataLength: number, fail: (what: string) => ReclinkError): Entry {
  const what = `tensor ${describe(name)}`;
  if (!isRecord(value)) throw fail(`${what} is ${describe(value)}, expected an object with dtype, shape and data_offsets`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (dtype !== 'F32' && dtype !== 'F64') throw fail(`${what} has dtype ${describe(dtype)}, expected F32 or F64`);
  if (!isIntegerList(shape)) throw fail(`${what} has shape ${describe(shape)}, expected a list of non-negative integers`);
  if (shape.length > MAX_DIMENSIONS) throw fail(`${what} has ${shape.length} dimensions, expected at most ${MAX_DIMENSIONS} (reclink's limit)`);
  if (!isIntegerList(offsets) || offsets.length !== 2 || offsets[0] > offsets[1]) {
    throw fail(`${what} has data_offsets ${describe(offsets)}, expected [begin, end] with 0 <= begin <= end`);
  }
  const [begin, end] = offsets;
  if (end > dataLength) throw fail(`${what} has data_offsets [${begin}, ${end}], out of bounds of the ${dataLength} data bytes`);
  const bytes = elementCount(shape) * ITEM_SIZE[dtype];
  if (bytes !== end - begin) {
    const needs = Number.isFinite(bytes) ? `${bytes} bytes` : 'over 2^53 bytes';
    throw fail(`${what} has shape [${shape.join(', ')}] of ${dtype} (${needs}) but data_offsets [${begin}, ${end}] (${end - begin} bytes)`);
  }
  return { name, dtype, shape, begin, end };
}

/** The tensors must tile the data: no gap, no overlap, nothing left over. */
function checkLayout(entries: Entry[], dataLength: number, fail: (what: string) => ReclinkError): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous = '';
  for (const entry of sorted) {
    if (entry.begin < covered) throw fail(`tensors ${describe(previous)} and ${describe(entry.name)} overlap in the data`);
    if (entry.begin > covered) throw fail(`data bytes ${covered} to ${entry.begin} belong to no tensor`);
    covered = entry.end;
    previous = entry.name;
  }
  if (covered !== dataLength) throw fail(`data bytes ${covered} to ${dataLength} belong to no tensor`);
}

/** The number of elements of a shape; Infinity (never equal to a byte count) past 2^53. */
function elementCount(shape: readonly number[]): number {
  if (shape.includes(0)) return 0;
  let count = 1;
  for (const size of shape) count *= size;
  return Number.isSafeInteger(count) ? count : Infinity;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIntegerList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => Number.isSafeInteger(v) && v >= 0);
}
