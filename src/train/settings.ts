import { ReclinkError } from '../errors.js';
import type { LossReduction } from '../nn/loss.js';
import { Adam, AdamW, checkBetas } from './adam.js';
import { checkInteger, checkNumber, checkPositive, show } from '../checks.js';
import type { Optimizer, OptimizerKind, Trainable } from './optimizer.js';
import { constantSchedule, cosineSchedule, linearWarmup, stepSchedule, type Schedule } from './schedule.js';
import { Sgd } from './sgd.js';
import { checkReduction, type TrainerOptionsInput } from './trainer-options.js';

/** The learning-rate schedules a run can name. */
export type ScheduleName = 'constant' | 'step' | 'cosine';

/**
 * How a run trains, as plain JSON (a run folder's `config.json` and its checkpoints keep
 * it, so that a resumed run continues with the same): the optimizer, its schedule and the
 * trainer's options.
 */
export interface TrainingSettings {
  /** Epochs to run (default 10). */
  epochs: number;
  /** Samples a step (default 64). */
  batchSize: number;
  /** Seed of the shuffling of the mini-batches (default 0). */
  seed: number;
  /** `sgd`, `adam` or `adamw` (default `adam`). */
  optimizer: OptimizerKind;
  /** The learning rate, the schedule's peak (default 1e-3). */
  lr: number;
  /** SGD's momentum μ (default 0). */
  momentum: number;
  /** SGD with Nesterov momentum (default false). */
  nesterov: boolean;
  /** λ; null: the optimizer's default (0, or 1e-2 for AdamW). */
  weightDecay: number | null;
  /** Adam's and AdamW's (β₁, β₂) (default (0.9, 0.999)). */
  betas: [number, number];
  /** Clip the gradients to this global norm; null: no clipping (default). */
  clipNorm: number | null;
  /** The learning rate over epochs (default `constant`). */
  schedule: ScheduleName;
  /** `step`: epochs between decays (needed by `step`, null otherwise). */
  stepSize: number | null;
  /** `step`: the factor of each decay (default 0.1). */
  gamma: number;
  /** Optimizer steps of linear warm-up from lr/3 (PyTorch's `LinearLR`); 0: none (default). */
  warmup: number;
  /** Stop after this many epochs without a better validation loss; null: never (default). */
  patience: number | null;
  /** The loss the gradient is taken of: `sum` (the exercise's) or `mean` (default `sum`). */
  loss: LossReduction;
}

/** The defaults of `reclink train`: those of the PyTorch run the benchmark compares with. */
export const TRAINING_DEFAULTS: Readonly<TrainingSettings> = Object.freeze<TrainingSettings>({
  epochs: 10,
  batchSize: 64,
  seed: 0,
  optimizer: 'adam',
  lr: 1e-3,
  momentum: 0,
  nesterov: false,
  weightDecay: null,
  betas: [0.9, 0.999],
  clipNorm: null,
  schedule: 'constant',
  stepSize: null,
  gamma: 0.1,
  warmup: 0,
  patience: null,
  loss: 'sum',
});

const OPTIMIZERS: readonly OptimizerKind[] = ['sgd', 'adam', 'adamw'];
const SCHEDULES: readonly ScheduleName[] = ['constant', 'step', 'cosine'];

/**
 * The defaults completed by `input` and checked (it may come from a file): a setting that
 * cannot work, or one that its optimizer or schedule does not use, is named (exit code 2).
 * Settings it accepts build an optimizer and a trainer without error.
 */
