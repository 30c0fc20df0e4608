import { ReclinkError } from '../errors.js';

/** The most values a loaded data set may hold (1 GiB of float32): larger claims are refused before allocating. */
export const MAX_DATASET_VALUES = 2 ** 28;

/** Throws unless a row of `file` (`where`: "line 3", "row 3") has `inputSize` columns. */
export function checkColumns(file: string, where: string, columns: number, inputSize: number): void {
  if (columns !== inputSize) {
    throw new ReclinkError(`${file}: ${where} has ${columns} columns, the model expects ${expectedValues(inputSize)}`);
  }
}

/** `225 (15 × 15 pixels)` for a square input, `12 values` otherwise: what a sample of the model holds, in words. */
export function expectedValues(inputSize: number): string {
  const side = Math.round(Math.sqrt(inputSize));
  return side * side === inputSize ? `${inputSize} (${side} × ${side} pixels)` : `${inputSize} values`;
}

/** Throws unless `samples` samples of `inputSize` values are at least one and fit in memory. */
export function checkSampleCount(file: string, samples: number, inputSize: number): void {
  if (samples === 0) throw new ReclinkError(`${file}: no samples, expected at least one`);
  if (samples * inputSize > MAX_DATASET_VALUES) {
    throw new ReclinkError(
      `${file}: ${samples} samples of ${inputSize} values are more than the ${MAX_DATASET_VALUES} values a data set may hold`,
    );
  }
}

/** Throws unless `value` (at `where` in `file`) is finite once stored as float32. */
export function checkFinite32(file: string, where: string, value: number): void {
  if (!Number.isFinite(Math.fround(value))) {
    const why = Number.isNaN(value) ? 'NaN' : Number.isFinite(value) ? `${value}, outside the float32 range` : `${value}`;
    throw new ReclinkError(`${file}: ${where} is ${why}, expected a finite number`);
  }
}
