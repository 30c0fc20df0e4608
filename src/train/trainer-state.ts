import { ReclinkError } from '../errors.js';
import { show } from '../checks.js';
import type { EpochRecord } from './events.js';
import type { OptimizerJson } from './optimizer.js';
import type { NamedMatrices } from './tensors.js';

/** Where a trainer is: counts of what is complete, and the current epoch's running loss. */
export interface Progress {
  epochsDone: number;
  /** Steps done in the current epoch. */
  stepInEpoch: number;
  /** Steps done since the start. */
  globalStep: number;
  /** Σ of the current epoch's batch sum-squared errors so far, and their samples. */
  epochLoss: number;
  epochSamples: number;
}

/** The best epoch by validation loss. */
export interface BestScore {
  epoch: number;
  valLoss: number;
  valMse: number;
}

/** The JSON half of a trainer's state. */
export interface TrainerJson extends Progress {
  /** The format of this object. */
  version: 1;
  /** The run's batch size and training-set size: a resumed run must use the same. */
  batchSize: number;
  trainSize: number;
  /**
   * The shuffling generator's state (xoroshiro128+) from which the current epoch's order
   * is drawn; once the epoch has no steps left, the state the next epoch's is drawn from.
   */
  rng: number[];
  best: BestScore | null;
  /** Epochs since the last improvement (early stopping's counter). */
  epochsWithoutImprovement: number;
  history: EpochRecord[];
  optimizer: OptimizerJson;
}

/**
 * Everything needed to resume training exactly. The tensors are the weights (`input.weight`,
 * ...), the optimizer's buffers (`optimizer.exp_avg.input.weight`, ...) and, once an epoch
 * has been validated, the best weights (`best.input.weight`, ...).
 */
export interface TrainerState {
  tensors: NamedMatrices;
  json: TrainerJson;
}

/** What a state must match to resume this trainer. */
export interface ResumeShape {
  batchSize: number;
  trainSize: number;
  stepsPerEpoch: number;
}

/** Checks a saved trainer state's JSON (it may come from a file) against this run. */
export function checkTrainerJson(json: TrainerJson, shape: ResumeShape): void {
  if (json.version !== 1) bad('version', json.version, '1');
  for (const field of ['batchSize', 'trainSize', 'epochsDone', 'stepInEpoch', 'globalStep', 'epochSamples', 'epochsWithoutImprovement'] as const) {
    if (!Number.isSafeInteger(json[field]) || json[field] < 0) bad(field, json[field], 'an integer ≥ 0');
  }
  if (json.batchSize !== shape.batchSize) {
    throw new ReclinkError(`the training state was saved with batch size ${json.batchSize}, this run has ${shape.batchSize}; a resumed run needs the same`);
  }
  if (json.trainSize !== shape.trainSize) {
    throw new ReclinkError(`the training state was saved with ${json.trainSize} training samples, this run has ${shape.trainSize}; a resumed run needs the same data`);
  }
  if (json.stepInEpoch > shape.stepsPerEpoch) bad('stepInEpoch', json.stepInEpoch, `an integer ≤ ${shape.stepsPerEpoch} (steps an epoch)`);
  if (!Number.isFinite(json.epochLoss) || json.epochLoss < 0) bad('epochLoss', json.epochLoss, 'a finite number ≥ 0');
  if (!Array.isArray(json.rng) || json.rng.length !== 4 || !json.rng.every((v) => Number.isInteger(v) && v === (v | 0))) {
    bad('rng', json.rng, 'four 32-bit integers');
  }
  if (!Array.isArray(json.history) || json.history.length !== json.epochsDone || !json.history.every(isRecord)) {
    bad('history', '…', `a list of ${json.epochsDone} epoch records`);
  }
  if (json.best !== null && !isScore(json.best)) bad('best', json.best, 'null or {epoch, valLoss, valMse}');
  if (typeof json.optimizer !== 'object' || json.optimizer === null) bad('optimizer', json.optimizer, "the optimizer's state");
}

function isScore(s: BestScore): boolean {
  return typeof s === 'object' && s !== null && Number.isSafeInteger(s.epoch) && Number.isFinite(s.valLoss) && Number.isFinite(s.valMse);
}

function isRecord(r: EpochRecord): boolean {
  return isScore(r) && Number.isFinite(r.trainLoss) && Number.isFinite(r.lr);
}

function bad(field: string, value: unknown, expected: string): never {
  throw new ReclinkError(`the training state's ${field} is ${show(value)}, expected ${expected}`);
}
