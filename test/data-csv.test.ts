import { describe, expect, it } from 'vitest';
import { parseCsv, readCsv } from '../src/data/csv.js';
import { ReclinkError } from '../src/errors.js';
import { Random } from '../src/random.js';
import { temporaryFolder } from './data-files.js';

const folder = temporaryFolder();

/** The error `parseCsv` throws for `text` with 3 inputs, checked to be a one-line ReclinkError. */
function csvError(text: string): string {
  try {
    parseCsv(text, 3, 'x.csv');
  } catch (error) {
    expect(error).toBeInstanceOf(ReclinkError);
    const message = (error as ReclinkError).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected an error');
}

describe('CSV loader', () => {
  it('reads a sample a row into float32', () => {
    const data = readCsv(folder.write('plain.csv', '0,0.5,1\n-2.5e-1, 3 ,+4\n'), 3);
    expect(data.x.data).toBeInstanceOf(Float32Array);
    expect([data.x.rows, data.x.cols]).toEqual([2, 3]);
    expect(Array.from(data.x.data)).toEqual([0, 0.5, 1, -0.25, 3, 4]);
    expect(data.source).toContain('plain.csv');
    expect(data.labels).toBeUndefined();
  });

  it('skips a header, accepts CRLF, a BOM and blank trailing lines', () => {
    const data = parseCsv('\uFEFFa,b,c\r\n1,2,3\r\n.5,6.,7e0\r\n\r\n  \n', 3, 'h.csv');
    expect(Array.from(data.x.data)).toEqual([1, 2, 3, 0.5, 6, 7]);
  });

  it('treats a first row of numbers as data', () => {
    expect(parseCsv('1,2,3', 3, 'n.csv').x.rows).toBe(1);
  });

  it('refuses empty files and a header alone', () => {
    expect(csvError('')).toBe('x.csv: empty file, expected a sample a row of 3 comma-separated numbers');
    expect(csvError('\n\n')).toMatch(/empty file/);
    expect(csvError('a,b,c\n')).toBe('x.csv: only a header, expected samples below it');
  });

  it('names the line of a wrong column count (ragged rows)', () => {
    expect(csvError('1,2,3\n1,2\n')).toBe('x.csv: line 2 has 2 columns, the model expects 3 values');
    expect(csvError('a,b,c\n1,2,3\n1,2,3,4\n')).toBe('x.csv: line 3 has 4 columns, the model expects 3 values');
  });

  it('names the line and column of NaN, infinities, float32 overflow and non-numbers', () => {
    expect(csvError('1,2,3\n1,NaN,3')).toBe('x.csv: line 2, column 2 is "NaN", expected a finite number');
    expect(csvError('1,2,-inf')).toBe('x.csv: line 1, column 3 is "-inf", expected a finite number');
    expect(csvError('1,2,Infinity')).toMatch(/line 1, column 3 is "Infinity", expected a finite number/);
    expect(csvError('1,2,1e999')).toBe('x.csv: line 1, column 3 is Infinity, expected a finite number');
    expect(csvError('1,2,1e39')).toBe('x.csv: line 1, column 3 is 1e+39, outside the float32 range, expected a finite number');
    expect(csvError('1,2,3\n1,x,3')).toBe('x.csv: line 2, column 2 is "x", expected a number');
    expect(csvError('1,2,3\n1,,3')).toBe('x.csv: line 2, column 2 is "", expected a number');
    expect(csvError('1,2,3\n0x10,2,3')).toMatch(/line 2, column 1 is "0x10", expected a number/);
  });

  it('takes a first row as a header only when it holds names only', () => {
    for (const header of ['a,b,c', 'pixel_0,_1,Ö', '"x, 1","y\ny",z']) {
      expect(Array.from(parseCsv(`${header}\n1,2,3\n`, 3, 'h.csv').x.data), header).toEqual([1, 2, 3]);
    }
    expect(csvError('1e,2,3\n4,5,6')).toBe('x.csv: line 1, column 1 is "1e", expected a number');
    expect(csvError('1,,3\n4,5,6')).toBe('x.csv: line 1, column 2 is "", expected a number');
    expect(csvError('null,null,null\n4,5,6')).toBe('x.csv: line 1, column 1 is "null", expected a number');
    const neither = 'x.csv: line 1 is neither a header nor a sample: column';
    expect(csvError('a,null,c\n4,5,6')).toBe(`${neither} 2 is "null", not a name, and column 1 is "a", not a number`);
    expect(csvError('x,NaN,z\n4,5,6')).toBe(`${neither} 2 is "NaN", not a name, and column 1 is "x", not a number`);
    expect(csvError('1,b,\n4,5,6')).toBe(`${neither} 1 is "1", not a name, and column 2 is "b", not a number`);
    expect(csvError('NA,b,c\n4,5,6')).toBe(`${neither} 1 is "NA", not a name, and column 2 is "b", not a number`);
    expect(csvError('a,b,c\n1e,2,3')).toBe('x.csv: line 2, column 1 is "1e", expected a number');
  });

  it('reads quoted fields and counts lines across quoted line breaks', () => {
    expect(Array.from(parseCsv('"1", "2" ,"3"\r\n', 3, 'q.csv').x.data)).toEqual([1, 2, 3]);
    expect(csvError('"a\nb",c,d\n1,2,3\n4,x,6')).toBe('x.csv: line 4, column 2 is "x", expected a number');
    expect(csvError('1,2,3\n4,"5,6\n7,8,9\n')).toBe('x.csv: line 2 opens a quoted field that is never closed');
    expect(csvError('1,2,3\n4,5"5,6')).toBe('x.csv: line 2, column 2 has a quote inside a field, expected quotes only around a whole field');
    expect(csvError('1,"2"x,3')).toBe('x.csv: line 1, column 2 has characters after a closing quote, expected a comma or the end of the line');
  });

  it('reads a field of 256 KB in linear time: a number, or a short error naming its line and column', () => {
    const digits = '1'.repeat(256 * 1024);
    expect(parseCsv(`0.${digits},1,2\n`, 3, 'long.csv').x.data[0]).toBeCloseTo(0.111111, 6);
    expect(csvError(`1,2,3\n${digits}x,1,2\n`)).toBe(`x.csv: line 2, column 1 is "${'1'.repeat(79)}..., expected a number`);
    expect(csvError(`${digits}x,1,2\n1,2,3\n`)).toBe(`x.csv: line 1, column 1 is "${'1'.repeat(79)}..., expected a number`);
  });

  it('gives samples or a one-line ReclinkError for random corruptions of a valid file, never a crash', () => {
    const random = Random.fromSeed(5);
    const valid = 'a,b,c\n0,0.5,1\n-2.5e-1,"3",+4\n7,8,9\n';
    const pieces = ['"', ',', '\n', '\r', ' ', '', '1', 'e', '.', '-', 'x', '\uFEFF', 'NaN', '1e999', '""'];
    let parsed = 0;
    for (let trial = 0; trial < 3000; trial++) {
      let text = valid;
      for (let k = 1 + random.int(3); k > 0; k--) {
        const at = random.int(text.length + 1);
        text = text.slice(0, at) + pieces[random.int(pieces.length)] + text.slice(at + random.int(2));
      }
      try {
        const { x } = parseCsv(text, 3, 'fuzz.csv');
        expect(x.data.every(Number.isFinite), text).toBe(true);
        parsed++;
      } catch (error) {
        expect(error, text).toBeInstanceOf(ReclinkError);
        expect((error as ReclinkError).message, text).toMatch(/^fuzz\.csv: [^\n]+$/);
      }
    }
    expect(parsed).toBeGreaterThan(100);
  });

  it('refuses a blank line between samples', () => {
    expect(csvError('1,2,3\n\n4,5,6\n')).toBe('x.csv: line 2 is blank, expected 3 comma-separated numbers');
  });
});
