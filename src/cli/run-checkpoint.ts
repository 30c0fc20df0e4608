import { Normalizer } from '../data/normalize.js';
import { checkErrorQuantiles, type ErrorQuantiles } from '../eval/scores.js';
import { ReclinkError } from '../errors.js';
import { readBytes } from '../io/bytes.js';
import { loadCheckpoint, saveCheckpoint, type LoadCheckpointOptions } from '../io/checkpoint.js';
import type { Matrix } from '../linalg/matrix.js';
import { DEFAULT_CONFIG, resolveConfig, type RecLinkConfig } from '../model/config.js';
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
 *     error_quantiles the quantiles of the training samples' errors with these weights
 *                     (`ErrorQuantiles`), written when training ends: `reclink score`'s thresholds
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
  /** The checkpoint it was read from. */
  source: string;
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
  /** The training errors' quantiles with these weights; null when the file has none. */
  errorQuantiles: ErrorQuantiles | null;
}

/** What `saveRunCheckpoint` writes beside the weights. */
export interface RunCheckpointContent {
  normalizer: Normalizer;
  run: RunSettings;
  resume?: Omit<ResumePoint, 'source'>;
  errorQuantiles?: ErrorQuantiles;
}

/** Writes `net` and `content` to `path`, atomically; a number that is not finite, in a tensor or the metadata, is refused. */
export function saveRunCheckpoint(path: string, net: RecLinkNet, content: RunCheckpointContent): void {
  const json = (key: string, value: unknown): string => finiteJson(value, `cannot write ${path}: the ${key}`);
  const metadata: Record<string, string> = { normalizer: json('normalizer', content.normalizer.toJSON()), run: json('run', content.run) };
  const tensors = new Map<string, Matrix>();
  if (content.resume) {
    const { state, epochSeconds } = content.resume;
    const weights = new Set(net.parameters.map((p) => p.name));
    for (const [name, m] of Object.entries(state.tensors)) if (!weights.has(name)) tensors.set(name, m);
    metadata.trainer = json('trainer', state.json);
    metadata.epoch_seconds = json('epoch_seconds', epochSeconds);
  }
  if (content.errorQuantiles) metadata.error_quantiles = json('error_quantiles', content.errorQuantiles);
  saveCheckpoint(path, net, { tensors, metadata });
}

/** `value` as JSON, which would write NaN and ±Infinity as null: those throw, `what` saying where. */
function finiteJson(value: unknown, what: string): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new ReclinkError(`${what} has ${key === '' ? '' : `${key} `}${v}, expected finite numbers`);
    return v;
  });
}

/** Reads any checkpoint `loadCheckpoint` reads, with what a run wrote beside its weights. */
export function loadRunCheckpoint(path: string, options: LoadCheckpointOptions = {}): RunCheckpoint {
  const { net, extraTensors, metadata } = loadCheckpoint(path, options);
  const field = (key: string): unknown => (metadata[key] === undefined ? undefined : parseJson(metadata[key], path, `the metadata ${key}`));
  const normalizerJson = field('normalizer');
  const normalizer = inFile(path, () => Normalizer.fromJSON(normalizerJson ?? { kind: 'none' }));
  const run = field('run');
  const trainer = field('trainer');
  const quantiles = field('error_quantiles');
  return {
    net,
    normalizer,
    run: run === undefined ? null : checkRunSettings(run, path),
    resume: trainer === undefined ? null : { state: trainerState(trainer, extraTensors, net, path), epochSeconds: epochSeconds(field('epoch_seconds'), path), source: path },
    errorQuantiles: quantiles === undefined ? null : checkErrorQuantiles(quantiles, path),
  };
}

/** A run's config.json: the model's config, the run's settings and the fitted normaliser, as indented JSON. */
export function runConfigText(config: RecLinkConfig, run: RunSettings, normalizer: Normalizer): string {
  return `${JSON.stringify({ model: config, ...run, normalizer: normalizer.toJSON() }, null, 2)}\n`;
}

/** The model's config and the run's settings in a run's config.json (`runConfigText`), checked. */
export function readRunConfig(path: string): { config: RecLinkConfig; run: RunSettings } {
  const json = parseJson(new TextDecoder().decode(readBytes(path)), path);
  const model: unknown = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).model : undefined;
  if (typeof model !== 'object' || model === null) throw new ReclinkError(`${path}: the model's config is missing`);
  const fields = Object.fromEntries(Object.entries(model).filter(([key]) => key in DEFAULT_CONFIG));
  return { config: inFile(path, () => resolveConfig(fields)), run: checkRunSettings(json, path) };
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

function parseJson(text: string, path: string, what = 'the file'): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ReclinkError(`${path}: ${what} is not valid JSON`);
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
