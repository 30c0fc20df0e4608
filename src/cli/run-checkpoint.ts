import { Normalizer } from '../data/normalize.js';
import { ReclinkError } from '../errors.js';
import { loadCheckpoint, saveCheckpoint, type LoadCheckpointOptions } from '../io/checkpoint.js';
import type { Matrix } from '../linalg/matrix.js';
import type { RecLinkNet } from '../model/reclink-net.js';
import { resolveTrainingSettings, type TrainingSettings } from '../train/settings.js';
import type { TrainerJson, TrainerState } from '../train/trainer-state.js';
import { checkBackendSettings, type BackendSettings } from './backend-flags.js';
import { checkDataSettings, type DataSettings } from './run-data.js';

/**
 * The checkpoints of a run folder: a reclink checkpoint (see `saveCheckpoint`) whose
 * `__metadata__` also holds, as JSON strings,
 *
 *     normalizer      the fitted normaliser ({"kind": "none"}, ...): eval applies it
 *     run             {"data": DataSettings, "training": TrainingSettings}
 *     trainer         the trainer's state (last.safetensors only), with its tensors
 *                     (optimizer.*, best.*) beside the weights
 *     epoch_seconds   the wall time of each epoch so far (last.safetensors only)
 */

/** A run's settings: its data, how it trains, and on which kernels (absent from checkpoints written before they were kept). */
export interface RunSettings {
  data: DataSettings;
  training: TrainingSettings;
  backend?: BackendSettings;
}

/** Where a run stands, to resume it exactly. */
export interface ResumePoint {
  state: TrainerState;
  epochSeconds: number[];
}

/** What a run checkpoint holds. */
export interface RunCheckpoint {
  net: RecLinkNet;
  /** The normaliser to apply to the model's inputs; `none` for a file without one. */
  normalizer: Normalizer;
  /** Null for a file not written by `reclink train`. */
  run: RunSettings | null;
  /** Null unless the file is a run's last.safetensors. */
  resume: ResumePoint | null;
}

/** What `saveRunCheckpoint` writes beside the weights. */
export interface RunCheckpointContent {
  normalizer: Normalizer;
  run: RunSettings;
  resume?: ResumePoint;
}

/** Writes `net` and `content` to `path`, atomically. */
export function saveRunCheckpoint(path: string, net: RecLinkNet, content: RunCheckpointContent): void {
  const metadata: Record<string, string> = { normalizer: JSON.stringify(content.normalizer.toJSON()), run: JSON.stringify(content.run) };
  const tensors = new Map<string, Matrix>();
  if (content.resume) {
    const { state, epochSeconds } = content.resume;
    const weights = new Set(net.parameters.map((p) => p.name));
    for (const [name, m] of Object.entries(state.tensors)) if (!weights.has(name)) tensors.set(name, m);
    metadata.trainer = JSON.stringify(state.json);
    metadata.epoch_seconds = JSON.stringify(epochSeconds);
  }
  saveCheckpoint(path, net, { tensors, metadata });
}

/** Reads any checkpoint `loadCheckpoint` reads, with what a run wrote beside its weights. */
export function loadRunCheckpoint(path: string, options: LoadCheckpointOptions = {}): RunCheckpoint {
  const { net, extraTensors, metadata } = loadCheckpoint(path, options);
  const field = (key: string): unknown => (metadata[key] === undefined ? undefined : parseJson(metadata[key], key, path));
  const normalizerJson = field('normalizer');
  const normalizer = inFile(path, () => Normalizer.fromJSON(normalizerJson ?? { kind: 'none' }));
  const run = field('run');
  const trainer = field('trainer');
  return {
    net,
    normalizer,
    run: run === undefined ? null : checkRunSettings(run, path),
    resume: trainer === undefined ? null : { state: trainerState(trainer, extraTensors, net, path), epochSeconds: epochSeconds(field('epoch_seconds'), path) },
  };
}

function checkRunSettings(value: unknown, path: string): RunSettings {
  const fields: Record<string, unknown> = typeof value === 'object' && value !== null ? { ...value } : {};
  const training = fields.training;
  if (typeof training !== 'object' || training === null) throw new ReclinkError(`${path}: the run's training settings are missing`);
  const settings: RunSettings = { data: checkDataSettings(fields.data, path), training: inFile(path, () => resolveTrainingSettings({ ...training })) };
  return fields.backend === undefined ? settings : { ...settings, backend: checkBackendSettings(fields.backend, path) };
}

/** The trainer's state: its JSON is checked field by field when the trainer restores it. */
function trainerState(json: unknown, extraTensors: ReadonlyMap<string, Matrix>, net: RecLinkNet, path: string): TrainerState {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ReclinkError(`${path}: the trainer state is not a JSON object`);
  const weights = Object.fromEntries(net.parameters.map((p) => [p.name, p.value]));
  return { json: json as TrainerJson, tensors: { ...Object.fromEntries(extraTensors), ...weights } };
}

function epochSeconds(value: unknown, path: string): number[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
    throw new ReclinkError(`${path}: epoch_seconds is not a list of durations`);
  }
  return value;
}

function parseJson(text: string, key: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ReclinkError(`${path}: the metadata ${key} is not valid JSON`);
  }
}

/** Runs `check`; a ReclinkError it throws is about the file at `path` (exit code 1). */
function inFile<T>(path: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ReclinkError) throw new ReclinkError(`${path}: ${error.message}`);
    throw error;
  }
}
