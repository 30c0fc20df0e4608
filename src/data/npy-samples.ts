import { npyMatrix, parseNpy } from '../io/npy-format.js';
import { checkColumns, checkSampleCount } from './checks.js';
import type { Dataset } from './dataset.js';

/** An NPY file's bytes as samples: a 2-D array, a sample a row, every value finite in float32, uint8 pixels divided by 255 (see `npyMatrix`); `file` names it in errors. */
export function parseNpySamples(bytes: Uint8Array, inputSize: number, file: string): Dataset {
  const x = npyMatrix(parseNpy(bytes, file), file);
  checkSampleCount(file, x.rows, inputSize);
  checkColumns(file, 'every row', x.cols, inputSize);
  return { x, source: file };
}
