import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_DIMENSIONS, MAX_HEADER_BYTES, MAX_TENSORS, parseSafetensors, readSafetensors, serializeSafetensors, writeSafetensors, type TensorToWrite } from '../src/io/safetensors.js';
import { Random } from '../src/random.js';
import { bits, expectOnlyReclinkErrors, firstBitDifference, reclinkError, temporaryFolder } from './io-helpers.js';

const dir = temporaryFolder('safetensors');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SPECIAL = [0, -0, 1, -1.5, NaN, Infinity, -Infinity, 1e-45, 3.4028234663852886e38];

function sample(): Map<string, TensorToWrite> {
  return new Map<string, TensorToWrite>([
    ['weight', { shape: [3, 3], data: Float32Array.from(SPECIAL) }],
    ['bias', { shape: [2], data: Float32Array.from([0.1, -0.2]) }],
    ['empty', { shape: [0, 4], data: new Float32Array(0) }],
    ['scalar', { shape: [], data: Float32Array.from([7]) }],
  ]);
}

/** A JSON list nested 10,000 deep, [[[…]]] (deeper than JSON.stringify can write). */
const DEEP = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;

/** A safetensors file whose header is the JSON `text`. */
const fromText = (text: string): Uint8Array => withHeader(new TextEncoder().encode(text), new Uint8Array(0));

/** A safetensors file from a header (any JSON value) and data bytes, padded as the reference pads. */
function build(header: unknown, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  return withHeader(new TextEncoder().encode(JSON.stringify(header)), data);
}

function withHeader(json: Uint8Array, data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(8 + json.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  bytes.set(data, 8 + json.length);
  return bytes;
}

const parse = (bytes: Uint8Array): unknown => parseSafetensors(bytes, 'x.safetensors');

describe('safetensors round trip', () => {
  it('gives back every tensor bit for bit, with its shape and the metadata', () => {
    const path = join(dir, 'a.safetensors');
    writeSafetensors(path, sample(), { note: 'hello', 'unicode ü': 'ok' });
    const file = readSafetensors(path);
    expect(file.metadata).toEqual({ note: 'hello', 'unicode ü': 'ok' });
    expect([...file.tensors.keys()]).toEqual(['weight', 'bias', 'empty', 'scalar']);
    for (const [name, tensor] of sample()) {
      const read = file.tensors.get(name);
      expect(read?.dtype).toBe('F32');
      expect(read?.shape).toEqual(tensor.shape);
      expect(firstBitDifference(read?.data ?? new Float64Array(1), tensor.data)).toBe(-1);
    }
  });

  it('pads the header with spaces to a multiple of 8 bytes and writes no metadata when there is none', () => {
    const bytes = serializeSafetensors(new Map([['a', { shape: [1], data: Float32Array.from([1]) }]]));
    const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(length % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + length));
    expect(header.trimEnd()).toBe('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}');
    expect(header.slice(header.trimEnd().length)).toMatch(/^ *$/);
    expect(bytes.length).toBe(8 + length + 4);
  });

  it('reads F64 tensors, unpadded headers and tensors stored out of order', () => {
    const f64 = Float64Array.from([Math.PI, -1e300]);
    const f32 = Float32Array.from([2.5]);
    const data = new Uint8Array(20);
    data.set(bits(f32), 0);
    data.set(bits(f64), 4); // at an offset that is not a multiple of 8
    const header = { b: { dtype: 'F64', shape: [2, 1], data_offsets: [4, 20] }, a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } };
    const file = parseSafetensors(build(header, data), 'x');
    expect(file.tensors.get('b')?.data).toEqual(f64);
    expect(file.tensors.get('a')?.data).toEqual(f32);
    expect(file.metadata).toEqual({});
  });
});

