import { availableParallelism, cpus } from 'node:os';
import { ReclinkError } from '../errors.js';
import { jsBackend } from '../linalg/js-backend.js';
import { loadWasmBackend, resolveThreads } from '../linalg/select-backend.js';
import { relaxedSimdSupported, type KernelSet } from '../linalg/wasm/kernels.js';
import { isUnsteady, median, rateOver, type MeasureOptions } from './measure.js';
import { matmulPeak } from './peak.js';
import { RecLinkNet } from '../model/reclink-net.js';
import { DataParallel } from '../train/data-parallel.js';
import { reclinkRunner, type Runner } from './reclink-peer.js';
import { loadTfjsPeer, type TfjsBackendName } from './tfjs-peer.js';
import { DEFAULT_PYTHON, TorchPeer, torchAvailable } from './torch-peer.js';

/** What `runBench` measures, and how long. */
export interface BenchOptions {
  /** Batch sizes (default 1, 16, 64, 256, 1024). */
  batches?: readonly number[];
  /** Milliseconds per measured cell, warm-up included (default 400). */
  budgetMs?: number;
  /** Timed rounds, each timing every cell once; a cell's median is reported (default 5). */
  repeats?: number;
  /** Threads of the threaded reclink row (default: `auto`, at least 2). */
  threads?: number;
  /** The WebAssembly kernel sets to measure (default: both where relaxed SIMD runs, else `plain`). */
  kernels?: readonly KernelSet[];
  /** Whether to measure TensorFlow.js and PyTorch too (default true). */
  peers?: boolean;
  /**
   * The Python that runs the PyTorch peer. Default /usr/bin/python3 (Debian's), and a note
   * when it has no torch; a Python given here that cannot import torch is an error.
   */
  python?: string;
  /** Called with a line before each measurement. */
  onProgress?: (message: string) => void;
}

/** One measured cell. */
export interface BenchResult {
  /**
   * `reclink-js`, `reclink-wasm`, `reclink-wasm-Nt`, `reclink-wasm-data-Nt` (N the threads;
   * `reclink-wasm-relaxed…` the same on the relaxed kernel set), `tfjs-cpu`, `tfjs-wasm`, `torch-1t`, `torch-2t`.
   */
  impl: string;
  batch: number;
  /** `train`: forward, backward and an SGD update; `infer`: forward only. */
  mode: 'train' | 'infer';
  /** The median of `rounds`. */
  samplesPerSec: number;
  /** Samples/s of each timed round, in order. */
  rounds: number[];
  /** Whether the rounds differ by more than 2× (`isUnsteady`): the machine was busy, measure again. */
  unsteady: boolean;
}

/** Everything one bench run found. */
export interface BenchReport {
  results: BenchResult[];
  /** GFLOP/s of reclink's matrix-product kernel on this network's shapes, in this run, by kernel set and thread count. */
  peak: { kernels: KernelSet; threads: number; gflops: number }[];
  /** Peers that could not be measured, and why. */
  notes: string[];
  environment: { node: string; cpu: string; cores: number; date: string; versions: Record<string, string> };
}

/** FLOPs of one sample: a training step (forward, backward, update) and a forward pass. */
export const FLOPS_PER_SAMPLE = { train: 259_000, infer: 101_250 } as const;

const DEFAULT_BATCHES = [1, 16, 64, 256, 1024];

/**
 * Measures training and inference samples per second of reclink (js, wasm, wasm with
 * threads, on each kernel set that runs here) and, in the same run, of TensorFlow.js (cpu, wasm) and PyTorch (1 and 2
 * threads) when they are installed, plus the peak of reclink's matrix-product kernel.
 *
 * @example
 * const report = await runBench({ batches: [1, 64] });
 * console.log(formatBench(report));
 */
