import { ReclinkError } from '../errors.js';
import { checkInteger, checkNumber } from '../checks.js';
import { describe } from '../io/describe.js';

/**
 * Where training stands when the coming step asks for its learning rate: both are counts
 * of what is complete, so the first step of training is at { epoch: 0, step: 0 }.
 */
export interface SchedulePosition {
  /** Epochs completed. */
  epoch: number;
  /** Optimizer steps completed, over all epochs. */
  step: number;
}

/** A learning rate as a pure function of the position in training. */
export type Schedule = (position: SchedulePosition) => number;

/**
 * What a schedule counts. `epoch` is what PyTorch users expect of `StepLR` and
 * `CosineAnnealingLR` (`scheduler.step()` once an epoch): the rate is constant within an
 * epoch. `step` changes it at every optimizer step.
 */
export type ScheduleUnit = 'epoch' | 'step';

/** The same learning rate throughout. */
export function constantSchedule(lr: number): Schedule {
  checkNumber('learning rate', lr, 0);
  return () => lr;
}

/** Options of `stepSchedule`. */
export interface StepScheduleOptions {
  /** Epochs (or steps) between decays. */
  stepSize: number;
  /** Factor of each decay (default 0.1, as PyTorch). */
  gamma?: number;
  /** Default `epoch`. */
  per?: ScheduleUnit;
}

/** `StepLR`: lr · γ^⌊t / stepSize⌋, t counted per epoch (default) or per step. */
export function stepSchedule(lr: number, { stepSize, gamma = 0.1, per = 'epoch' }: StepScheduleOptions): Schedule {
  checkNumber('learning rate', lr, 0);
  checkInteger('stepSize', stepSize, 1);
  checkNumber('gamma', gamma, 0);
  const count = counter(per);
  return (position) => lr * gamma ** Math.floor(count(position) / stepSize);
}

/** Options of `cosineSchedule`. */
export interface CosineScheduleOptions {
  /** T: epochs (or steps) from lr down to the minimum. */
  total: number;
  /** η_min, the rate from t = T on (default 0). */
  min?: number;
  /** Default `epoch`. */
  per?: ScheduleUnit;
}

/**
 * `CosineAnnealingLR`: η_min + (lr − η_min) (1 + cos(π t / T)) / 2, t counted per epoch
 * (default) or per step. After T it stays at η_min (PyTorch's would climb back up).
 */
export function cosineSchedule(lr: number, { total, min = 0, per = 'epoch' }: CosineScheduleOptions): Schedule {
  checkNumber('learning rate', lr, 0);
  checkInteger('total', total, 1);
  checkNumber('minimum learning rate', min, 0, lr, true);
  const count = counter(per);
  return (position) => min + ((lr - min) * (1 + Math.cos((Math.PI * Math.min(count(position), total)) / total))) / 2;
}

/** Options of `linearWarmup`. */
export interface WarmupOptions {
  /** Steps of warm-up (always counted per optimizer step). */
  steps: number;
  /** The factor at step 0 (default 1/3, as PyTorch's `LinearLR`). */
  startFactor?: number;
}

/**
 * A linear warm-up in front of any schedule, as PyTorch's `LinearLR` chained with it: the
 * inner rate times a factor rising from `startFactor` at step 0 to 1 at `steps`,
 *
 *     factor = s + (1 − s) · min(step, steps) / steps.
 */
export function linearWarmup(schedule: Schedule, { steps, startFactor = 1 / 3 }: WarmupOptions): Schedule {
  checkInteger('warm-up steps', steps, 1);
  checkNumber('warm-up start factor', startFactor, 0, 1, true);
  return (position) => schedule(position) * (startFactor + ((1 - startFactor) * Math.min(position.step, steps)) / steps);
}

function counter(per: ScheduleUnit): (position: SchedulePosition) => number {
  if (per !== 'epoch' && per !== 'step') throw new ReclinkError(`schedule unit is ${describe(per)}, expected epoch or step`, 2);
  return per === 'epoch' ? (position) => position.epoch : (position) => position.step;
}

