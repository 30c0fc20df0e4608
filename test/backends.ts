import type { Backend } from '../src/linalg/backend.js';
import { jsBackend } from '../src/linalg/js-backend.js';
import { loadWasmBackend } from '../src/linalg/select-backend.js';

/** A backend the model-level tests run on. */
export interface BackendCase {
  name: string;
  create(): Promise<Backend>;
}

/**
 * Every backend, for tests parameterised over them (`describe.each(BACKENDS)`). The
 * threaded case splits every kernel, however small, so that small test shapes exercise
 * the threaded paths.
 */
export const BACKENDS: readonly BackendCase[] = [
  { name: 'js', create: async () => jsBackend },
  { name: 'wasm', create: () => loadWasmBackend({ threads: 1 }) },
  { name: 'wasm, 2 threads', create: () => loadWasmBackend({ threads: 2, minParallelWork: 0 }) },
];
