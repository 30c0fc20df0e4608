import { readBytes } from '../io/bytes.js';
import { parseCsv } from './csv-format.js';
import type { Dataset } from './dataset.js';

// The format itself, without the file system (the browser lab uses it too).
export * from './csv-format.js';

/** Reads a CSV file of samples (see `parseCsv`). */
export function readCsv(path: string, inputSize: number): Dataset {
  return parseCsv(new TextDecoder().decode(readBytes(path)), inputSize, path);
}
