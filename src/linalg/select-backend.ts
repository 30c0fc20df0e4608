import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import type { Backend } from './backend.js';
import { jsBackend } from './js-backend.js';
import { ReclinkError } from '../errors.js';
import { relaxedSimdSupported, resolveKernelSet, type KernelSet, type KernelSetChoice } from './wasm/kernels.js';
import { createWasmBackend, MAX_THREADS, type WasmBackend, type WasmBackendOptions } from './wasm/wasm-backend.js';

/** A backend by name: `auto` picks `wasm` when WebAssembly SIMD and threads work here, else `js`. */
export type BackendName = 'js' | 'wasm' | 'auto';

/** How `selectBackend` sets up the WebAssembly backend. */
export interface SelectBackendOptions extends Omit<WasmBackendOptions, 'threads'> {
  /** Threads for the WebAssembly backend; `auto` (the default) uses up to 4 cores. */
  threads?: number | 'auto';
  /** The WebAssembly kernel set; `auto` (the default): `relaxed` where it runs, else `plain`. */
  kernels?: KernelSetChoice;
}

/** Most threads `auto` starts: the kernels are split per call, which pays on a few cores. */
const AUTO_THREAD_LIMIT = 4;

// Node 20 compiles relaxed SIMD only with this flag, set before any module is compiled (the
// flag is process-wide, worker threads included); Node 22 and later have it on by default.
setFlagsFromString('--experimental-wasm-relaxed-simd');

/** Where the build puts each kernel set's module (`dist/`), found the same way from `src/` and `dist/`. */
export const WASM_URLS: Readonly<Record<KernelSet, URL>> = {
  plain: new URL('../../dist/reclink.wasm', import.meta.url),
  relaxed: new URL('../../dist/reclink-relaxed.wasm', import.meta.url),
};

/** The bytes of a kernel set's module (default `plain`), read from the package folder (never the network). */
export async function readWasmBytes(kernels: KernelSet = 'plain'): Promise<Uint8Array<ArrayBuffer>> {
  const url = WASM_URLS[kernels];
  try {
    return new Uint8Array(await readFile(url));
  } catch {
    throw new ReclinkError(`cannot read ${url.pathname}, expected the built WebAssembly module: run npm run build`);
  }
}

/** The kernel set `choice` names here: `auto` is `relaxed` when this runtime compiles relaxed SIMD, else `plain`. */
export function kernelSetHere(choice: KernelSetChoice = 'auto'): KernelSet {
  return resolveKernelSet(choice, relaxedSimdSupported());
}

/** The WebAssembly backend on the package's own module of the kernel set `options.kernels` asks for (Node). */
export async function loadWasmBackend(options: SelectBackendOptions = {}): Promise<WasmBackend> {
  const { kernels, ...rest } = options;
  return createWasmBackend(await readWasmBytes(kernelSetHere(kernels)), { ...rest, threads: resolveThreads(options.threads ?? 'auto') });
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
