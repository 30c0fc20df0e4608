import { loadDataset } from '../data/dataset.js';
import type { Normalizer } from '../data/normalize.js';
import { ReclinkError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import type { RecLinkNet } from '../model/reclink-net.js';
import { loadRunCheckpoint } from './run-checkpoint.js';
import { loadRunData } from './run-data.js';
import { modelPath } from './run-folder.js';

/** A model, the normaliser its inputs need, and the samples to run it on. */
export interface ModelInput {
  net: RecLinkNet;
  normalizer: Normalizer;
  /** The checkpoint read. */
  model: string;
  /** N × inputSize samples, in the data's units. */
  x: Matrix;
  /** Where the samples come from. */
  source: string;
}

/**
 * What `eval` and `reconstruct` work on. `model` is a checkpoint (a run's, or any reclink or
 * plain safetensors file) or a run folder (see `modelPath`). `data` is any data
 * `loadDataset` reads, every sample of it; without it, the test part of the data the run
 * trained on.
 */
export function loadModelInput(model: string, data: string | undefined): ModelInput {
  const path = modelPath(model);
  const { net, normalizer, run } = loadRunCheckpoint(path);
  if (data !== undefined) return { net, normalizer, model: path, ...loadDataset(data, net.config.inputSize) };
  if (run === null) throw new ReclinkError(`${path} does not say what data it was trained on: give --data`, 2);
  const { split, settings } = loadRunData(run.data, net.config.inputSize, normalizer);
  return { net, normalizer, model: path, x: split.test.x, source: `the test part of ${settings.source}` };
}

/** The `--data` flag of `eval` and `reconstruct`. */
export const DATA_FLAG_HELP = 'the samples: a .csv, .npy or IDX file, a folder of PNG images, or "bundled" (default: the test part of the data the run trained on)';
