import { describe, expect, it } from 'vitest';
import { ReclinkError } from '../src/errors.js';
import { fromValues } from '../src/linalg/matrix.js';
import { dividedDataset, rangeNote } from '../src/lab/data-range.js';
import type { LabDataset } from '../src/lab/session.js';

const dataset = (train: number[], validation: number[]): LabDataset => ({ name: 'x.csv', train: fromValues(1, train.length, train), validation: fromValues(1, validation.length, validation) });

describe('data outside [0, 1]', () => {
  it('says nothing for data within [0, 1]', () => {
    expect(rangeNote(dataset([0, 0.5], [1, 0.2]))).toBeNull();
  });

  it('offers to divide 0-255 pixels by 255, the validation samples counted too', () => {
    expect(rangeNote(dataset([0, 1], [255, 3]))).toEqual({
      message: 'x.csv holds values from 0 to 255, outside [0, 1], the range the network draws in: the loss starts huge and the images show white. They look like 0–255 pixels.',
      divisor: 255,
    });
  });

  it('offers no divisor for negative or larger values', () => {
    expect(rangeNote(dataset([-1, 0.5], [0.2, 0.1]))?.divisor).toBeNull();
    expect(rangeNote(dataset([0, 300], [0.2, 0.1]))).toMatchObject({ divisor: null, message: expect.stringContaining('from 0 to 300') });
  });

  it('divides a copy, named so, and refuses a divisor that cannot work', () => {
    const data = dataset([0, 51], [255, 102]);
    const divided = dividedDataset(data, 255);
    expect([divided.name, Array.from(divided.train.data), Array.from(divided.validation.data)]).toEqual(['x.csv ÷ 255', [0, Math.fround(0.2)], [1, Math.fround(0.4)]]);
    expect(rangeNote(divided)).toBeNull();
    expect(data.train.data[1]).toBe(51);
    expect(() => dividedDataset(data, 0)).toThrow(ReclinkError);
    expect(() => dividedDataset(data, 0)).toThrow('cannot divide the data by 0, expected a positive number');
  });
});
