import { describe, expect, it } from 'vitest';
import { chooseKernels } from '../src/lab/kernel-choice.js';
import type { KernelSet } from '../src/linalg/wasm/kernels.js';
import { relaxedSimdSupported } from '../src/linalg/wasm/kernels.js';
import { readWasmBytes } from '../src/linalg/select-backend.js';
import { createWasmBackend } from '../src/linalg/wasm/wasm-backend.js';

/** The smallest module: the header alone. */
const EMPTY = new WebAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));

/** A compile function that fails for the sets in `failing`, and the sets it was asked for. */
function compiler(failing: KernelSet[] = []) {
  const asked: KernelSet[] = [];
  const compile = async (set: KernelSet): Promise<WebAssembly.Module> => {
    asked.push(set);
    if (failing.includes(set)) throw new TypeError(`HTTP status code is not ok (${set})`);
    return EMPTY;
  };
  return { compile, asked };
}

describe("the lab's kernel set", () => {
  it('is the relaxed set where relaxed SIMD runs, the plain set where it does not, without a warning', async () => {
    const warnings: string[] = [];
    const relaxed = compiler();
    expect(await chooseKernels(relaxed.compile, true, (m) => warnings.push(m))).toEqual({ set: 'relaxed', module: EMPTY });
    expect(relaxed.asked).toEqual(['relaxed']);
    const plain = compiler();
    expect(await chooseKernels(plain.compile, false, (m) => warnings.push(m))).toEqual({ set: 'plain', module: EMPTY });
    expect(plain.asked).toEqual(['plain']);
    expect(warnings).toEqual([]);
  });

  it('falls back to the plain set when the relaxed one fails to load, and to the TypeScript kernels when both do, saying why', async () => {
    const warnings: string[] = [];
    const { compile, asked } = compiler(['relaxed']);
    expect(await chooseKernels(compile, true, (m) => warnings.push(m))).toEqual({ set: 'plain', module: EMPTY });
    expect(asked).toEqual(['relaxed', 'plain']);
    expect(warnings).toEqual(['the relaxed WebAssembly kernels are unavailable (HTTP status code is not ok (relaxed)); training with the plain set']);
    warnings.length = 0;
    expect(await chooseKernels(compiler(['relaxed', 'plain']).compile, true, (m) => warnings.push(m))).toBeNull();
    expect(warnings).toEqual([
      'the relaxed WebAssembly kernels are unavailable (HTTP status code is not ok (relaxed)); training with the plain set',
      'the plain WebAssembly kernels are unavailable (HTTP status code is not ok (plain)); training with the TypeScript kernels',
    ]);
  });

  it("compiles the built modules into backends that name their set (select-backend enables relaxed SIMD on Node 20)", async () => {
    expect(relaxedSimdSupported()).toBe(true);
    const compile = async (set: KernelSet): Promise<WebAssembly.Module> => WebAssembly.compile(await readWasmBytes(set));
    for (const relaxedRuns of [true, false]) {
      const chosen = await chooseKernels(compile, relaxedRuns, (m) => expect.fail(m));
      if (chosen === null) throw new Error('no kernels compiled');
      const backend = await createWasmBackend(chosen.module, { threads: 1 });
      expect(backend.describe().kernels).toBe(relaxedRuns ? 'WebAssembly relaxed SIMD' : 'WebAssembly SIMD');
    }
  });
});
