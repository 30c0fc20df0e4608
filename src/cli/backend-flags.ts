import { availableParallelism } from 'node:os';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ReclinkError } from '../errors.js';
import type { Backend } from '../linalg/backend.js';
import { kernelSetHere, resolveThreads, selectBackend, wasmSupported, type BackendName } from '../linalg/select-backend.js';
import type { KernelSet, KernelSetChoice } from '../linalg/wasm/kernels.js';
import { MAX_THREADS } from '../linalg/wasm/wasm-backend.js';
import type { ParallelMode } from '../train/data-parallel.js';
import { positiveInteger } from './config-flags.js';

/** The backend flags as commander parses them; a flag not given is undefined. */
export interface BackendOptions {
  backend?: BackendName;
  threads?: number | 'auto';
  kernels?: KernelSetChoice;
  /** How `--threads` share a step: each product split (`products`, the default), or the batch (`data`). */
  parallel?: ParallelMode;
}

/**
 * The kernels a run trains on, resolved (`auto` made concrete), as its checkpoints keep
 * them: a resumed run is bit for bit the run never stopped only on the same backend, kernel
 * set, thread count and way of sharing threads, so `--resume` keeps them.
 */
export interface BackendSettings {
  backend: 'js' | 'wasm';
  /** The WebAssembly kernel set; `plain` on the JS backend (and for runs kept before there were two). */
  kernels: KernelSet;
  /** 1 on the JS backend. */
  threads: number;
  parallel: ParallelMode;
}

const PARALLEL_MODES: readonly ParallelMode[] = ['products', 'data'];

/**
 * Adds `--backend js|wasm|auto` (default auto: WebAssembly SIMD when this Node runs it),
 * `--kernels plain|relaxed|auto` (default auto: the relaxed-SIMD kernels where they run),
 * `--threads N|auto` (default 1: at batches of 64 a second thread costs about as much as
 * it saves, and more on a busy machine) and `--parallel products|data`. Results are
 * bit-identical run to run for the same settings; another thread count or backend may
 * change the last bits.
 */
export function addBackendFlags(command: Command): Command {
  return command
    .addOption(new Option('--backend <name>', 'the kernels: plain TypeScript, WebAssembly SIMD, or wasm when it runs here (default auto)').choices(['js', 'wasm', 'auto']))
    .addOption(new Option('--kernels <set>', 'the WebAssembly kernel set: plain SIMD, relaxed SIMD (fused multiply-add), or relaxed where it runs (default auto)').choices(['plain', 'relaxed', 'auto']))
    .option('--threads <n>', 'threads of the WebAssembly backend (default 1), or auto: one a core, up to 4', threads)
    .addOption(
      new Option('--parallel <how>', 'how --threads share a step: each matrix product split between them (default), or the batch (data-parallel)').choices([
        ...PARALLEL_MODES,
      ]),
    );
}

/**
 * The backend settings the flags ask for, checked. A flag left out takes the resumed run's
 * value (`kept`, from `checkpoint`), else its default. Refused (exit code 2): a value other
 * than the resumed run's, threads on the JS backend, `--parallel data` without 2 threads.
 * More threads than cores is allowed, with a one-line warning through `warn`.
 */
export async function resolveBackendSettings(options: BackendOptions, kept: { settings: BackendSettings; checkpoint: string } | null, warn: (line: string) => void): Promise<BackendSettings> {
  const name = options.backend ?? kept?.settings.backend ?? 'auto';
  const backend = name === 'auto' ? ((await wasmSupported()) ? 'wasm' : 'js') : name;
  const requested = options.threads ?? kept?.settings.threads ?? 1;
  const kernels = options.kernels ?? kept?.settings.kernels ?? 'auto';
  if (backend === 'js' && options.kernels === 'relaxed') throw new ReclinkError('--kernels relaxed needs the wasm backend: the js backend has one kernel set', 2);
  const settings: BackendSettings = {
    backend,
    kernels: backend === 'js' ? 'plain' : kernelSetHere(kernels),
    threads: backend === 'js' && requested === 'auto' ? 1 : resolveThreads(requested),
    parallel: options.parallel ?? kept?.settings.parallel ?? 'products',
  };
  if (kept) checkKept(options, settings, kept.settings, kept.checkpoint);
  if (settings.backend === 'js' && settings.threads > 1) {
    throw new ReclinkError(`--threads ${settings.threads} needs the wasm backend: the js backend${name === 'auto' ? ' (auto: WebAssembly does not run here)' : ''} runs on one thread`, 2);
  }
  if (settings.parallel === 'data' && settings.threads < 2) {
    throw new ReclinkError('--parallel data splits the batch between threads: it needs the wasm backend and --threads 2 or more', 2);
  }
  const cores = availableParallelism();
  if (settings.threads > cores) warn(`reclink: warning: --threads ${settings.threads} is more than the ${cores} cores here; the threads will wait for one another (--threads ${cores} or fewer is faster)`);
  return settings;
}

/** Refuses a flag that asks a resumed run for another backend, kernel set, thread count or `--parallel` than its own. */
function checkKept(options: BackendOptions, asked: BackendSettings, kept: BackendSettings, checkpoint: string): void {
  for (const key of ['backend', 'kernels', 'threads', 'parallel'] as const) {
    if (options[key] !== undefined && asked[key] !== kept[key]) {
      throw new ReclinkError(
        `${checkpoint} continues with its own ${key} ${JSON.stringify(kept[key])}, the command line asks for ${JSON.stringify(asked[key])}; a run resumes bit for bit only on its own backend, --kernels, --threads and --parallel`,
        2,
      );
    }
  }
}

/** The backend of `settings`; `close()` it when done, so that the process can end. */
export function backendOf(settings: BackendSettings): Promise<Backend> {
  return selectBackend(settings.backend, { threads: settings.threads, kernels: settings.kernels });
}

/** The backend settings stored in a file, checked; `file` names it in errors. */
export function checkBackendSettings(value: unknown, file: string): BackendSettings {
  const fields: Record<string, unknown> = typeof value === 'object' && value !== null ? { ...value } : {};
  const { backend, threads, parallel, kernels = 'plain' } = fields;
  const valid =
    (backend === 'js' || backend === 'wasm') &&
    (kernels === 'plain' || (kernels === 'relaxed' && backend === 'wasm')) &&
    typeof threads === 'number' &&
    Number.isInteger(threads) &&
    threads >= 1 &&
    threads <= (backend === 'js' ? 1 : MAX_THREADS) &&
    PARALLEL_MODES.some((mode) => mode === parallel);
  if (!valid) throw new ReclinkError(`${file}: the run's backend settings are ${JSON.stringify(value)}, expected {"backend": "js" or "wasm", "kernels": "plain" or "relaxed" (plain for js), "threads": 1 to ${MAX_THREADS} (1 for js), "parallel": "products" or "data"}`);
  return { backend, kernels, threads, parallel: parallel === 'data' ? 'data' : 'products' };
}

function threads(text: string): number | 'auto' {
  if (text === 'auto') return 'auto';
  let value: number;
  try {
    value = positiveInteger(text);
  } catch {
    throw new InvalidArgumentError('Expected a positive integer or auto.');
  }
  if (value > MAX_THREADS) throw new InvalidArgumentError(`Expected at most ${MAX_THREADS} threads, or auto.`);
  return value;
}
