import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Backend } from '../linalg/backend.js';
import { selectBackend, type BackendName } from '../linalg/select-backend.js';
import { WasmBackend } from '../linalg/wasm/wasm-backend.js';
import { positiveInteger } from './config-flags.js';

/** The backend flags as commander parses them. */
export interface BackendOptions {
  backend: BackendName;
  threads: number | 'auto';
}

/**
 * Adds `--backend js|wasm|auto` (default auto: WebAssembly SIMD when this Node runs it) and
 * `--threads N|auto` (default 1: at batches of 64 a second thread costs about as much as
 * it saves, and more on a busy machine). Results are bit-identical run to run for the same
 * thread count; another thread count or backend may change the last bits.
 */
export function addBackendFlags(command: Command): Command {
  return command
    .addOption(new Option('--backend <name>', 'the kernels: plain TypeScript, WebAssembly SIMD, or wasm when it runs here').choices(['js', 'wasm', 'auto']).default('auto'))
    .option('--threads <n>', 'threads of the WebAssembly backend, or auto (up to 4 cores)', threads, 1);
}

/** The backend the flags name; give it to `releaseBackend` when done. */
export function backendOf(options: BackendOptions): Promise<Backend> {
  return selectBackend(options.backend, { threads: options.threads });
}

/** Stops a backend's worker threads, so that the process can end. */
export async function releaseBackend(backend: Backend): Promise<void> {
  if (backend instanceof WasmBackend) await backend.close();
}

function threads(text: string): number | 'auto' {
  if (text === 'auto') return 'auto';
  try {
    return positiveInteger(text);
  } catch {
    throw new InvalidArgumentError('Expected a positive integer or auto.');
  }
}
