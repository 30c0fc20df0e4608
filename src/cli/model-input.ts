import { loadDataset } from '../data/dataset.js';
import type { Normalizer } from '../data/normalize.js';
import type { ErrorQuantiles } from '../eval/scores.js';
import { ReclinkError } from '../errors.js';
import type { LoadCheckpointOptions } from '../io/checkpoint.js';
import type { Matrix } from '../linalg/matrix.js';
import type { RecLinkNet } from '../model/reclink-net.js';
import { loadRunCheckpoint, type RunCheckpoint } from './run-checkpoint.js';
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
  /** The training errors' quantiles recorded with the model, or null. */
  errorQuantiles: ErrorQuantiles | null;
}

/** A run checkpoint and the path it was read from. */
export interface LoadedModel extends RunCheckpoint {
  /** The checkpoint read. */
  model: string;
}

/**
 * The model `--model` names, for every command that takes one: a checkpoint (a run's, or
 * any reclink or plain safetensors file) or a run folder (its best.safetensors; before an
 * epoch is validated, its last.safetensors).
 */
export function loadModel(model: string, options: LoadCheckpointOptions = {}): LoadedModel {
  const path = modelPath(model);
  return { ...loadRunCheckpoint(path, options), model: path };
}

/**
 * What `eval` and `reconstruct` work on: the model `model` names (see `loadModel`). `data` is any data
 * `loadDataset` reads, every sample of it; without it, the test part of the data the run
 * trained on.
 */
export function loadModelInput(model: string, data: string | undefined): ModelInput {
  const { net, normalizer, run, errorQuantiles, model: path } = loadModel(model);
  if (data !== undefined) return { net, normalizer, errorQuantiles, model: path, ...loadDataset(data, net.config.inputSize) };
  if (run === null) throw new ReclinkError(`${path} does not say what data it was trained on: give --data`, 2);
  const { split, settings } = loadRunData(run.data, net.config.inputSize, normalizer);
  return { net, normalizer, errorQuantiles, model: path, x: split.test.x, source: `the test part of ${settings.source}` };
}

/** The `--model` flag of the commands that read a model. */
export const MODEL_FLAG_HELP = "a checkpoint (a run's, or any reclink or plain safetensors file), or a run folder (its best.safetensors; last.safetensors before an epoch is validated)";

/** The `--data` flag of `eval` and `reconstruct`. */
export const DATA_FLAG_HELP = 'the samples: a .csv, .npy or IDX file, a folder of PNG images, or "bundled" (default: the test part of the data the run trained on)';
