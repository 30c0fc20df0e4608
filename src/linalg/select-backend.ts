import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import type { Backend } from './backend.js';
import { jsBackend } from './js-backend.js';
import { ReclinkError } from '../errors.js';
import { createWasmBackend, MAX_THREADS, type WasmBackend, type WasmBackendOptions } from './wasm/wasm-backend.js';

/** A backend by name: `auto` picks `wasm` when WebAssembly SIMD and threads work here, else `js`. */
export type BackendName = 'js' | 'wasm' | 'auto';

/** How `selectBackend` sets up the WebAssembly backend. */
export interface SelectBackendOptions extends Omit<WasmBackendOptions, 'threads'> {
  /** Threads for the WebAssembly backend; `auto` (the default) uses up to 4 cores. */
  threads?: number | 'auto';
}

/** Most threads `auto` starts: the kernels are split per call, which pays on a few cores. */
const AUTO_THREAD_LIMIT = 4;

/** Where the build puts the module: `dist/reclink.wasm`, found the same way from `src/` and `dist/`. */
export const WASM_URL = new URL('../../dist/reclink.wasm', import.meta.url);

/** The bytes of `reclink.wasm`, read from the package folder (never the network). */
export async function readWasmBytes(): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return new Uint8Array(await readFile(WASM_URL));
  } catch {
    throw new ReclinkError(`cannot read ${WASM_URL.pathname}, expected the built WebAssembly module: run npm run build`);
  }
}

/** The WebAssembly backend on the package's own module (Node). */
export async function loadWasmBackend(options: SelectBackendOptions = {}): Promise<WasmBackend> {
  return createWasmBackend(await readWasmBytes(), { ...options, threads: resolveThreads(options.threads ?? 'auto') });
}

/**
 * The backend called `name` (Node). With `auto`, the WebAssembly backend when this
 * runtime validates its module (SIMD, shared memory and atomics), else the JS backend.
 */
export async function selectBackend(name: BackendName = 'auto', options: SelectBackendOptions = {}): Promise<Backend> {
  switch (name) {
    case 'js':
      return jsBackend;
    case 'wasm':
      return loadWasmBackend(options);
    case 'auto':
      return (await wasmSupported()) ? loadWasmBackend(options) : jsBackend;
    default:
      throw new ReclinkError(`backend is ${JSON.stringify(name)}, expected js, wasm or auto`, 2);
  }
}

/** Whether the package's module is built and this runtime can run it. */
export async function wasmSupported(): Promise<boolean> {
  try {
    return WebAssembly.validate(await readWasmBytes()) && typeof SharedArrayBuffer === 'function';
  } catch {
    return false;
  }
}

/** `auto` as a number: the cores Node may use, at most 4. */
export function resolveThreads(threads: number | 'auto'): number {
  if (threads === 'auto') return Math.min(availableParallelism(), AUTO_THREAD_LIMIT, MAX_THREADS);
  return threads;
}
