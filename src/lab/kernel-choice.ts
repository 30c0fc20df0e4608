import type { KernelSet } from '../linalg/wasm/kernels.js';

/** A compiled kernel module and the set it is. */
export interface ChosenKernels {
  set: KernelSet;
  module: WebAssembly.Module;
}

/**
 * The WebAssembly kernels the lab trains with: the relaxed set (fused multiply-add) where
 * `relaxedRuns` (the browser validates relaxed SIMD), else, or when it fails to load or
 * compile, the plain set; null when neither compiles (the page then trains with the
 * TypeScript kernels). Each failure is passed to `warn`, never thrown.
 */
export async function chooseKernels(
  compile: (set: KernelSet) => Promise<WebAssembly.Module>,
  relaxedRuns: boolean,
  warn: (message: string) => void,
): Promise<ChosenKernels | null> {
  const sets: KernelSet[] = relaxedRuns ? ['relaxed', 'plain'] : ['plain'];
  for (const set of sets) {
    try {
      return { set, module: await compile(set) };
    } catch (error) {
      const next = set === 'relaxed' ? 'the plain set' : 'the TypeScript kernels';
      warn(`the ${set} WebAssembly kernels are unavailable (${error instanceof Error ? error.message : String(error)}); training with ${next}`);
    }
  }
  return null;
}
