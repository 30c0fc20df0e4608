import { deadOutputs } from '../eval/dead-outputs.js';
import { reconstruct, reconstructionMetrics, valueRange, type ReconstructionMetrics } from '../eval/reconstruction.js';
import { ReclinkError } from '../errors.js';
import { firstRows } from '../linalg/matrix.js';
import { WasmBackend } from '../linalg/wasm/wasm-backend.js';
import type { RecLinkNet } from '../model/reclink-net.js';
import { renderReport } from '../report/report.js';
import type { StopReason } from '../train/events.js';
import { createOptimizer, trainerOptions, type TrainingSettings } from '../train/settings.js';
import { DataParallel, type ParallelMode } from '../train/data-parallel.js';
import { Trainer } from '../train/trainer.js';
import type { BestScore } from '../train/trainer-state.js';
import { Interrupted } from './error-line.js';
import { showProgress, type ProgressMode, type Streams } from './progress.js';
import { saveRunCheckpoint, type ResumePoint, type RunSettings } from './run-checkpoint.js';
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
  /** How the backend's threads share a step. */
  parallel: ParallelMode;
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
  /** The kernels it ran on: `js`, or `wasm` and its threads. */
  backend: string;
}

/** Test digits the report shows. */
const REPORT_SAMPLES = 16;

/**
 * Trains as `plan` says, writing the run folder as it goes: config.json first;
 * last.safetensors at the start and after every epoch; best.safetensors when an epoch is
 * the best; metrics.csv after every epoch; report.html at the end.
 *
 * Ctrl-C (SIGINT) stops after the current step, saves last.safetensors and throws
 * `Interrupted`. Divergence throws a ReclinkError; last.safetensors is then the last good
 * checkpoint, left as it was.
 */
export async function executeRun(plan: RunPlan, mode: ProgressMode, streams: Streams): Promise<RunSummary> {
  const started = performance.now();
  const gradients = plan.parallel === 'data' ? await dataParallelFor(plan.net) : null;
  try {
    return await train(plan, mode, streams, gradients, started);
  } finally {
    await gradients?.close();
  }
}

async function train(plan: RunPlan, mode: ProgressMode, streams: Streams, gradients: DataParallel | null, started: number): Promise<RunSummary> {
  const { folder, net, training, data } = plan;
  const { split, normalizer } = data;
  const run: RunSettings = { data: data.settings, training };
  const options = { ...trainerOptions(training), gradients };
  const trainer = new Trainer(net, createOptimizer(net, training), normalizer.apply(split.train.x), normalizer.apply(split.test.x), options);
  const epochSeconds = plan.resume ? resume(trainer, plan.resume) : [];
  const last = folder.file('last.safetensors');
  const saveLast = (): void => saveRunCheckpoint(last, net, { normalizer, run, resume: { state: trainer.state(), epochSeconds } });

  folder.writeText('config.json', `${JSON.stringify({ model: net.config, ...run, normalizer }, null, 2)}\n`);
  if (!plan.resume) saveLast();
  trainer.on('epoch', (e) => {
    epochSeconds.push(e.seconds);
    saveLast();
    if (e.best) saveRunCheckpoint(folder.file('best.safetensors'), net, { normalizer, run });
    folder.writeMetrics(trainer.history, epochSeconds);
  });

  const endProgress = showProgress(trainer, mode, streams);
  const stop = (): void => trainer.stop();
  process.once('SIGINT', stop); // a second Ctrl-C ends the process at once
  const result = await trainer.runAsync().finally(() => {
    process.removeListener('SIGINT', stop);
    endProgress();
  });

  const { stopReason, divergence } = result;
  if (stopReason === 'requested') {
    saveLast();
    const { epochsDone, stepInEpoch } = trainer.position;
    throw new Interrupted(`interrupted after ${epochsDone} epochs and ${stepInEpoch} steps: saved ${last}; continue with reclink train --resume ${folder.path}`);
  }
  if (divergence) {
    const { quantity, value, epoch, step } = divergence;
    throw new ReclinkError(`training diverged: the ${quantity} was ${value} at epoch ${epoch}, step ${step}; the last good checkpoint is ${last}`);
  }
  const test = writeReport(plan, trainer, run, backendName(net, gradients));
  const seconds = (performance.now() - started) / 1000;
  return { run: folder.path, stopReason, epochs: result.epochs, steps: result.steps, best: result.best, test, seconds, backend: backendName(net, gradients) };
}

/** A DataParallel over the threads of `net`'s WebAssembly backend, whose own workers stop: the replicas are the other threads. */
async function dataParallelFor(net: RecLinkNet): Promise<DataParallel> {
  const { backend } = net;
  if (!(backend instanceof WasmBackend)) throw new ReclinkError('--parallel data needs the wasm backend', 2);
  const threads = backend.threads;
  await backend.close();
  return DataParallel.start(net, threads);
}

/** `js`, or `wasm` with its threads (`wasm, 2 threads`, `wasm, 2 threads, data-parallel`). */
export function backendName(net: RecLinkNet, gradients: DataParallel | null = null): string {
  const { backend } = net;
  if (gradients) return `wasm, ${gradients.threads} threads, data-parallel`;
  return backend instanceof WasmBackend ? `wasm, ${backend.threads} thread${backend.threads > 1 ? 's' : ''}` : backend.name;
}

/** Puts `trainer` where the checkpoint left it; returns the epochs' wall times so far. */
function resume(trainer: Trainer, point: ResumePoint): number[] {
  trainer.restore(point.state);
  const { epochsDone } = trainer.position;
  if (point.epochSeconds.length !== epochsDone) {
    throw new ReclinkError(`the checkpoint has ${point.epochSeconds.length} epoch times for ${epochsDone} epochs, expected one an epoch`);
  }
  if (epochsDone > trainer.options.epochs) {
    throw new ReclinkError(`the run has done ${epochsDone} epochs already, and ${trainer.options.epochs} were asked for; give --epochs ${epochsDone} or more`, 2);
  }
  return [...point.epochSeconds];
}

/** Writes report.html for the final weights; returns their test metrics. */
function writeReport(plan: RunPlan, trainer: Trainer, run: RunSettings, backend: string): ReconstructionMetrics {
  const { folder, net, data } = plan;
  const x = data.split.test.x;
  const y = reconstruct(net, x, data.normalizer);
  const test = reconstructionMetrics(x, y);
  const html = renderReport({
    title: `reclink run ${folder.name}`,
    config: net.config,
    settings: reportSettings(run, trainer, backend),
    history: [...trainer.history],
    test: { mse: test.mse, psnr: test.psnr, deadOutputs: deadOutputs(net, x, data.normalizer), inputs: firstRows(x, REPORT_SAMPLES), outputs: firstRows(y, REPORT_SAMPLES), range: valueRange(x) },
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
