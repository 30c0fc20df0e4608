import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromValues } from '../src/linalg/matrix.js';
import { MAX_NPY_HEADER_BYTES, parseNpy, readNpy, readNpyMatrix, serializeNpy, writeNpy } from '../src/io/npy.js';
import { parsePythonDict } from '../src/io/python-literal.js';
import { Random } from '../src/random.js';
import { bits, expectOnlyReclinkErrors, firstBitDifference, reclinkError, temporaryFolder } from './io-helpers.js';

const dir = temporaryFolder('npy');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An NPY file of any version with `dict` as its header text (padded to 64 like numpy) and `data`. */
function npy(dict: string, data: Uint8Array = new Uint8Array(0), major = 1): Uint8Array {
  const lengthBytes = major === 1 ? 2 : 4;
  const prefix = 8 + lengthBytes;
  const header = new TextEncoder().encode(dict.padEnd(Math.ceil((prefix + dict.length + 1) / 64) * 64 - prefix - 1) + '\n');
  const bytes = new Uint8Array(prefix + header.length + data.length);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(bytes.buffer);
  if (major === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  bytes.set(header, prefix);
  bytes.set(data, prefix + header.length);
  return bytes;
}

const dict = (descr: string, shape: string, fortran = 'False'): string => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
const parse = (bytes: Uint8Array): unknown => parseNpy(bytes, 'x.npy');

describe('NPY round trip', () => {
  it('writes what numpy.save writes, byte for byte', () => {
    const bytes = serializeNpy(fromValues(2, 3, [0, 1, 2, 3, 4, 5]));
    // numpy.save('a.npy', np.arange(6, dtype='<f4').reshape(2, 3)), numpy 2.4
    const header = "\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + ' '.repeat(58) + '\n';
    expect(bytes.length).toBe(152);
    expect(Buffer.from(bytes.subarray(0, 128)).toString('latin1')).toBe(header);
    expect(new Float32Array(bytes.slice(128).buffer)).toEqual(Float32Array.from([0, 1, 2, 3, 4, 5]));
  });

  it('gives back float32 and float64 matrices bit for bit', () => {
    const values = [0, -0, NaN, Infinity, 1e-45, Math.PI, -1e300, 5, 6, 7, 8, 9];
    for (const dtype of ['float32', 'float64'] as const) {
      const m = fromValues(3, 4, values, dtype);
      const path = join(dir, `${dtype}.npy`);
      writeNpy(path, m);
      const read = readNpy(path);
      expect(read.shape).toEqual([3, 4]);
      expect(read.dtype).toBe(dtype);
      expect(read.data instanceof Uint8Array ? 0 : firstBitDifference(read.data, m.data)).toBe(-1);
    }
  });

  it('reads versions 2.0 and 3.0, uint8 as |u1 and <u1, and empty arrays', () => {
    const f8 = Float64Array.from([1.5, -2.5]);
    const v2 = parseNpy(npy(dict('<f8', '(1, 2)'), bits(f8), 2), 'x');
    expect(v2).toEqual({ shape: [1, 2], dtype: 'float64', data: f8 });
    const v3 = parseNpy(npy(dict('|u1', '(2, 1)'), Uint8Array.from([0, 255]), 3), 'x');
    expect(v3).toEqual({ shape: [2, 1], dtype: 'uint8', data: Uint8Array.from([0, 255]) });
    expect(parseNpy(npy(dict('<u1', '(1, 1)'), Uint8Array.from([9])), 'x').dtype).toBe('uint8');
    expect(parseNpy(npy(dict('<f4', '(0, 225)')), 'x').shape).toEqual([0, 225]);
    expect(parseNpy(npy("{'shape':(1,1),'fortran_order':False,'descr':'<f4'}", new Uint8Array(4)), 'x').shape).toEqual([1, 1]);
  });

  it('reads a float32 matrix from uint8 pixels (divided by 255, as IDX and PNG) and from float64', () => {
    const u8 = join(dir, 'u8.npy');
    writeFileSync(u8, npy(dict('|u1', '(2, 2)'), Uint8Array.from([0, 1, 128, 255])));
    expect(readNpyMatrix(u8)).toEqual({ rows: 2, cols: 2, data: Float32Array.from([0, 1 / 255, 128 / 255, 1]) });
    const f8 = join(dir, 'f8.npy');
    writeNpy(f8, fromValues(1, 2, [0.1, 2], 'float64'));
    expect(readNpyMatrix(f8)).toEqual({ rows: 1, cols: 2, data: Float32Array.from([0.1, 2]) });
  });
});

describe('NPY: malformed files', () => {
  const good = serializeNpy(fromValues(2, 2, [1, 2, 3, 4]));

  it('refuses the file truncated at every byte position, and extended by one byte', () => {
    for (let n = 0; n < good.length; n++) expect(() => parse(good.subarray(0, n)), `${n} bytes`).toThrow(/^x\.npy: /);
    const longer = new Uint8Array(good.length + 1);
    longer.set(good);
    expect(reclinkError(() => parse(longer)).message).toBe('x.npy: shape (2, 2) of float32 needs 16 data bytes, the file has 17');
  });

  const f4 = (count: number): Uint8Array => new Uint8Array(4 * count);
  const withVersion = (major: number, minor: number): Uint8Array => {
    const bytes = good.slice();
    bytes.set([major, minor], 6);
    return bytes;
  };
  const longHeader = npy(dict('<f4', '(1, 1)').padEnd(MAX_NPY_HEADER_BYTES + 10), f4(1), 2);
  const cases: [string, Uint8Array, string][] = [
    ['a bad magic', new TextEncoder().encode('PK\x03\x04 not numpy at all'), 'not an NPY file (it does not start with "\\x93NUMPY")'],
    ['a file cut in the magic', good.subarray(0, 7), 'truncated file of 7 bytes, an NPY file starts with 8 bytes of magic and version'],
    ['version 4.0', withVersion(4, 0), 'NPY version 4.0 is not supported, expected 1.0, 2.0 or 3.0'],
    ['version 1.1', withVersion(1, 1), 'NPY version 1.1 is not supported, expected 1.0, 2.0 or 3.0'],
    ['a header longer than the file', good.subarray(0, 60), 'truncated header: 118 bytes declared, 50 present'],
    ['a header above the cap', longHeader, 'header length 10036 is above the limit of 10000 bytes'],
    ['a header that is not a dict', npy('[1, 2]'), 'header is not a Python dict literal'],
    ['an unclosed dict', npy("{'descr': '<f4'"), 'header is not a Python dict literal'],
    ['a bare word', npy("{'descr': f4, 'fortran_order': False, 'shape': (1, 1)}"), 'header is not a Python dict literal'],
    ['two values without a comma', npy("{'descr': '<f4' 'fortran_order': False}"), 'header is not a Python dict literal'],
    ['a deeply nested value', npy(`{'shape': ${'('.repeat(100)}${')'.repeat(100)}}`), 'header is not a Python dict literal'],
    ['a v3 header that is not UTF-8', npy('{}', new Uint8Array(0), 3).fill(0xff, 12, 13), 'header is not a Python dict literal'],
    ['a missing key', npy("{'descr': '<f4', 'shape': (1, 1)}", f4(1)), 'header has keys "descr, shape", expected descr, fortran_order and shape'],
    ['an extra key', npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), 'x': 1}", f4(1)), 'header has keys "descr, fortran_order, shape, x", expected descr, fortran_order and shape'],
    ['a big-endian dtype', npy(dict('>f4', '(1, 1)'), f4(1)), `dtype ">f4" is not supported, expected '<f4', '<f8' or '|u1'`],
    ['an integer dtype', npy(dict('<i8', '(1, 1)'), f4(2)), `dtype "<i8" is not supported, expected '<f4', '<f8' or '|u1'`],
    ['a structured dtype', npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1, 1)}", f4(1)), `dtype [["a","<f4"]] is not supported, expected '<f4', '<f8' or '|u1'`],
    ['Fortran order', npy(dict('<f4', '(2, 2)', 'True'), f4(4)), 'fortran_order is True, expected a C-order (row-major) array'],
    ['a fortran_order that is not a bool', npy(dict('<f4', '(2, 2)', "'no'"), f4(4)), 'fortran_order is "no", expected False'],
    ['a 3-D array', npy(dict('<f4', '(3, 4, 5)'), f4(60)), 'expected a 2-D array, got shape (3, 4, 5)'],
    ['a 1-D array', npy(dict('<f4', '(3,)'), f4(3)), 'expected a 2-D array, got shape (3,)'],
    ['a scalar', npy(dict('<f4', '()'), f4(1)), 'expected a 2-D array, got shape ()'],
    ['a shape that is a parenthesised number', npy(dict('<f4', '(3)'), f4(3)), 'shape 3 is not a tuple of non-negative integers'],
    ['a negative dimension', npy(dict('<f4', '(-1, 2)'), f4(2)), 'shape [-1,2] is not a tuple of non-negative integers'],
    ['a huge shape', npy(dict('<f4', '(100000000000, 100000000000)'), f4(2)), 'shape (100000000000, 100000000000) of float32 needs 4e+22 data bytes, the file has 8'],
    ['data shorter than the shape', npy(dict('<f8', '(2, 2)'), f4(4)), 'shape (2, 2) of float64 needs 32 data bytes, the file has 16'],
  ];
  for (const [what, bytes, message] of cases) {
    it(`refuses ${what} with one line`, () => {
      const error = reclinkError(() => parse(bytes));
      expect(error.message).toBe(`x.npy: ${message}`);
      expect(error.exitCode).toBe(1);
    });
  }

  it('refuses random bytes, and random corruptions of a good file, with one-line errors only', () => {
    const random = Random.fromSeed(11);
    const magic = good.subarray(0, 8);
    const noise = Array.from({ length: 2000 }, (_, i) => {
      const bytes = Uint8Array.from({ length: random.int(300) }, () => random.int(256));
      if (i % 2 === 0 && bytes.length >= 8) bytes.set(magic); // past the magic, into the header
      return bytes;
    });
    expectOnlyReclinkErrors(noise, parse);
    const corrupted = Array.from({ length: 3000 }, () => {
      const bytes = good.slice();
      for (let k = 1 + random.int(3); k > 0; k--) bytes[random.int(bytes.length)] = random.int(256);
      return bytes;
    });
    expectOnlyReclinkErrors(corrupted, parse);
  });

  it('refuses values that are not finite in float32 when reading a matrix', () => {
    const nan = join(dir, 'nan.npy');
    writeNpy(nan, fromValues(2, 2, [0, 1, 2, NaN]));
    expect(reclinkError(() => readNpyMatrix(nan)).message).toBe(`${nan}: element (1, 1) is NaN, expected a finite float32 number`);
    const big = join(dir, 'big.npy');
    writeNpy(big, fromValues(1, 3, [0, 1e300, 2], 'float64'));
    expect(reclinkError(() => readNpyMatrix(big)).message).toBe(`${big}: element (0, 1) is 1e+300, expected a finite float32 number`);
  });

  it('names a missing file', () => {
    const path = join(dir, 'none.npy');
    expect(reclinkError(() => readNpyMatrix(path)).message).toBe(`cannot read ${path}: no such file or directory`);
  });
});

describe('Python dict literals', () => {
  it('parses what NPY headers hold', () => {
    expect(parsePythonDict(`{"a": (1, (2,), [3]), 'b': True, 'c': None, 'd': {'e': -4},}`)).toEqual(
      new Map<string, unknown>([['a', [1, [2], [3]]], ['b', true], ['c', null], ['d', new Map([['e', -4]])]]),
    );
    expect(parsePythonDict('  {}  \n')).toEqual(new Map());
  });

  it('refuses anything else', () => {
    for (const text of ['', '{', '}', '{1: 2}', "{'a' 1}", "{'a': 1,,}", "{'a': 'b\\'}", "{'a': b'x'}", "{'a': 1} 2", '(1, 2)', "{'a': (1 2)}"]) {
      expect(parsePythonDict(text), text).toBeNull();
    }
  });
});
