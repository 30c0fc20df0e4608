import { statSync, type Stats } from 'node:fs';
import { ReclinkError } from '../errors.js';
import { zeros, type Matrix } from '../linalg/matrix.js';
import { readBytes } from '../io/bytes.js';
import { readCsv } from './csv.js';
import { readIdx } from './idx.js';
import { fitImages } from './image-fit.js';
import { loadMnist15 } from './mnist15.js';
import { parseNpySamples } from './npy-samples.js';
import { readPngFolder } from './png-folder.js';
import type { ImageSize } from './resample.js';

/** Samples to train on or evaluate: what every loader returns. */
export interface Dataset {
  /** N × inputSize, float32, one sample a row, every value finite. */
  readonly x: Matrix;
  /** The class of each sample, when the source has them (the bundled digits). */
  readonly labels?: Uint8Array;
  /** The images' size when the samples are images (bundled, IDX, PNG): rows of the model's input. */
  readonly imageSize?: ImageSize;
  /** Where the samples come from: a path, or "bundled MNIST-15". */
  readonly source: string;
}

/** What `loadDataset` takes instead of a path for the bundled data set. */
export const BUNDLED = 'bundled';

/**
 * Loads the samples at `path` for a model of `inputSize` inputs, by what the path is:
 * `.csv`, `.npy`, `.idx` or `…idx3-ubyte` (MNIST's IDX images), a folder of PNG images; or,
 * without a path or with `"bundled"`, MNIST-15 (resampled when the input is another square).
 */
export function loadDataset(path: string | undefined, inputSize: number): Dataset {
  if (path === undefined || path === BUNDLED) return fitBundled(loadMnist15(), inputSize);
  if (stat(path).isDirectory()) return readPngFolder(path, inputSize);
  const name = path.toLowerCase();
  if (name.endsWith('.csv')) return readCsv(path, inputSize);
  if (name.endsWith('.npy')) return parseNpySamples(readBytes(path), inputSize, path);
  if (name.endsWith('.idx') || name.endsWith('idx3-ubyte')) return readIdx(path, inputSize);
  throw new ReclinkError(
    `${path}: unknown data format, expected .csv, .npy, .idx or -idx3-ubyte, a folder of PNG images, or "${BUNDLED}"`,
  );
}

function stat(path: string): Stats {
  try {
    return statSync(path);
  } catch {
    throw new ReclinkError(`${path}: no such file or folder, expected data (a file, a folder of PNG images or "${BUNDLED}")`);
  }
}

/** The bundled 15×15 images as samples of `inputSize` values (see `fitImages`). */
function fitBundled(data: Required<Dataset>, inputSize: number): Dataset {
  if (data.x.cols === inputSize) return data;
  const fit = fitImages(data.imageSize, inputSize, data.source);
  const x = zeros(data.x.rows, inputSize);
  for (let n = 0; n < x.rows; n++) fit.write(data.x.data.subarray(n * data.x.cols, (n + 1) * data.x.cols), x.data, n * inputSize);
  return { ...data, x, imageSize: fit.size };
}
