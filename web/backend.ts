import type { Backend } from '../src/linalg/backend.js';
import { jsBackend } from '../src/linalg/js-backend.js';
import { createWasmBackend } from '../src/linalg/wasm/wasm-backend.js';

/**
 * The page's kernels, chosen in this one place: the WebAssembly SIMD backend (one thread)
 * when the page is cross-origin isolated (its shared memory needs it; `reclink lab` sends
 * the headers) and this browser validates the module, else the plain TypeScript backend.
 */
export async function chooseBackend(): Promise<Backend> {
  if (!globalThis.crossOriginIsolated) return jsBackend;
  try {
    const module = await WebAssembly.compileStreaming(fetch(new URL('../dist/reclink.wasm', import.meta.url)));
    return await createWasmBackend(module, { threads: 1 });
  } catch (error) {
    console.warn(`the WebAssembly kernels are unavailable (${error instanceof Error ? error.message : String(error)}); training with the TypeScript kernels`);
    return jsBackend;
  }
}
