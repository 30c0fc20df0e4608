import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { BUNDLED } from '../data/dataset.js';
import { NORMALIZATIONS, type NormalizationName } from '../data/normalize.js';
import { ReclinkError } from '../errors.js';
import type { RecLinkConfig } from '../model/config.js';
import type { LossReduction } from '../nn/loss.js';
import type { OptimizerKind } from '../train/optimizer.js';
import type { ScheduleName, TrainingSettings } from '../train/settings.js';
import type { BackendOptions } from './backend-flags.js';
import { addConfigFlags, configOverrides, finiteNumber, integer, positiveInteger } from './config-flags.js';
import type { RunSettings } from './run-checkpoint.js';
import type { DataSettings } from './run-data.js';
import { describe } from '../io/describe.js';

/** The options of `reclink train` as commander parses them; a flag not given is undefined. */
export interface TrainOptions extends BackendOptions, Record<string, unknown> {
  data?: string;
  trainSize?: number;
  testSize?: number;
  splitSeed?: number;
  normalize?: NormalizationName;
  epochs?: number;
  batch?: number;
  lr?: number;
  optimizer?: OptimizerKind;
  momentum?: number;
  nesterov?: boolean;
  weightDecay?: number;
  betas?: [number, number];
  clipNorm?: number;
  schedule?: ScheduleName;
  stepSize?: number;
  gamma?: number;
  warmup?: number;
  patience?: number;
  loss?: LossReduction;
  seed?: number;
  name?: string;
  runsDir?: string;
  resume?: string;
  json?: boolean;
}

/** What the command line asks of a run: only the settings it gives. */
export interface RunRequest {
  config: Partial<RecLinkConfig>;
  data: Partial<DataSettings>;
  training: Partial<TrainingSettings>;
}

/** Adds every flag of `reclink train` to `command`. Defaults are applied later, so that a resumed run can tell what was given. */
export function addTrainFlags(command: Command): Command {
  command
    .option('--data <path>', `training data: a .csv, .npy or IDX file, a folder of PNG images, or "${BUNDLED}" (default: the bundled MNIST-15)`)
    .option('--train-size <n>', 'training samples (default: all but the test samples; 8,000 of MNIST-15)', positiveInteger)
    .option('--test-size <n>', 'test (validation) samples (default: a fifth of the data; 2,000 of MNIST-15)', positiveInteger)
    .option('--split-seed <n>', 'seed of the shuffle that splits the data (default 0)', integer)
    .addOption(new Option('--normalize <kind>', 'scaling fitted on the training samples (default none)').choices(NORMALIZATIONS))
    .option('--epochs <n>', 'epochs (default 10)', positiveInteger)
    .option('--batch <n>', 'samples a step (default 64)', positiveInteger)
    .option('--lr <rate>', 'learning rate (default 0.001)', finiteNumber)
    .addOption(new Option('--optimizer <name>', 'optimizer, with PyTorch\'s update rule (default adam)').choices(['sgd', 'adam', 'adamw']))
    .option('--momentum <m>', 'SGD momentum (default 0)', finiteNumber)
    .option('--nesterov', 'SGD with Nesterov momentum')
    .option('--weight-decay <l>', 'weight decay (default 0; AdamW 0.01)', finiteNumber)
    .option('--betas <b1,b2>', "Adam's and AdamW's betas (default 0.9,0.999)", betas)
    .option('--clip-norm <n>', 'clip the gradients to this global norm (default: no clipping)', finiteNumber)
    .addOption(new Option('--schedule <name>', 'learning rate over the epochs (default constant; cosine reaches 0 just after the last epoch)').choices(['constant', 'step', 'cosine']))
    .option('--step-size <n>', 'step schedule: epochs between decays', positiveInteger)
    .option('--gamma <g>', 'step schedule: factor of each decay (default 0.1)', finiteNumber)
    .option('--warmup <steps>', 'steps of linear warm-up from lr/3 (default 0: none)', integer)
    .option('--patience <n>', 'stop after n epochs without a better validation loss (default: never)', positiveInteger)
    .addOption(new Option('--loss <reduction>', "the loss: the exercise's sum of squared errors, or their mean (default sum)").choices(['sum', 'mean']));
  return addConfigFlags(command)
    .option('--name <name>', 'the run folder\'s name (default: the first free run-<n>)')
    .option('--runs-dir <path>', 'where run folders go (default runs)')
    .option('--resume <run>', 'continue a run exactly: its folder or its last.safetensors (only --epochs may change; the backend flags default to the run\'s)')
    .option('--json', 'print a JSON line an epoch and one with the result on stdout');
}

/** The settings the command line gives (`--seed` seeds the weights and the shuffling). */
export function runRequest(options: TrainOptions): RunRequest {
  const { data, trainSize, testSize, splitSeed, normalize } = options;
  const source = data === undefined || data === BUNDLED ? data : resolve(data);
  const { epochs, batch, seed, optimizer, lr, momentum, nesterov, weightDecay, betas, clipNorm } = options;
  const { schedule, stepSize, gamma, warmup, patience, loss } = options;
  return {
    config: configOverrides(options),
    data: given({ source, trainSize, testSize, splitSeed, normalize }),
    training: given({ epochs, batchSize: batch, seed, optimizer, lr, momentum, nesterov, weightDecay, betas, clipNorm, schedule, stepSize, gamma, warmup, patience, loss }),
  };
}

/**
 * A resumed run continues with its own settings: a flag that asks for another value than
 * the checkpoint's is refused (exit code 2), except `--epochs`.
 */
export function checkResumeRequest(request: RunRequest, stored: { config: RecLinkConfig; run: RunSettings }, checkpoint: string): void {
  const { epochs, ...training } = request.training;
  const pairs: [string, unknown, unknown][] = [
    ...compared(request.config, stored.config),
    ...compared(request.data, stored.run.data),
    ...compared(training, stored.run.training),
  ];
  const conflict = pairs.find(([, asked, kept]) => JSON.stringify(asked) !== JSON.stringify(kept));
  if (conflict) {
    const [name, asked, kept] = conflict;
    throw new ReclinkError(`${checkpoint} continues with its own ${name} ${describe(kept)}, the command line asks for ${describe(asked)}; only --epochs may change on --resume`, 2);
  }
}

function compared<T extends object>(asked: Partial<T>, kept: T): [string, unknown, unknown][] {
  return (Object.keys(asked) as (keyof T & string)[]).map((key) => [key, asked[key], kept[key]]);
}

/** The fields of `fields` that are not undefined. */
function given<T extends object>(fields: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(fields) as (keyof T)[]) if (fields[key] !== undefined) out[key] = fields[key];
  return out;
}

function betas(text: string): [number, number] {
  const values = text.split(',').map((part) => finiteNumber(part));
  if (values.length !== 2) throw new InvalidArgumentError('Expected two numbers: beta1,beta2.');
  return [values[0], values[1]];
}
