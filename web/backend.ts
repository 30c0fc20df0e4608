import type { Backend } from '../src/linalg/backend.js';
import { jsBackend } from '../src/linalg/js-backend.js';
import { relaxedSimdSupported, type KernelSet } from '../src/linalg/wasm/kernels.js';
import { createWasmBackend } from '../src/linalg/wasm/wasm-backend.js';
import { chooseKernels, type ChosenKernels } from '../src/lab/kernel-choice.js';

/** Each kernel set's module, bundled by Vite from the build's `dist/`. */
const WASM_URLS: Readonly<Record<KernelSet, URL>> = {
  plain: new URL('../dist/reclink.wasm', import.meta.url),
  relaxed: new URL('../dist/reclink-relaxed.wasm', import.meta.url),
};

let kernels: Promise<ChosenKernels | null> | null = null;

/**
 * The page's kernels, chosen in this one place: the WebAssembly backend (one thread) when
 * the page is cross-origin isolated (its shared memory needs it; `reclink lab` sends the
 * headers) and this browser compiles a kernel set — the relaxed one (fused multiply-add)
 * where it validates relaxed SIMD, else the plain one (`chooseKernels`) — else the plain
 * TypeScript backend. Each call gives WebAssembly kernels a memory of their own (the module
 * is compiled once).
 */
export async function makeBackend(): Promise<Backend> {
  kernels ??= globalThis.crossOriginIsolated ? chooseKernels(compileKernels, relaxedSimdSupported(), (message) => console.warn(message)) : Promise.resolve(null);
  const chosen = await kernels;
  return chosen === null ? jsBackend : createWasmBackend(chosen.module, { threads: 1 });
}

function compileKernels(set: KernelSet): Promise<WebAssembly.Module> {
  return WebAssembly.compileStreaming(fetch(WASM_URLS[set]));
}
