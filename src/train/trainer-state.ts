import { ReclinkError } from '../errors.js';
import { show } from '../checks.js';
import type { DType } from '../linalg/matrix.js';
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
  /** The largest loss one sample can have (`maxSampleLoss`): a saved loss above it is impossible. */
  maxSampleLoss: number;
}

/**
 * The largest sum-squared error of one sample in a model of `dtype` with `inputSize`
 * outputs: each error is the difference of two values of that type, at most twice its
 * largest finite value (float32: 6.8e38, so 1.0e80 for 225 outputs; float64: unbounded).
 */
export function maxSampleLoss(inputSize: number, dtype: DType): number {
  const largest = dtype === 'float32' ? FLOAT32_MAX : Number.MAX_VALUE;
  return inputSize * (2 * largest) ** 2;
}

const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Checks a saved trainer state's JSON (it may come from a file) against this run: every
 * field of the right type and range, and the fields consistent with each other (the steps
 * with the epochs, the best epoch with the history), as a run that was never stopped has them.
 */
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
  checkSteps(json, shape);
  if (!Array.isArray(json.rng) || json.rng.length !== 4 || !json.rng.every((v) => Number.isInteger(v) && v === (v | 0))) {
    bad('rng', json.rng, 'four 32-bit integers');
  }
  checkHistory(json, shape.maxSampleLoss);
  if (typeof json.optimizer !== 'object' || json.optimizer === null) bad('optimizer', json.optimizer, "the optimizer's state");
}

/** The position within the run, and the current epoch's running loss. */
function checkSteps(json: TrainerJson, shape: ResumeShape): void {
  const { epochsDone, stepInEpoch, epochSamples } = json;
  if (stepInEpoch > shape.stepsPerEpoch) bad('stepInEpoch', stepInEpoch, `an integer ≤ ${shape.stepsPerEpoch} (steps an epoch)`);
  const steps = epochsDone * shape.stepsPerEpoch + stepInEpoch;
  if (json.globalStep !== steps) bad('globalStep', json.globalStep, `${steps} (${epochsDone} epochs of ${shape.stepsPerEpoch} steps and ${stepInEpoch} steps)`);
  const samples = Math.min(stepInEpoch * shape.batchSize, shape.trainSize);
  if (epochSamples !== samples) bad('epochSamples', epochSamples, `${samples} (${stepInEpoch} batches of ${shape.batchSize} of the ${shape.trainSize} samples)`);
  const most = epochSamples * shape.maxSampleLoss;
  if (!isLoss(json.epochLoss, most)) {
    bad('epochLoss', json.epochLoss, epochSamples === 0 ? '0 (no step of the epoch is done)' : `a finite number from 0 to ${most.toPrecision(3)} (the largest loss of ${epochSamples} samples)`);
  }
}

/** The epochs' records, the best of them and early stopping's counter. */
function checkHistory(json: TrainerJson, maxLoss: number): void {
  const { history, best, epochsDone } = json;
  if (!Array.isArray(history) || history.length !== epochsDone) bad('history', '…', `a list of ${epochsDone} epoch records`);
  history.forEach((r, i) => {
    if (!isRecord(r, i + 1, maxLoss)) bad(`history[${i}]`, r, `epoch ${i + 1}'s record: losses from 0 to ${maxLoss.toPrecision(3)}, a learning rate ≥ 0`);
  });
  if (epochsDone === 0 && best !== null) bad('best', best, 'null (no epoch done)');
  if (epochsDone > 0 && !isScoreIn(best, history)) bad('best', best, `the score of one of the ${epochsDone} epochs done, as its history record has it`);
  const since = best === null ? 0 : epochsDone - best.epoch;
  if (json.epochsWithoutImprovement !== since) bad('epochsWithoutImprovement', json.epochsWithoutImprovement, `${since} (epochs since the best)`);
}

/** Whether `best` is the score of one of the epochs of `history`. */
function isScoreIn(best: BestScore | null, history: EpochRecord[]): boolean {
  if (typeof best !== 'object' || best === null || !Number.isSafeInteger(best.epoch)) return false;
  const record = history[best.epoch - 1] as EpochRecord | undefined;
  return record !== undefined && record.valLoss === best.valLoss && record.valMse === best.valMse;
}

function isLoss(value: unknown, max: number): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= max;
}

function isRecord(r: EpochRecord, epoch: number, maxLoss: number): boolean {
  if (typeof r !== 'object' || r === null || r.epoch !== epoch) return false;
  return isLoss(r.trainLoss, maxLoss) && isLoss(r.valLoss, maxLoss) && isLoss(r.valMse, maxLoss) && isLoss(r.lr, Number.MAX_VALUE);
}

function bad(field: string, value: unknown, expected: string): never {
  throw new ReclinkError(`the training state's ${field} is ${show(value)}, expected ${expected}`);
}
