import { existsSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Command } from 'commander';
import { ReclinkError } from '../../errors.js';
import { fileError } from '../../io/fs-errors.js';
import type { Backend } from '../../linalg/backend.js';
import { RecLinkNet } from '../../model/reclink-net.js';
import { resolveTrainingSettings } from '../../train/settings.js';
import { addBackendFlags, backendOf, resolveBackendSettings, type BackendSettings } from '../backend-flags.js';
import { print } from '../output.js';
import { progressMode } from '../progress.js';
import { loadRunCheckpoint, readRunConfig } from '../run-checkpoint.js';
import { loadRunData } from '../run-data.js';
import { RunFolder } from '../run-folder.js';
import { addTrainFlags, checkResumeRequest, runRequest, type RunRequest, type TrainOptions } from '../train-flags.js';
import { executeRun, type RunPlan, type RunSummary } from '../training-run.js';

/**
 * `reclink train [flags]`: trains the network (by default the exercise's, on the bundled
 * MNIST-15 digits, as the PyTorch run it is compared with) and writes the run folder
 * `runs/<name>/`. `--resume <run>` continues a run exactly where it stopped.
 */
export function registerTrain(program: Command): void {
  const command = program
    .command('train')
    .description('train the network and write a run folder: config.json, metrics.csv, last and best checkpoints, report.html');
  addBackendFlags(addTrainFlags(command))
    .addHelpText(
      'after',
      '\n--seed seeds the initial weights and the shuffling of the mini-batches; --split-seed the split.\n' +
        'Ctrl-C stops after the current step and saves last.safetensors (exit code 130); --resume continues\n' +
        'from it bit for bit, on the run\'s own --backend, --threads and --parallel (another is refused).\n' +
        'With --normalize, the epoch lines give the validation MSE in normalised units (what the model sees,\n' +
        'marked "normalized") and the last line the test MSE in the data\'s units (as reclink eval does).',
    )
    .action(async (options: TrainOptions) => {
      const resume = options.resume === undefined ? null : RunFolder.ofCheckpoint(options.resume);
      const settings = await resolveBackendSettings(options, resume && keptBackend(resume.checkpoint), (line) => process.stderr.write(`${line}\n`));
      const backend = await backendOf(settings);
      try {
        const plan = { ...(resume === null ? newRun(options, backend) : resumedRun(options, resume, backend)), backend: settings };
        const summary = await executeRun(plan, progressMode(options.json === true), { out: process.stdout, err: process.stderr }).finally(() => plan.folder.release());
        if (options.json) print(JSON.stringify({ event: 'result', ...summary }));
        else print(...resultLines(summary, plan.data.normalizer.kind !== 'none'));
      } finally {
        await backend.close();
      }
    });
}

/**
 * The backend settings of the run to resume (read on the JS backend, before the run's own is
 * built), or null for a checkpoint that does not keep them or is not there (a run killed
 * before its first checkpoint starts afresh).
 */
function keptBackend(checkpoint: string): { settings: BackendSettings; checkpoint: string } | null {
  if (!existsSync(checkpoint)) return null;
  const settings = loadRunCheckpoint(checkpoint).run?.backend;
  return settings === undefined ? null : { settings, checkpoint };
}

/** A new run: every setting is checked and the data read before its folder is made (and locked). */
function newRun(options: TrainOptions, backend: Backend): Omit<RunPlan, 'backend'> {
  const request = runRequest(options);
  const net = new RecLinkNet(request.config, { backend });
  const training = resolveTrainingSettings({ ...request.training, seed: net.config.seed });
  const data = loadRunData(request.data, net.config.inputSize);
  return { folder: RunFolder.create(options.runsDir ?? 'runs', options.name), net, data, training, resume: null };
}

/**
 * A run continued from its checkpoint, in its folder (locked first). A folder killed before
 * its first checkpoint, with only its config.json, starts afresh from that.
 */
function resumedRun(options: TrainOptions, { folder, checkpoint }: { folder: RunFolder; checkpoint: string }, backend: Backend): Omit<RunPlan, 'backend'> {
  if (options.name !== undefined || options.runsDir !== undefined) {
    throw new ReclinkError('--resume continues the run in its own folder; leave out --name and --runs-dir', 2);
  }
  const restart = !startedRun(folder, checkpoint);
  folder.lock();
  try {
    return { folder, ...(restart ? restartedRun(folder, runRequest(options), backend) : continuedRun(checkpoint, runRequest(options), backend)) };
  } catch (error) {
    folder.release();
    throw error;
  }
}

/** Whether `checkpoint` is there to resume from; false for a run folder that has only its config.json. */
function startedRun(folder: RunFolder, checkpoint: string): boolean {
  try {
    statSync(checkpoint);
    return true;
  } catch (error) {
    const missing = error instanceof Error && 'code' in error && error.code === 'ENOENT';
    if (!missing || basename(checkpoint) !== 'last.safetensors' || !existsSync(folder.path)) throw fileError('read', checkpoint, error);
  }
  if (folder.has('config.json')) return false;
  throw new ReclinkError(`${folder.path} has no last.safetensors and no config.json: the run never started; start it anew with --name ${folder.name} --runs-dir ${dirname(folder.path)}`);
}

function continuedRun(checkpoint: string, request: RunRequest, backend: Backend): Omit<RunPlan, 'backend' | 'folder'> {
  const { net, normalizer, run, resume } = loadRunCheckpoint(checkpoint, { backend });
  if (run === null || resume === null) {
    throw new ReclinkError(`${checkpoint} has no training state to resume from, expected a run's last.safetensors`);
  }
  checkResumeRequest(request, { config: net.config, run }, checkpoint);
  const training = resolveTrainingSettings({ ...run.training, ...request.training });
  return { net, data: loadRunData(run.data, net.config.inputSize, normalizer), training, resume };
}

/** The run of a folder's config.json, from its start (a kill came before its first checkpoint). */
function restartedRun(folder: RunFolder, request: RunRequest, backend: Backend): Omit<RunPlan, 'backend' | 'folder'> {
  const path = folder.file('config.json');
  const { config, run } = readRunConfig(path);
  checkResumeRequest(request, { config, run }, path);
  const net = new RecLinkNet(config, { backend });
  const training = resolveTrainingSettings({ ...run.training, ...request.training });
  const data = loadRunData(run.data, net.config.inputSize);
  process.stderr.write(`${folder.path} has no checkpoint: starting the run afresh from its config.json\n`);
  return { net, data, training, resume: null };
}

/** The last lines: with `normalized`, each MSE says its units (validation in the model's, normalised; test in the data's). */
function resultLines(s: RunSummary, normalized: boolean): string[] {
  const best = s.best ? `, best epoch ${s.best.epoch} (val MSE/pixel ${s.best.valMse.toPrecision(3)}${normalized ? ', normalized' : ''})` : '';
  return [
    `${s.stopReason === 'early-stopping' ? 'stopped early' : 'done'}: ${s.epochs} epochs, ${s.steps} steps in ${s.seconds.toFixed(1)} s on ${s.backend}${best}`,
    `test (final weights${normalized ? ", in the data's units" : ''}): MSE/pixel ${s.test.mse.toPrecision(4)}, PSNR ${s.test.psnr.toFixed(2)} dB, SSE ${s.test.sse.toPrecision(6)} over ${s.test.samples} samples`,
    `wrote ${s.run}: config.json, metrics.csv, last.safetensors, best.safetensors, report.html`,
  ];
}
