import { resolve } from 'node:path';
import { BUNDLED, loadDataset } from '../data/dataset.js';
import { NORMALIZATIONS, Normalizer, type NormalizationName } from '../data/normalize.js';
import { splitDataset, type Split } from '../data/split.js';
import { ReclinkError } from '../errors.js';
import { describe } from '../io/describe.js';

/** Where a run's samples come from and how they are split and scaled, as its config.json keeps it. */
export interface DataSettings {
  /** `bundled` (MNIST-15) or the absolute path of a data file or folder. */
  source: string;
  trainSize: number;
  testSize: number;
  /** Seed of the shuffle that splits the samples. */
  splitSeed: number;
  normalize: NormalizationName;
}

/** A run's data: the split samples (in the data's units) and the normaliser fitted on the training part. */
export interface RunData {
  split: Split;
  normalizer: Normalizer;
  settings: DataSettings;
}

/** What `reclink train` uses when no flag says otherwise: MNIST-15, 8,000 / 2,000 (the fifth rule), seed 0, no scaling. */
const DATA_DEFAULTS = Object.freeze({ source: BUNDLED, splitSeed: 0, normalize: 'none' as NormalizationName });

/**
 * Loads the samples for a model of `inputSize` inputs and splits them. Sizes left out are
 * `splitDataset`'s (a fifth for testing, the rest for training). The normaliser is fitted
 * on the training part unless one is given (a resumed run keeps its own).
 */
export function loadRunData(request: Partial<DataSettings>, inputSize: number, normalizer?: Normalizer): RunData {
  const { source, splitSeed, normalize } = { ...DATA_DEFAULTS, ...request };
  const path = source === BUNDLED ? BUNDLED : resolve(source);
  const split = splitDataset(loadDataset(path, inputSize), { train: request.trainSize, test: request.testSize, seed: splitSeed });
  const fitted = normalizer ?? Normalizer.fit(normalize, split.train.x);
  const settings = { source: path, trainSize: split.train.x.rows, testSize: split.test.x.rows, splitSeed, normalize: fitted.kind };
  return { split, normalizer: fitted, settings };
}

/** The data settings stored in a file, checked; `file` names it in errors. */
export function checkDataSettings(value: unknown, file: string): DataSettings {
  const fail = (what: string): ReclinkError => new ReclinkError(`${file}: the run's data settings ${what}`);
  if (typeof value !== 'object' || value === null) throw fail('are missing');
  const fields: Record<string, unknown> = { ...value };
  const integer = (name: string, min: number): number => {
    const v = fields[name];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw fail(`have ${name} ${describe(v)}, expected an integer ≥ ${min}`);
    return v;
  };
  const { source, normalize } = fields;
  if (typeof source !== 'string' || source === '') throw fail(`have source ${describe(source)}, expected a path or "${BUNDLED}"`);
  const kind = NORMALIZATIONS.find((n) => n === normalize);
  if (kind === undefined) throw fail(`have normalize ${describe(normalize)}, expected ${NORMALIZATIONS.join(', ')}`);
  return { source, trainSize: integer('trainSize', 1), testSize: integer('testSize', 1), splitSeed: integer('splitSeed', -(2 ** 31)), normalize: kind };
}
