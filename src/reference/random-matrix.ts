import { fromValues, type DType, type Matrix } from '../linalg/matrix.js';
import type { Random } from '../random.js';

/** A rows × cols matrix of numbers uniform in [low, high), drawn row by row from `random`. */
export function randomMatrix(rows: number, cols: number, random: Random, dtype: DType = 'float64', low = -1, high = 1): Matrix {
  return fromValues(rows, cols, Array.from({ length: rows * cols }, () => random.uniformIn(low, high)), dtype);
}
