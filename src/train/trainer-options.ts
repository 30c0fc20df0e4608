import type { LossReduction } from '../nn/loss.js';
import { ReclinkError } from '../errors.js';
import { checkInteger, checkNumber, checkPositive, show } from '../checks.js';
import type { GradientSource } from './gradient-source.js';
import type { Schedule } from './schedule.js';

/** Stop when the validation loss has not improved for a while. */
export interface EarlyStopping {
  /** Epochs without improvement before stopping. */
  patience: number;
  /** An improvement is a validation loss below the best by more than this (default 0). */
  minDelta: number;
}

/** How a `Trainer` trains. */
export interface TrainerOptions {
  /** Epochs to run (default 10). */
  epochs: number;
  /** Samples a step (default 64); the last batch of an epoch may be smaller. */
  batchSize: number;
  /** Seed of the shuffling (default 0); the weights' seed is the model's. */
  seed: number;
  /** The learning rate at each step; null keeps the optimizer's (default null). */
  schedule: Schedule | null;
  /** Clip the gradients to this global norm; null does not clip (default null). */
  clipNorm: number | null;
  /** null: run every epoch (default null). */
  earlyStopping: EarlyStopping | null;
  /** The loss the gradient is taken of: `sum` (the exercise's) or `mean` (default `sum`). */
  reduction: LossReduction;
  /**
   * What computes each step's gradients, on the trainer's model: a `DataParallel` over
   * worker threads, say (default null: the model itself).
   */
  gradients: GradientSource | null;
}

/** The options a `Trainer` takes: any of `TrainerOptions`; `minDelta` may be left out. */
export type TrainerOptionsInput = Partial<Omit<TrainerOptions, 'earlyStopping'>> & {
  earlyStopping?: { patience: number; minDelta?: number } | null;
};

/** The defaults of `reclink train` for the bundled data. */
export const TRAINER_DEFAULTS: Readonly<TrainerOptions> = Object.freeze({
  epochs: 10,
  batchSize: 64,
  seed: 0,
  schedule: null,
  clipNorm: null,
  earlyStopping: null,
  reduction: 'sum',
  gradients: null,
});

/** The defaults completed by `input`, checked: an option that cannot work is named. */
export function resolveTrainerOptions(input: TrainerOptionsInput = {}): TrainerOptions {
  const o = { ...TRAINER_DEFAULTS, ...input };
  const stopping = o.earlyStopping ?? null;
  const reduction = checkReduction('loss reduction', o.reduction);
  if (o.schedule !== null && typeof o.schedule !== 'function') throw new ReclinkError('schedule is not a function, expected a Schedule or null', 2);
  return {
    epochs: checkInteger('epochs', o.epochs, 1),
    batchSize: checkInteger('batch size', o.batchSize, 1),
    seed: checkInteger('seed', o.seed, -(2 ** 31), 2 ** 31 - 1),
    schedule: o.schedule,
    clipNorm: o.clipNorm === null ? null : checkPositive('clipping norm', o.clipNorm),
    earlyStopping:
      stopping === null
        ? null
        : { patience: checkInteger('early-stopping patience', stopping.patience, 1), minDelta: checkNumber('early-stopping min delta', stopping.minDelta ?? 0, 0) },
    reduction,
    gradients: o.gradients,
  };
}

/** `value` if it names a loss reduction (sum or mean). */
export function checkReduction(name: string, value: unknown): LossReduction {
  if (value !== 'sum' && value !== 'mean') throw new ReclinkError(`${name} is ${show(value)}, expected sum, mean`, 2);
  return value;
}
