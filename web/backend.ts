import type { Backend } from '../src/linalg/backend.js';
import { jsBackend } from '../src/linalg/js-backend.js';
import { createWasmBackend } from '../src/linalg/wasm/wasm-backend.js';

let kernels: Promise<WebAssembly.Module | null> | null = null;

/**
 * The page's kernels, chosen in this one place: the WebAssembly SIMD backend (one thread)
 * when the page is cross-origin isolated (its shared memory needs it; `reclink lab` sends
 * the headers) and this browser compiles the module, else the plain TypeScript backend.
 * Each call gives WebAssembly kernels a memory of their own (the module is compiled once).
 */
export async function makeBackend(): Promise<Backend> {
  kernels ??= compileKernels();
  const module = await kernels;
  return module === null ? jsBackend : createWasmBackend(module, { threads: 1 });
}

async function compileKernels(): Promise<WebAssembly.Module | null> {
  if (!globalThis.crossOriginIsolated) return null;
  try {
    return await WebAssembly.compileStreaming(fetch(new URL('../dist/reclink.wasm', import.meta.url)));
  } catch (error) {
    console.warn(`the WebAssembly kernels are unavailable (${error instanceof Error ? error.message : String(error)}); training with the TypeScript kernels`);
    return null;
  }
}
