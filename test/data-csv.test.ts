import { describe, expect, it } from 'vitest';
import { parseCsv, readCsv } from '../src/data/csv.js';
import { ReclinkError } from '../src/errors.js';
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
    expect(csvError('1,2,3\n1,2\n')).toBe('x.csv: line 2 has 2 columns, the model expects 3 (inputSize)');
    expect(csvError('a,b,c\n1,2,3\n1,2,3,4\n')).toBe('x.csv: line 3 has 4 columns, the model expects 3 (inputSize)');
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

  it('refuses a blank line between samples', () => {
    expect(csvError('1,2,3\n\n4,5,6\n')).toBe('x.csv: line 2 is blank, expected 3 comma-separated numbers');
  });
});