export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const batches = options.batches ?? DEFAULT_BATCHES;
  const measure: MeasureOptions = { budgetMs: options.budgetMs ?? 400, repeats: options.repeats ?? 5 };
  const progress = options.onProgress ?? (() => {});
  const threads = options.threads ?? Math.max(2, resolveThreads('auto'));
  const peers = options.peers ?? true;
  const python = options.python ?? DEFAULT_PYTHON;
  const hasTorch = peers && torchAvailable(python);
  if (peers && !hasTorch && options.python !== undefined) {
    throw new ReclinkError(`${python} cannot import torch, expected a Python with PyTorch to run the peer (see docs/pytorch-peer.md)`);
  }
  const notes: string[] = [];
  const versions: Record<string, string> = {};
  /** What stops threads and processes the bench started. */
  const closers: (() => Promise<void> | void)[] = [];

  const kernelSets = options.kernels ?? (relaxedSimdSupported() ? ['plain', 'relaxed'] : ['plain']);
  if (!kernelSets.includes('relaxed')) notes.push('The relaxed-SIMD kernels were not measured: this runtime does not compile relaxed SIMD');
  try {
    const peak: BenchReport['peak'] = [];
    const impls: { impl: string; runner: (batch: number) => Runner | Promise<Runner> }[] = [{ impl: 'reclink-js', runner: (n) => reclinkRunner(jsBackend, n) }];
    for (const kernels of kernelSets) {
      const wasm = await loadWasmBackend({ threads: 1, kernels });
      const threaded = await loadWasmBackend({ threads, kernels });
      closers.push(() => threaded.close());
      progress(`matrix-product peak, ${kernels} kernels`);
      peak.push({ kernels, threads: 1, gflops: matmulPeak(wasm, measure) }, { kernels, threads, gflops: matmulPeak(threaded, measure) });
      // One model for every batch size: each DataParallel keeps (threads − 1) replicas and their memory.
      const dataParallel = await DataParallel.start(new RecLinkNet({ seed: 1 }, { backend: wasm }), threads);
      closers.push(() => dataParallel.close());
      const name = kernels === 'plain' ? 'reclink-wasm' : 'reclink-wasm-relaxed';
      impls.push(
        { impl: name, runner: (n) => reclinkRunner(wasm, n) },
        { impl: `${name}-${threads}t`, runner: (n) => reclinkRunner(threaded, n) },
        { impl: `${name}-data-${threads}t`, runner: (n) => reclinkRunner(wasm, n, dataParallel) },
      );
    }
    if (peers) {
      for (const name of ['cpu', 'wasm'] as TfjsBackendName[]) {
        const peer = await loadTfjsPeer(name);
        if (peer) {
          impls.push({ impl: `tfjs-${name}`, runner: peer.runner });
          versions.tfjs = peer.version;
        } else {
          notes.push(`TensorFlow.js (${name} backend) was not found: install the devDependencies`);
        }
      }
    }
    const cells: Cell[] = [];
    for (const batch of batches) {
      for (const { impl, runner } of impls) {
        const run = await runner(batch);
        for (const mode of MODES) {
          const step = run[mode];
          if (!step) continue;
          const time = async (ms: number): Promise<number> => {
            await run.prepare?.();
            return rateOver(step, batch, ms);
          };
          cells.push({ impl, batch, mode, rates: [], time });
        }
      }
    }
    if (hasTorch) cells.push(...(await torchCells(python, batches, versions, closers)));
    else if (peers) notes.push(`PyTorch was not found: ${python} -c 'import torch' failed`);
    await measureInRounds(cells, measure, progress);
    const results = cells.map(({ impl, batch, mode, rates }) => ({ impl, batch, mode, samplesPerSec: median(rates), rounds: rates, unsteady: isUnsteady(rates) }));
    return { results, peak, notes, environment: describeEnvironment(versions) };
  } finally {
    for (const close of closers) await close();
  }
}

const MODES = ['train', 'infer'] as const;

/** One cell of the tables, timed once a round. */
interface Cell {
  impl: string;
  batch: number;
  mode: 'train' | 'infer';
  /** Samples/s over about `ms` milliseconds. */
  time(ms: number): number | Promise<number>;
  rates: number[];
}

/**
 * A warm-up round, then `repeats` rounds, each timing every cell for an equal share of its
 * budget: a peer and reclink are timed seconds apart, not a minute, while the speed of a
 * shared machine drifts. The median of a cell's rounds is reported.
 */
async function measureInRounds(cells: Cell[], options: MeasureOptions, progress: (m: string) => void): Promise<void> {
  const share = options.budgetMs / (options.repeats + 1);
  for (let round = 0; round <= options.repeats; round++) {
    progress(round === 0 ? 'warm-up round' : `round ${round} of ${options.repeats}`);
    for (const cell of cells) {
      const rate = await cell.time(share);
      if (round > 0) cell.rates.push(rate);
    }
  }
}

/** PyTorch's cells with 1 and 2 threads, run by `python`. */
async function torchCells(python: string, batches: readonly number[], versions: Record<string, string>, closers: (() => void)[]): Promise<Cell[]> {
  const cells: Cell[] = [];
  for (const threads of [1, 2]) {
    const torch = await TorchPeer.start(python, threads);
    closers.push(() => torch.close());
    versions.torch = torch.version;
    for (const batch of batches) {
      for (const mode of MODES) cells.push({ impl: `torch-${threads}t`, batch, mode, rates: [], time: (ms) => torch.measure(mode, batch, ms) });
    }
  }
  return cells;
}

function describeEnvironment(versions: Record<string, string>): BenchReport['environment'] {
  return {
    node: process.version,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    date: new Date().toISOString().slice(0, 10),
    versions,
  };
}

