import type { Command } from 'commander';
import { ReclinkError } from '../../errors.js';
import type { Backend } from '../../linalg/backend.js';
import { WasmBackend } from '../../linalg/wasm/wasm-backend.js';
import { RecLinkNet } from '../../model/reclink-net.js';
import type { ParallelMode } from '../../train/data-parallel.js';
import { resolveTrainingSettings } from '../../train/settings.js';
import { addBackendFlags, backendOf, releaseBackend } from '../backend-flags.js';
import { print } from '../output.js';
import { progressMode } from '../progress.js';
import { loadRunCheckpoint } from '../run-checkpoint.js';
import { loadRunData } from '../run-data.js';
import { RunFolder } from '../run-folder.js';
import { addTrainFlags, checkResumeRequest, runRequest, type TrainOptions } from '../train-flags.js';
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
        'from it, bit for bit when it runs on the same backend with the same --threads and --parallel.',
    )
    .action(async (options: TrainOptions) => {
      const backend = await backendOf(options);
      try {
        const parallel = checkParallel(options.parallel ?? 'products', backend);
        const plan = { ...(options.resume === undefined ? newRun(options, backend) : resumedRun(options, options.resume, backend)), parallel };
        const summary = await executeRun(plan, progressMode(options.json === true), { out: process.stdout, err: process.stderr });
        if (options.json) print(JSON.stringify({ event: 'result', ...summary }));
        else print(...resultLines(summary));
      } finally {
        await releaseBackend(backend);
      }
    });
}

function checkParallel(parallel: ParallelMode, backend: Backend): ParallelMode {
  if (parallel === 'data' && !(backend instanceof WasmBackend && backend.threads > 1)) {
    throw new ReclinkError('--parallel data splits the batch between threads: it needs the wasm backend and --threads 2 or more', 2);
  }
  return parallel;
}

function newRun(options: TrainOptions, backend: Backend): Omit<RunPlan, 'parallel'> {
  const request = runRequest(options);
  const net = new RecLinkNet(request.config, { backend });
  const training = resolveTrainingSettings({ ...request.training, seed: net.config.seed });
  const data = loadRunData(request.data, net.config.inputSize);
  return { folder: RunFolder.create(options.runsDir ?? 'runs', options.name), net, data, training, resume: null };
}

function resumedRun(options: TrainOptions, target: string, backend: Backend): Omit<RunPlan, 'parallel'> {
  if (options.name !== undefined || options.runsDir !== undefined) {
    throw new ReclinkError('--resume continues the run in its own folder; leave out --name and --runs-dir', 2);
  }
  const { folder, checkpoint } = RunFolder.ofCheckpoint(target);
  const { net, normalizer, run, resume } = loadRunCheckpoint(checkpoint, { backend });
  if (run === null || resume === null) {
    throw new ReclinkError(`${checkpoint} has no training state to resume from, expected a run's last.safetensors`);
  }
  const request = runRequest(options);
  checkResumeRequest(request, { config: net.config, run }, checkpoint);
  const training = resolveTrainingSettings({ ...run.training, ...request.training });
  return { folder, net, data: loadRunData(run.data, net.config.inputSize, normalizer), training, resume };
}

function resultLines(s: RunSummary): string[] {
  const best = s.best ? `, best epoch ${s.best.epoch} (val MSE/pixel ${s.best.valMse.toPrecision(3)})` : '';
  return [
    `${s.stopReason === 'early-stopping' ? 'stopped early' : 'done'}: ${s.epochs} epochs, ${s.steps} steps in ${s.seconds.toFixed(1)} s on ${s.backend}${best}`,
    `test (final weights): MSE/pixel ${s.test.mse.toPrecision(4)}, PSNR ${s.test.psnr.toFixed(2)} dB, SSE ${s.test.sse.toPrecision(6)} over ${s.test.samples} samples`,
    `wrote ${s.run}: config.json, metrics.csv, last.safetensors, best.safetensors, report.html`,
  ];
}
