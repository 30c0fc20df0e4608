import { describe, expect, it } from 'vitest';
import { checkBackendSettings, resolveBackendSettings, type BackendSettings } from '../src/cli/backend-flags.js';
import { ReclinkError } from '../src/errors.js';
import { kernelSetHere, loadWasmBackend } from '../src/linalg/select-backend.js';
import { relaxedSimdSupported, resolveKernelSet } from '../src/linalg/wasm/kernels.js';

// Node 20 compiles relaxed SIMD once select-backend.ts has set V8's flag; later Node by default.
describe('choosing the kernel set', () => {
  it('falls back to plain where relaxed SIMD does not run, and refuses relaxed there', () => {
    expect(resolveKernelSet('auto', true)).toBe('relaxed');
    expect(resolveKernelSet('auto', false)).toBe('plain');
    expect(resolveKernelSet('plain', true)).toBe('plain');
    expect(resolveKernelSet('relaxed', true)).toBe('relaxed');
    expect(() => resolveKernelSet('relaxed', false)).toThrow(
      new ReclinkError('the relaxed kernel set needs WebAssembly relaxed SIMD, which this runtime does not compile: use --kernels plain or auto', 2),
    );
  });

  it('finds relaxed SIMD in this Node, and loads the module of the set asked for', async () => {
    expect(relaxedSimdSupported()).toBe(true);
    expect(kernelSetHere()).toBe('relaxed');
    for (const kernels of ['plain', 'relaxed'] as const) expect((await loadWasmBackend({ threads: 1, kernels })).kernelSet).toBe(kernels);
    expect((await loadWasmBackend({ threads: 1 })).kernelSet).toBe('relaxed');
  });
});

describe('a run keeps its kernel set', () => {
  const warn = (): void => {};
  const kept = (kernels: 'plain' | 'relaxed'): { settings: BackendSettings; checkpoint: string } => ({
    settings: { backend: 'wasm', kernels, threads: 1, parallel: 'products' },
    checkpoint: 'last.safetensors',
  });

  it('resolves --kernels, and auto to the relaxed set here', async () => {
    expect((await resolveBackendSettings({}, null, warn)).kernels).toBe('relaxed');
    expect((await resolveBackendSettings({ kernels: 'plain' }, null, warn)).kernels).toBe('plain');
    expect((await resolveBackendSettings({ backend: 'js' }, null, warn)).kernels).toBe('plain');
    await expect(resolveBackendSettings({ backend: 'js', kernels: 'relaxed' }, null, warn)).rejects.toThrow('--kernels relaxed needs the wasm backend: the js backend has one kernel set');
  });

  it('resumes on its own set, and refuses another', async () => {
    expect((await resolveBackendSettings({}, kept('plain'), warn)).kernels).toBe('plain');
    expect((await resolveBackendSettings({}, kept('relaxed'), warn)).kernels).toBe('relaxed');
    await expect(resolveBackendSettings({ kernels: 'auto' }, kept('plain'), warn)).rejects.toThrow(
      'last.safetensors continues with its own kernels "plain", the command line asks for "relaxed"; a run resumes bit for bit only on its own backend, --kernels, --threads and --parallel',
    );
  });

  it('reads runs kept before there were two sets as plain, and refuses relaxed on js', () => {
    expect(checkBackendSettings({ backend: 'wasm', threads: 2, parallel: 'products' }, 'config.json').kernels).toBe('plain');
    expect(checkBackendSettings({ backend: 'wasm', kernels: 'relaxed', threads: 2, parallel: 'products' }, 'config.json').kernels).toBe('relaxed');
    expect(() => checkBackendSettings({ backend: 'js', kernels: 'relaxed', threads: 1, parallel: 'products' }, 'config.json')).toThrow('config.json: the run\'s backend settings are');
  });
});
