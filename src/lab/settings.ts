import type { ActivationName } from '../linalg/backend.js';
import { ReclinkError } from '../errors.js';
import { checkInteger } from '../checks.js';

/** The optimizers the lab offers (PyTorch's rules: SGD, SGD with momentum 0.9 or Nesterov, Adam, AdamW). */
export type LabOptimizer = 'sgd' | 'momentum' | 'nesterov' | 'adam' | 'adamw';

/** What the learner controls in the lab. */
export interface LabSettings {
  optimizer: LabOptimizer;
  /** Learning rate. */
  lr: number;
  /** Samples per step. */
  batchSize: number;
  /** T, the recurrent cycles (2 in the exercise). Changing it restarts training. */
  cycles: number;
  /** g, the output activation (ReLU in the exercise). Changing it restarts training. */
  outputActivation: ActivationName;
  /** Seed of the initial weights and of the batch order. Changing it restarts training. */
  seed: number;
}

/** The command line's defaults: Adam, lr 1e-3, batch 64, the exercise's network, seed 0. */
export const DEFAULT_LAB_SETTINGS: Readonly<LabSettings> = Object.freeze({
  optimizer: 'adam',
  lr: 1e-3,
  batchSize: 64,
  cycles: 2,
  outputActivation: 'relu',
  seed: 0,
});

/** Every optimizer, in the order the page lists them. */
const LAB_OPTIMIZERS: readonly LabOptimizer[] = ['sgd', 'momentum', 'nesterov', 'adam', 'adamw'];
/** Every output activation, in the order the page lists them. */
const LAB_ACTIVATIONS: readonly ActivationName[] = ['relu', 'sigmoid', 'identity'];
/** The largest batch and cycle count the lab accepts. */
const LAB_LIMITS = Object.freeze({ batchSize: 4096, cycles: 8, lr: 10 });

/** A setting that cannot work: `field` names it, the message says what was expected. */
export class SettingsError extends ReclinkError {
  constructor(readonly field: keyof LabSettings, error: ReclinkError) {
    super(error.message, 2);
  }
}

/** Each field's check; each throws a ReclinkError naming the field and what it expects. */
const FIELD_CHECKS: { [K in keyof LabSettings]: (value: LabSettings[K]) => void } = {
  optimizer: (v) => void (LAB_OPTIMIZERS.includes(v) || fail('optimizer', v, LAB_OPTIMIZERS.join(', '))),
  lr: (v) => void (typeof v === 'number' && v > 0 && v <= LAB_LIMITS.lr ? v : fail('learning rate', v, `a number above 0 and at most ${LAB_LIMITS.lr}`)),
  batchSize: (v) => void checkInteger('batch size', v, 1, LAB_LIMITS.batchSize),
  cycles: (v) => void checkInteger('cycles', v, 1, LAB_LIMITS.cycles),
  outputActivation: (v) => void (LAB_ACTIVATIONS.includes(v) || fail('output activation', v, LAB_ACTIVATIONS.join(', '))),
  seed: (v) => void checkInteger('seed', v, 0, 2 ** 31 - 1),
};

/** The settings, checked: a field that cannot work throws a `SettingsError` naming it with what was expected. */
export function checkSettings(settings: LabSettings): LabSettings {
  for (const field of Object.keys(FIELD_CHECKS) as (keyof LabSettings)[]) guard(field, () => (FIELD_CHECKS[field] as (v: unknown) => void)(settings[field]));
  return settings;
}

/** Runs `check`, turning its error into a `SettingsError` for `field`. */
function guard<T>(field: keyof LabSettings, check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw error instanceof ReclinkError && !(error instanceof SettingsError) ? new SettingsError(field, error) : error;
  }
}

/** Whether going from `a` to `b` needs a new network (the architecture or the seed changed). */
export function needsRebuild(a: LabSettings, b: LabSettings): boolean {
  return a.cycles !== b.cycles || a.outputActivation !== b.outputActivation || a.seed !== b.seed;
}

function fail(field: string, value: unknown, expected: string): never {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  throw new ReclinkError(`${field} is ${shown}, expected ${expected}`, 2);
}

/** The settings form's fields, as the page reads them (text). */
export type SettingsForm = Record<keyof LabSettings, string>;

/** Settings from the page's form, checked; a field that is not a number is named with its text. */
export function settingsFromForm(form: SettingsForm): LabSettings {
  const number = (field: keyof LabSettings, name: string): number =>
    guard(field, () => {
      const text = form[field];
      const value = text.trim() === '' ? NaN : Number(text);
      if (Number.isNaN(value)) fail(name, text, 'a number');
      return value;
    });
  return checkSettings({
    optimizer: form.optimizer as LabOptimizer,
    lr: number('lr', 'learning rate'),
    batchSize: number('batchSize', 'batch size'),
    cycles: number('cycles', 'cycles'),
    outputActivation: form.outputActivation as ActivationName,
    seed: number('seed', 'seed'),
  });
}

/** How the page names each optimizer. */
export const OPTIMIZER_NAMES: Readonly<Record<LabOptimizer, string>> = Object.freeze({
  sgd: 'SGD',
  momentum: 'SGD with momentum',
  nesterov: 'SGD with Nesterov momentum',
  adam: 'Adam',
  adamw: 'AdamW',
});

/**
 * The largest learning rate, on the grid 1e-5, 3e-5, 5e-5, 1e-4, 3e-4, 1e-3, ..., that kept
 * a trained model's loss from blowing up after switching to each optimizer: Adam at lr
 * 1e-3 for 3000 steps on the bundled digits (validation loss 0.70), then 500 steps of the
 * new optimizer, whose state starts fresh. At these rates the training loss stayed below
 * 0.9 and the validation loss ended at 0.67–0.68; one step of the grid above, SGD peaked
 * at 8.6, Nesterov at 5.6 (test/lab-switch-lr.test.ts checks it).
 */
export const SWITCH_LR: Readonly<Record<LabOptimizer, number>> = Object.freeze({
  sgd: 3e-5,
  momentum: 3e-5,
  nesterov: 3e-5,
  adam: 3e-4,
  adamw: 3e-4,
});

/** What changed from `a` to `b`, in words (`optimizer Adam → SGD, learning rate 0.001 → 3e-5`), or null when nothing did. */
export function describeChange(a: LabSettings, b: LabSettings): string | null {
  const parts: string[] = [];
  const changed = <K extends keyof LabSettings>(key: K, name: string, show: (v: LabSettings[K]) => string = String): void => {
    if (a[key] !== b[key]) parts.push(`${name} ${show(a[key])} → ${show(b[key])}`);
  };
  changed('optimizer', 'optimizer', (v) => OPTIMIZER_NAMES[v]);
  changed('lr', 'learning rate');
  changed('batchSize', 'batch size');
  changed('cycles', 'cycles');
  changed('outputActivation', 'output activation');
  changed('seed', 'seed');
  return parts.length === 0 ? null : parts.join(', ');
}

/**
 * What the learner should know about a change mid-run: a new optimizer starts with fresh
 * state, and the measured learning rate it tolerates (`SWITCH_LR`); null for other changes.
 */
export function switchNote(a: LabSettings, b: LabSettings): string | null {
  if (a.optimizer === b.optimizer) return null;
  const name = OPTIMIZER_NAMES[b.optimizer];
  const safe = SWITCH_LR[b.optimizer];
  const risk = b.lr > safe ? ` Learning rate ${b.lr} is above ${safe}, the largest that kept a trained model from blowing up after switching to ${name} on the bundled digits: try ${safe}.` : '';
  return `${name} starts with fresh state (no momentum or running averages from before).${risk}`;
}
