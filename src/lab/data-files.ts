import { parseCsv } from '../data/csv-format.js';
import type { Dataset } from '../data/dataset.js';
import { parseMnist15 } from '../data/mnist15-format.js';
import { parseNpySamples } from '../data/npy-samples.js';
import { checkPng } from '../data/png-check.js';
import { imageSamples, type DecodedImage } from '../data/png-format.js';
import { splitDataset } from '../data/split.js';
import { InternalError, ReclinkError } from '../errors.js';
import type { LabFile } from './protocol.js';
import type { LabDataset } from './session.js';

/** Decodes a PNG file's bytes (in the page: the browser's image decoder). */
export type PngDecoder = (file: LabFile) => Promise<DecodedImage>;

/** The seed of the training / validation split: the command line's default, so that both see the same samples. */
const SPLIT_SEED = 0;

/**
 * Where the page finds the bundled digits, relative to its own scripts: `/mnist15.bin` at the
 * root of the site. `reclink lab` answers it with the package's one copy, `data/mnist15.bin`
 * (so the package does not carry it twice); `npm run dev` serves `data/` at the root.
 */
export const BUNDLED_DIGITS_URL = '../mnist15.bin';

/** The bundled digits from `data/mnist15.bin`'s bytes, split 8,000 / 2,000 as the command line splits them. */
export function bundledDataset(bytes: Uint8Array): LabDataset {
  return split(parseMnist15(bytes));
}

/**
 * The learner's files as a data set, with the command line's loaders and their errors: one
 * CSV or NPY file (a sample a row), or PNG images (a sample each, in the order of their
 * names, resampled when square). A fifth of the samples are held out for validation.
 */
export async function fileDataset(files: readonly LabFile[], inputSize: number, decodePng: PngDecoder): Promise<LabDataset> {
  if (files.length === 0) throw new ReclinkError('no files chosen, expected a CSV or NPY file, or PNG images');
  const kinds = new Set(files.map((f) => kindOf(f.name)));
  const [file] = files;
  if (kinds.size === 1 && kinds.has('png')) return split(await pngDataset(files, inputSize, decodePng));
  if (files.length > 1) {
    throw new ReclinkError(`${files.length} files chosen (${files.map((f) => f.name).join(', ')}), expected one CSV or NPY file, or PNG images only`);
  }
  if (kindOf(file.name) === 'csv') return split(parseCsv(new TextDecoder().decode(file.bytes), inputSize, file.name));
  return split(parseNpySamples(file.bytes, inputSize, file.name));
}

function kindOf(name: string): 'csv' | 'npy' | 'png' {
  const lower = name.toLowerCase();
  for (const kind of ['csv', 'npy', 'png'] as const) if (lower.endsWith(`.${kind}`)) return kind;
  throw new ReclinkError(`${name}: unknown data format, expected .csv, .npy or .png images`);
}

async function pngDataset(files: readonly LabFile[], inputSize: number, decodePng: PngDecoder): Promise<Dataset> {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const decoded = new Map<string, DecodedImage>();
  for (const file of sorted) {
    checkPng(file.bytes, file.name);
    decoded.set(file.name, await decodePng(file));
  }
  const source = `${files.length} PNG image${files.length === 1 ? '' : 's'}`;
  return imageSamples(sorted.map((f) => f.name), inputSize, source, (name) => {
    const image = decoded.get(name);
    if (!image) throw new InternalError(`${name} was not decoded`);
    return image;
  });
}

function split(data: Dataset): LabDataset {
  if (data.x.rows < 2) throw new ReclinkError(`${data.source}: 1 sample, expected at least 2 (a fifth of them are held out for validation)`);
  const { train, test } = splitDataset(data, { seed: SPLIT_SEED });
  return { name: data.source, train: train.x, validation: test.x, ...(test.labels ? { validationLabels: test.labels } : {}) };
}
