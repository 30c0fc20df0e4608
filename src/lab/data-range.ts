import { ReclinkError } from '../errors.js';
import { clone, type Matrix } from '../linalg/matrix.js';
import type { LabDataset } from './session.js';

/** What the page says about data outside [0, 1], and the divisor it offers (255 for 8-bit pixels), if any. */
export interface RangeNote {
  message: string;
  divisor: number | null;
}

/** The smallest and largest value of a data set's samples, training and validation. */
export function dataExtent({ train, validation }: LabDataset): { min: number; max: number } {
  let min = Infinity, max = -Infinity;
  for (const m of [train, validation]) {
    for (const v of m.data) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { min, max };
}

/**
 * A note when the data's values leave [0, 1], the range the exercise's images and the
 * ReLU or sigmoid output take: values up to 255 look like 8-bit pixels, and dividing by 255
 * is offered; null for data within [0, 1].
 */
export function rangeNote(dataset: LabDataset): RangeNote | null {
  const { min, max } = dataExtent(dataset);
  if (min >= 0 && max <= 1) return null;
  const pixels = min >= 0 && max <= 255;
  const what = `${dataset.name} holds values from ${min} to ${max}, outside [0, 1], the range the network draws in: the loss starts huge and the images show white.`;
  return { message: pixels ? `${what} They look like 0–255 pixels.` : `${what} Scale the data to [0, 1] before loading it.`, divisor: pixels ? 255 : null };
}

/** The data set with every value divided by `divisor`, named so. */
export function dividedDataset(dataset: LabDataset, divisor: number): LabDataset {
  if (!(divisor > 0 && Number.isFinite(divisor))) throw new ReclinkError(`cannot divide the data by ${divisor}, expected a positive number`);
  const divide = (m: Matrix): Matrix => {
    const copy = clone(m);
    for (let i = 0; i < copy.data.length; i++) copy.data[i] /= divisor;
    return copy;
  };
  return { ...dataset, name: `${dataset.name} ÷ ${divisor}`, train: divide(dataset.train), validation: divide(dataset.validation) };
}
