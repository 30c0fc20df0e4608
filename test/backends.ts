import type { Backend } from '../src/linalg/backend.js';
import { jsBackend } from '../src/linalg/js-backend.js';
import { loadWasmBackend } from '../src/linalg/select-backend.js';

/** A backend the model-level tests run on. */
export interface BackendCase {
  name: string;
  create(): Promise<Backend>;
}

/**
 * Every backend, for tests parameterised over them (`describe.each(BACKENDS)`): JS, then
 * each WebAssembly kernel set on one thread and on two. The threaded cases split every
 * kernel, however small, so that small test shapes exercise the threaded paths.
 */
export const BACKENDS: readonly BackendCase[] = [
  { name: 'js', create: async () => jsBackend },
  { name: 'wasm', create: () => loadWasmBackend({ threads: 1, kernels: 'plain' }) },
  { name: 'wasm, 2 threads', create: () => loadWasmBackend({ threads: 2, minParallelWork: 0, kernels: 'plain' }) },
  { name: 'wasm relaxed', create: () => loadWasmBackend({ threads: 1, kernels: 'relaxed' }) },
  { name: 'wasm relaxed, 2 threads', create: () => loadWasmBackend({ threads: 2, minParallelWork: 0, kernels: 'relaxed' }) },
];