describe('safetensors: malformed files', () => {
  const good = serializeSafetensors(sample(), { note: 'x' });
  const f32 = (count: number): Uint8Array => new Uint8Array(4 * count);
  const tensor = (fields: Record<string, unknown>): Record<string, unknown> => ({ dtype: 'F32', shape: [2], data_offsets: [0, 8], ...fields });

  it('refuses the file truncated at every byte position, and extended by one byte', () => {
    for (let n = 0; n < good.length; n++) expect(() => parse(good.subarray(0, n)), `${n} bytes`).toThrow(/^x\.safetensors: /);
    const longer = new Uint8Array(good.length + 1);
    longer.set(good);
    expect(reclinkError(() => parse(longer)).message).toMatch(/data bytes \d+ to \d+ belong to no tensor/);
  });

  const cases: [string, Uint8Array, string][] = [
    ['a file shorter than the length', new Uint8Array(5), 'truncated file of 5 bytes, a safetensors file starts with an 8-byte header length'],
    ['a header length above the cap', withHeader(new Uint8Array(0), new Uint8Array(0)).fill(0xff, 0, 8), `header length 18446744073709551615 is above the limit of ${MAX_HEADER_BYTES} bytes (not a safetensors file?)`],
    ['a header longer than the file', build({}).fill(0x50, 0, 1), 'header length 80 is larger than the 2 bytes that follow it (truncated file?)'],
    ['a header that is not UTF-8', withHeader(new Uint8Array([0x7b, 0xff, 0x7d]), new Uint8Array(0)), 'header is not valid UTF-8'],
    ['a header that is not JSON', withHeader(new TextEncoder().encode('{"a": '), new Uint8Array(0)), 'header is not valid JSON'],
    ['a header that is an array', build([1, 2]), 'header is [1,2], expected a JSON object'],
    ['a header that is null', build(null), 'header is null, expected a JSON object'],
    ['an entry that is not an object', build({ w: 'F32' }, f32(2)), 'tensor "w" is "F32", expected an object with dtype, shape and data_offsets'],
    ['a dtype reclink does not read', build({ w: tensor({ dtype: 'F16', data_offsets: [0, 4] }) }, f32(1)), 'tensor "w" has dtype "F16", expected F32 or F64'],
    ['an unknown dtype', build({ w: tensor({ dtype: 'X9' }) }, f32(2)), 'tensor "w" has dtype "X9", expected F32 or F64'],
    ['no dtype', build({ w: { shape: [2], data_offsets: [0, 8] } }, f32(2)), 'tensor "w" has dtype missing, expected F32 or F64'],
    ['a negative dimension', build({ w: tensor({ shape: [-2] }) }, f32(2)), 'tensor "w" has shape [-2], expected a list of non-negative integers'],
    ['a fractional dimension', build({ w: tensor({ shape: [1.5] }) }, f32(2)), 'tensor "w" has shape [1.5], expected a list of non-negative integers'],
    ['a shape that is not a list', build({ w: tensor({ shape: '2' }) }, f32(2)), 'tensor "w" has shape "2", expected a list of non-negative integers'],
    ['offsets of the wrong length', build({ w: tensor({ data_offsets: [0, 4, 8] }) }, f32(2)), 'tensor "w" has data_offsets [0,4,8], expected [begin, end] with 0 <= begin <= end'],
    ['offsets that go backwards', build({ w: tensor({ data_offsets: [8, 0] }) }, f32(2)), 'tensor "w" has data_offsets [8,0], expected [begin, end] with 0 <= begin <= end'],
    ['offsets past the data', build({ w: tensor({ data_offsets: [4, 12] }) }, f32(2)), 'tensor "w" has data_offsets [4, 12], out of bounds of the 8 data bytes'],
    ['a shape that does not fit its offsets', build({ w: tensor({ shape: [3] }) }, f32(2)), 'tensor "w" has shape [3] of F32 (12 bytes) but data_offsets [0, 8] (8 bytes)'],
    ['a shape too large to count', build({ w: tensor({ shape: [2 ** 40, 2 ** 40, 2 ** 40] }) }, f32(2)), 'tensor "w" has shape [1099511627776, 1099511627776, 1099511627776] of F32 (over 2^53 bytes) but data_offsets [0, 8] (8 bytes)'],
    ['overlapping tensors', build({ a: tensor({}), b: tensor({ shape: [1], data_offsets: [4, 8] }) }, f32(2)), 'tensors "a" and "b" overlap in the data'],
    ['a gap between tensors', build({ a: tensor({ shape: [1], data_offsets: [0, 4] }), b: tensor({ shape: [1], data_offsets: [8, 12] }) }, f32(3)), 'data bytes 4 to 8 belong to no tensor'],
    ['data that no tensor covers', build({ a: tensor({}) }, f32(3)), 'data bytes 8 to 12 belong to no tensor'],
    ['metadata that is not an object', build({ __metadata__: ['a'] }), '__metadata__ is ["a"], expected an object of strings'],
    ['a metadata value that is not a string', build({ __metadata__: { epoch: 3 } }), '__metadata__ value "epoch" is 3, expected a string'],
    ['a hostile name', build({ ['x\n'.repeat(100)]: 5 }), `tensor "${'x\\n'.repeat(26)}x... is 5, expected an object with dtype, shape and data_offsets`],
    ['a tensor of 9 dimensions', build({ w: tensor({ shape: [1, 1, 1, 1, 1, 1, 1, 1, 2] }) }, f32(2)), `tensor "w" has 9 dimensions, expected at most ${MAX_DIMENSIONS} (reclink's limit)`],
    ['a header nested 10,000 deep', fromText(DEEP), `header is ${'['.repeat(80)}..., expected a JSON object`],
    ['a tensor nested 10,000 deep', fromText(`{"w": ${DEEP}}`), `tensor "w" is ${'['.repeat(80)}..., expected an object with dtype, shape and data_offsets`],
    ['metadata nested 10,000 deep', fromText(`{"__metadata__": {"a": ${DEEP}}}`), `__metadata__ value "a" is ${'['.repeat(80)}..., expected a string`],
  ];
  for (const [what, bytes, message] of cases) {
    it(`refuses ${what} with one line`, () => {
      const error = reclinkError(() => parse(bytes));
      expect(error.message).toBe(`x.safetensors: ${message}`);
      expect(error.exitCode).toBe(1);
    });
  }

  it('refuses a header of more tensors than the limit before parsing it', () => {
    const entries = Array.from({ length: MAX_TENSORS + 1 }, (_, i) => `"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`);
    const bytes = withHeader(new TextEncoder().encode(`{${entries.join(',')}}`), new Uint8Array(0));
    expect(reclinkError(() => parse(bytes)).message).toBe(
      `x.safetensors: header has over ${MAX_TENSORS} entries, expected at most ${MAX_TENSORS} tensors and __metadata__ (reclink's limit)`,
    );
    // Colons inside names (after an escaped quote too) are not counted.
    const name = `w"${':'.repeat(MAX_TENSORS + 1)}`;
    const tricky = { __metadata__: { [name]: name }, [name]: tensor({ shape: [1], data_offsets: [0, 4] }) };
    expect([...parseSafetensors(build(tricky, f32(1)), 'x').tensors.keys()]).toEqual([name]);
    const atLimit = Array.from({ length: MAX_TENSORS }, (_, i) => [`t${i}`, tensor({ shape: [0], data_offsets: [0, 0] })]);
    expect(parseSafetensors(build(Object.fromEntries(atLimit)), 'x').tensors.size).toBe(MAX_TENSORS);
  });

  it('quotes at most 80 characters of a value, however long', () => {
    const huge = 'y'.repeat(1_000_000);
    for (const header of [{ [huge]: 1 }, { w: tensor({ dtype: huge }) }, { w: tensor({ shape: Array(300_000).fill(7) }) }]) {
      const message = reclinkError(() => parse(build(header, f32(2)))).message;
      expect(message.length, message).toBeLessThan(200);
    }
  });

  it('refuses random bytes, and random corruptions of a good file, with one-line errors only', () => {
    const random = Random.fromSeed(7);
    const noise = Array.from({ length: 2000 }, () => Uint8Array.from({ length: random.int(300) }, () => random.int(256)));
    expect(expectOnlyReclinkErrors(noise, parse)).toBe(0);
    const corrupted = Array.from({ length: 3000 }, () => {
      const bytes = good.slice();
      for (let k = 1 + random.int(3); k > 0; k--) bytes[random.int(bytes.length)] = random.int(256);
      return bytes;
    });
    expectOnlyReclinkErrors(corrupted, parse);
  });

  it('names a missing file', () => {
    const path = join(dir, 'none.safetensors');
    expect(reclinkError(() => readSafetensors(path)).message).toBe(`cannot read ${path}: no such file or directory`);
  });
});
