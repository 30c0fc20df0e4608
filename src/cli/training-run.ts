import { deadOutputs } from '../eval/dead-outputs.js';
import { reconstruct, reconstructionMetrics, valueRange, type ReconstructionMetrics } from '../eval/reconstruction.js';
import { errorQuantiles, sampleErrors } from '../eval/scores.js';
import { ReclinkError } from '../errors.js';
import type { Normalizer } from '../data/normalize.js';
import { encode } from '../eval/codes.js';
import { codeMap, type CodeMap } from '../lab/code-map.js';
import { firstRows, type Matrix } from '../linalg/matrix.js';
import type { RecLinkNet } from '../model/reclink-net.js';
import { wasmBackendOf } from '../linalg/wasm/wasm-backend.js';
import { renderReport } from '../report/report.js';
import type { StopReason } from '../train/events.js';
import { createOptimizer, trainerOptions, type TrainingSettings } from '../train/settings.js';
import { DataParallel } from '../train/data-parallel.js';
import { Trainer } from '../train/trainer.js';
import type { BestScore } from '../train/trainer-state.js';
import type { BackendSettings } from './backend-flags.js';
import { Interrupted } from './error-line.js';
import { showProgress, type ProgressMode, type Streams } from './progress.js';
import { loadRunCheckpoint, type ResumePoint, type RunSettings } from './run-checkpoint.js';
import { RunFiles } from './run-files.js';
import type { RunData } from './run-data.js';
import type { RunFolder } from './run-folder.js';

/** A run to start or continue: where it writes, the model, its data and settings. */
export interface RunPlan {
  folder: RunFolder;
  net: RecLinkNet;
  data: RunData;
  training: TrainingSettings;
  /** Where a resumed run continues from; null for a new run. */
  resume: ResumePoint | null;
  /** The kernels `net` runs on and how their threads share a step, kept with the run. */
  backend: BackendSettings;
}

/** How a run ended: what `reclink train` prints last. */
export interface RunSummary {
  run: string;
  /** `completed` or `early-stopping` (a stop on request or on divergence throws). */
  stopReason: StopReason;
  epochs: number;
  steps: number;
  best: BestScore | null;
  /** The final weights on the test set, in the data's units. */
  test: ReconstructionMetrics;
  /** Wall time of this command's training, evaluation and writing. */
  seconds: number;
  /** The kernels it ran on: `js`, or `wasm`, its kernel set when relaxed, and its threads (`backendName`). */
  backend: string;
}

/** Test digits the report shows. */
const REPORT_SAMPLES = 16;
/** Test samples whose codes the report maps, at most. */
const REPORT_CODES = 2000;

/**
 * Trains as `plan` says, writing the run folder (which the caller has locked) as it goes:
 * config.json and metrics.csv first; last.safetensors at the start and after every epoch;
 * best.safetensors when an epoch is the best; metrics.csv after every epoch; report.html at
 * the end, however training ends. A resumed run first rewrites metrics.csv and
 * best.safetensors if they are behind its checkpoint (a kill between an epoch's writes).
 *
 * Ctrl-C (SIGINT) stops after the current step, saves last.safetensors, writes the report
 * (marked interrupted) and throws `Interrupted`. Divergence writes the report (marked
 * diverged, for the weights of last.safetensors, the last good checkpoint, left as it was)
 * and throws a ReclinkError.
 */
export async function executeRun(plan: RunPlan, mode: ProgressMode, streams: Streams): Promise<RunSummary> {
  const started = performance.now();
  const gradients = plan.backend.parallel === 'data' ? await dataParallelFor(plan.net) : null;
  try {
    return await train(plan, mode, streams, gradients, started);
  } finally {
    await gradients?.close();
  }
}

async function train(plan: RunPlan, mode: ProgressMode, streams: Streams, gradients: DataParallel | null, started: number): Promise<RunSummary> {
  const { folder, net, training, data } = plan;
  const { split, normalizer } = data;
  const run: RunSettings = { data: data.settings, training, backend: plan.backend };
  const options = { ...trainerOptions(training), gradients };
  const trainer = new Trainer(net, createOptimizer(net, training), normalizer.apply(split.train.x), normalizer.apply(split.test.x), options);
  const files = new RunFiles(folder, trainer, { normalizer, run }, plan.resume ? resume(trainer, plan.resume) : []);
  const last = folder.file('last.safetensors');
  const backend = backendName(net, gradients);

  files.writeConfig();
  if (plan.resume) {
    const rewritten = files.catchUp();
    if (rewritten.length > 0) streams.err.write(`brought ${rewritten.join(' and ')} of ${folder.path} up to date with its checkpoint\n`);
  } else {
    files.writeMetrics();
    files.saveLast();
  }
  trainer.on('epoch', (e) => {
    files.epochSeconds.push(e.seconds);
    files.saveLast();
    if (e.best) files.saveBest();
    files.writeMetrics();
  });

  const endProgress = showProgress(trainer, mode, streams, normalizer.kind !== 'none');
  const stop = (): void => trainer.stop();
  process.once('SIGINT', stop); // a second Ctrl-C ends the process at once
  const result = await trainer.runAsync().finally(() => {
    process.removeListener('SIGINT', stop);
    endProgress();
  });

  const { stopReason, divergence } = result;
  if (stopReason === 'requested') {
    files.saveLast();
    const { epochsDone, stepInEpoch } = trainer.position;
    const message = `interrupted after ${epochsDone} epochs and ${stepInEpoch} steps: saved ${last}; continue with reclink train --resume ${folder.path}`;
    writeReport(plan, trainer, { run, backend, shown: net, notice: message });
    throw new Interrupted(message);
  }
  if (divergence) {
    const { quantity, value, epoch, step } = divergence;
    const message = `training diverged: the ${quantity} was ${value} at epoch ${epoch}, step ${step}; the last good checkpoint is ${last}`;
    writeReport(plan, trainer, { run, backend, shown: loadRunCheckpoint(last).net, notice: `${message}, whose weights this page shows` });
    throw new ReclinkError(message);
  }
  const trainErrors = files.recordErrorQuantiles(split.train.x);
  const test = writeReport(plan, trainer, { run, backend, shown: net, trainErrors });
  const seconds = (performance.now() - started) / 1000;
  return { run: folder.path, stopReason, epochs: result.epochs, steps: result.steps, best: result.best, test, seconds, backend };
}