export function resolveTrainingSettings(input: Partial<TrainingSettings> = {}): TrainingSettings {
  const s: TrainingSettings = { ...TRAINING_DEFAULTS, ...input };
  oneOf('optimizer', s.optimizer, OPTIMIZERS);
  oneOf('schedule', s.schedule, SCHEDULES);
  checkReduction('loss', s.loss);
  checkInteger('epochs', s.epochs, 1);
  checkInteger('batch size', s.batchSize, 1);
  checkInteger('seed', s.seed, -(2 ** 31), 2 ** 31 - 1);
  checkPositive('learning rate', s.lr);
  checkNumber('momentum', s.momentum, 0);
  if (typeof s.nesterov !== 'boolean') throw new ReclinkError(`nesterov is ${show(s.nesterov)}, expected true or false`, 2);
  if (s.weightDecay !== null) checkNumber('weight decay', s.weightDecay, 0);
  checkBetas(s.betas);
  if (s.clipNorm !== null) checkPositive('clipping norm', s.clipNorm);
  if (s.stepSize !== null) checkInteger('step size', s.stepSize, 1);
  checkNumber('gamma', s.gamma, 0);
  checkInteger('warm-up steps', s.warmup, 0);
  if (s.patience !== null) checkInteger('patience', s.patience, 1);
  checkCombination(s);
  return s;
}

/** Settings that only one optimizer or schedule reads must not be given to another. */
function checkCombination(s: TrainingSettings): void {
  if (s.optimizer !== 'sgd' && (s.momentum !== 0 || s.nesterov)) {
    throw new ReclinkError(`momentum and nesterov are SGD's, the optimizer is ${s.optimizer} (use betas)`, 2);
  }
  if (s.nesterov && s.momentum === 0) throw new ReclinkError("--nesterov needs --momentum above 0 (as in PyTorch's SGD), momentum is 0", 2);
  if (s.optimizer === 'sgd' && s.betas.join() !== TRAINING_DEFAULTS.betas.join()) {
    throw new ReclinkError('betas are Adam\'s and AdamW\'s, the optimizer is sgd (use momentum)', 2);
  }
  if (s.schedule === 'step' && s.stepSize === null) throw new ReclinkError('the step schedule needs a step size (epochs between decays)', 2);
  if (s.schedule !== 'step' && s.stepSize !== null) throw new ReclinkError(`a step size is for the step schedule, the schedule is ${s.schedule}`, 2);
}

function oneOf<T extends string>(name: string, value: T, choices: readonly T[]): void {
  if (!choices.includes(value)) throw new ReclinkError(`${name} is ${show(value)}, expected ${choices.join(', ')}`, 2);
}

/** The optimizer the settings name, over `model`'s parameters. */
export function createOptimizer(model: Trainable, s: TrainingSettings): Optimizer {
  const weightDecay = s.weightDecay === null ? {} : { weightDecay: s.weightDecay };
  switch (s.optimizer) {
    case 'sgd':
      return new Sgd(model, { lr: s.lr, momentum: s.momentum, nesterov: s.nesterov, ...weightDecay });
    case 'adam':
      return new Adam(model, { lr: s.lr, betas: s.betas, ...weightDecay });
    case 'adamw':
      return new AdamW(model, { lr: s.lr, betas: s.betas, ...weightDecay });
  }
}

/**
 * The learning rate at every step: the schedule counted in epochs (cosine anneals to 0
 * over all `epochs`), behind a linear warm-up when `warmup` > 0.
 */
export function createSchedule(s: TrainingSettings): Schedule {
  const schedule =
    s.schedule === 'step'
      ? stepSchedule(s.lr, { stepSize: s.stepSize ?? Number.NaN, gamma: s.gamma }) // resolved settings have one
      : s.schedule === 'cosine'
        ? cosineSchedule(s.lr, { total: s.epochs })
        : constantSchedule(s.lr);
  return s.warmup > 0 ? linearWarmup(schedule, { steps: s.warmup }) : schedule;
}

/** The `Trainer`'s options for these settings. */
export function trainerOptions(s: TrainingSettings): TrainerOptionsInput {
  return {
    epochs: s.epochs,
    batchSize: s.batchSize,
    seed: s.seed,
    schedule: createSchedule(s),
    clipNorm: s.clipNorm,
    earlyStopping: s.patience === null ? null : { patience: s.patience },
    reduction: s.loss,
  };
}
