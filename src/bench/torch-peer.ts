import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MeasureOptions } from './measure.js';

/** What `bench/torch_peer.py` measured with one thread count. */
export interface TorchMeasurement {
  version: string;
  threads: number;
  results: { batch: number; mode: 'train' | 'infer'; samplesPerSec: number }[];
}

/** Debian's Python, which has `python3-torch` (PERF.md), not the first python3 on PATH. */
export const DEFAULT_PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../bench/torch_peer.py', import.meta.url));

/** Whether `python` can import torch. */
export function torchAvailable(python: string): boolean {
  return spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 }).status === 0;
}

/**
 * Runs the PyTorch peer with `threads` threads, set up as PERF.md says a fair peer is: the
 * environment's OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (which force slower kernels) unset
 * and glibc kept from returning large buffers to the system every step, for that process only.
 */
export function measureTorch(python: string, threads: number, batches: readonly number[], options: MeasureOptions): TorchMeasurement {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OMP_NUM_THREADS: String(threads),
    MALLOC_MMAP_THRESHOLD_: '4294967296',
    MALLOC_TRIM_THRESHOLD_: '17179869184',
    MALLOC_TOP_PAD_: '268435456',
  };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const args = [SCRIPT, '--threads', String(threads), '--batches', batches.join(','), '--budget-ms', String(options.budgetMs), '--repeats', String(options.repeats)];
  const child = spawnSync(python, args, { env, encoding: 'utf8', timeout: 600_000 });
  if (child.status !== 0) throw new Error(`the PyTorch peer failed: ${child.stderr || child.error?.message}`);
  const out = JSON.parse(child.stdout) as { torch: string; threads: number; results: TorchMeasurement['results'] };
  return { version: out.torch, threads: out.threads, results: out.results };
}