/** A DataParallel over the threads of `net`'s WebAssembly backend, whose own workers stop: the replicas are the other threads. */
async function dataParallelFor(net: RecLinkNet): Promise<DataParallel> {
  const { backend } = net;
  const { name, threads } = backend.describe();
  if (name !== 'wasm') throw new ReclinkError('--parallel data needs the wasm backend', 2);
  await backend.close();
  return DataParallel.start(net, threads);
}

/**
 * `js`, or `wasm` with its kernel set when relaxed and its threads (`wasm, 2 threads`,
 * `wasm relaxed, 1 thread`, `wasm, 2 threads, data-parallel`).
 */
export function backendName(net: RecLinkNet, gradients: DataParallel | null = null): string {
  const { name, threads } = net.backend.describe();
  if (name === 'js') return name;
  const wasm = wasmBackendOf(net.backend)?.kernelSet === 'relaxed' ? 'wasm relaxed' : 'wasm';
  if (gradients) return `${wasm}, ${gradients.threads} threads, data-parallel`;
  return `${wasm}, ${threads} thread${threads > 1 ? 's' : ''}`;
}

/** Puts `trainer` where the checkpoint left it; returns the epochs' wall times so far. */
function resume(trainer: Trainer, point: ResumePoint): number[] {
  try {
    trainer.restore(point.state);
  } catch (error) {
    if (error instanceof ReclinkError) throw new ReclinkError(`${point.source}: ${error.message}`);
    throw error;
  }
  const { epochsDone } = trainer.position;
  if (point.epochSeconds.length !== epochsDone) {
    throw new ReclinkError(`${point.source}: the checkpoint has ${point.epochSeconds.length} epoch times for ${epochsDone} epochs, expected one an epoch`);
  }
  if (epochsDone > trainer.options.epochs) {
    throw new ReclinkError(`the run has done ${epochsDone} epochs already, and ${trainer.options.epochs} were asked for; give --epochs ${epochsDone} or more`, 2);
  }
  return [...point.epochSeconds];
}

/** The map of the first `REPORT_CODES` test samples' codes, or none for fewer than two samples. */
function reportCodes(net: RecLinkNet, x: Matrix, labels: Uint8Array | null, normalizer: Normalizer): CodeMap | undefined {
  if (x.rows < 2) return undefined;
  const rows = Math.min(REPORT_CODES, x.rows);
  return codeMap(encode(net, firstRows(x, rows), normalizer), labels?.subarray(0, rows) ?? null);
}

/** What the report shows beside the history: the weights it tests, and why the run stopped when it stopped early. */
interface ReportContent {
  run: RunSettings;
  backend: string;
  shown: RecLinkNet;
  notice?: string;
  /** The training samples' errors with the weights shown, when training ended: the report draws them with the test errors. */
  trainErrors?: Float64Array;
}

/** Writes report.html for the weights `shown`; returns their test metrics. */
function writeReport(plan: RunPlan, trainer: Trainer, { run, backend, shown, notice, trainErrors }: ReportContent): ReconstructionMetrics {
  const { folder, data } = plan;
  const x = data.split.test.x;
  const y = reconstruct(shown, x, data.normalizer);
  const test = reconstructionMetrics(x, y);
  const errors = trainErrors && { train: trainErrors, test: sampleErrors(shown, x, data.normalizer), quantiles: errorQuantiles(trainErrors) };
  const html = renderReport({
    title: `reclink run ${folder.name}`,
    notice,
    config: shown.config,
    settings: reportSettings(run, trainer, backend),
    history: [...trainer.history],
    test: { mse: test.mse, psnr: test.psnr, deadOutputs: deadOutputs(shown, x, data.normalizer), inputs: firstRows(x, REPORT_SAMPLES), outputs: firstRows(y, REPORT_SAMPLES), range: valueRange(x) },
    errors,
    codes: reportCodes(shown, x, data.split.test.labels ?? null, data.normalizer),
  });
  folder.writeText('report.html', html);
  return test;
}

/** The run's settings as the report's table shows them. */
function reportSettings(run: RunSettings, trainer: Trainer, backend: string): Record<string, string | number | boolean> {
  const { data, training } = run;
  const shown = Object.entries(training).map(([key, value]) => [key, Array.isArray(value) ? value.join(', ') : (value ?? 'none')]);
  return {
    data: data.source,
    'training samples': data.trainSize,
    'test samples': data.testSize,
    'split seed': data.splitSeed,
    normalize: data.normalize,
    ...Object.fromEntries(shown),
    'best epoch': trainer.best?.epoch ?? 'none',
    backend,
  };
}
