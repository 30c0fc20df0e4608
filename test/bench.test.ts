import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatBench } from '../src/bench/format-bench.js';
import { isUnsteady, median, samplesPerSecond } from '../src/bench/measure.js';
import { runBench, type BenchReport, type BenchResult } from '../src/bench/run-bench.js';
import { loadTfjsPeer } from '../src/bench/tfjs-peer.js';
import { TorchPeer } from '../src/bench/torch-peer.js';
import { expectFailure, reclink } from './cli-helpers.js';
import { HAS_TORCH, PYTHON } from './python.js';

/** A measured cell whose rounds agreed. */
function steady(impl: string, batch: number, mode: 'train' | 'infer', samplesPerSec: number): BenchResult {
  return { impl, batch, mode, samplesPerSec, rounds: [samplesPerSec], unsteady: false };
}

describe('bench', () => {
  it('measures every reclink row at every batch, in both modes', async () => {
    const report = await runBench({ batches: [1, 3], budgetMs: 20, repeats: 1, threads: 2, peers: false });
    const cells = report.results.map((r) => `${r.impl} ${r.batch} ${r.mode}`).sort();
    const expected = [
      ...['reclink-js', 'reclink-wasm', 'reclink-wasm-2t', 'reclink-wasm-relaxed', 'reclink-wasm-relaxed-2t'].flatMap((impl) => [1, 3].flatMap((b) => [`${impl} ${b} infer`, `${impl} ${b} train`])),
      // data-parallel is a way to train, not to infer
      ...[1, 3].flatMap((b) => [`reclink-wasm-data-2t ${b} train`, `reclink-wasm-relaxed-data-2t ${b} train`]),
    ];
    expect(cells).toEqual(expected.sort());
    for (const r of report.results) expect(r.samplesPerSec).toBeGreaterThan(0);
    expect(report.peak.map((p) => `${p.kernels} ${p.threads}`)).toEqual(['plain 1', 'plain 2', 'relaxed 1', 'relaxed 2']);
    expect(formatBench(report)).toContain('Training (forward + backward + SGD update), samples/s');
  });

  it('formats ratios, GFLOP/s and the fraction of the peak', () => {
    const report: BenchReport = {
      results: [
        steady('reclink-wasm', 64, 'train', 200_000),
        steady('reclink-wasm-2t', 64, 'train', 300_000),
        steady('reclink-wasm-data-2t', 64, 'train', 280_000),
        steady('torch-1t', 64, 'train', 100_000),
        steady('reclink-wasm', 64, 'infer', 400_000),
        steady('reclink-wasm-2t', 64, 'infer', 100_000),
        steady('torch-1t', 64, 'infer', 800_000),
        steady('reclink-wasm-relaxed', 16, 'infer', 800_000),
      ],
      peak: [{ kernels: 'plain', threads: 1, gflops: 50 }, { kernels: 'plain', threads: 2, gflops: 100 }, { kernels: 'relaxed', threads: 1, gflops: 162 }],
      notes: ['PyTorch 2 threads was skipped'],
      environment: { node: 'v20', cpu: 'cpu', cores: 2, date: '2026-01-01', versions: {} },
    };
    const text = formatBench(report);
    // train: 300,000 · 259,000 = 77.7 GFLOP/s, 78% of the 2-thread peak, 3× torch.
    expect(text).toMatch(/64\s+reclink-wasm-2t\s+300,000\s+77\.7\s+78%\s+3\.0×/);
    // infer: 400,000 · 101,250 = 40.5 GFLOP/s, 81% of the 1-thread peak, 0.5× torch.
    expect(text).toMatch(/64\s+reclink-wasm\s+400,000\s+40\.5\s+81%\s+0\.5×/);
    // A relaxed row against the relaxed kernel set's peak: 81 GFLOP/s, 50% of 162.
    expect(text).toMatch(/16\s+reclink-wasm-relaxed\s+800,000\s+81\.0\s+50%\s+–/);
    expect(text).toContain('162.0 GFLOP/s with 1 thread (relaxed)');
    expect(text).toContain('PyTorch 2 threads was skipped');
  });

  it('takes the median of timed repeats', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    let steps = 0;
    expect(samplesPerSecond(() => steps++, 8, { budgetMs: 12, repeats: 3 })).toBeGreaterThan(0);
    expect(steps).toBeGreaterThanOrEqual(4); // a warm-up and three repeats, each at least one step
  });

  it('runs the TensorFlow.js peer on both backends without leaking tensors', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      const peer = await loadTfjsPeer(backend);
      expect(peer, backend).not.toBeNull();
      const runner = await peer!.runner(4);
      const tf = await import('@tensorflow/tfjs-core');
      runner.train();
      runner.infer?.();
      const tensors = tf.memory().numTensors;
      runner.train();
      runner.infer?.();
      expect(tf.memory().numTensors, backend).toBe(tensors);
    }
  });

  it('sets each TensorFlow.js runner\'s own backend again before it is timed (the backend is global)', async () => {
    const tf = await import('@tensorflow/tfjs-core');
    const onCpu = await (await loadTfjsPeer('cpu'))!.runner(2);
    const onWasm = await (await loadTfjsPeer('wasm'))!.runner(2);
    await onCpu.prepare?.();
    expect(tf.getBackend()).toBe('cpu');
    await onWasm.prepare?.();
    expect(tf.getBackend()).toBe('wasm');
  });

  // Only where Debian's python3-torch is installed (PERF.md); the bench then says it was not found (and under CI=true the run fails).
  it.runIf(HAS_TORCH)('times every peer in the same rounds as reclink', async () => {
    const report = await runBench({ batches: [2], budgetMs: 30, repeats: 2, threads: 2, python: PYTHON });
    const impls = [...new Set(report.results.map((r) => r.impl))];
    expect(impls).toEqual(['reclink-js', 'reclink-wasm', 'reclink-wasm-2t', 'reclink-wasm-data-2t', 'reclink-wasm-relaxed', 'reclink-wasm-relaxed-2t', 'reclink-wasm-relaxed-data-2t', 'tfjs-cpu', 'tfjs-wasm', 'torch-1t', 'torch-2t']);
    for (const r of report.results) expect(r.samplesPerSec, `${r.impl} ${r.mode}`).toBeGreaterThan(0);
    expect(report.notes).toEqual([]);
    expect(formatBench(report)).toMatch(/× torch-1t/);
  });

  it.runIf(HAS_TORCH)('runs the PyTorch peer, timing on request', async () => {
    const torch = await TorchPeer.start(PYTHON, 1);
    try {
      expect(torch.threads).toBe(1);
      expect(torch.version).toMatch(/^\d+\.\d+/);
      for (const mode of ['train', 'infer'] as const) expect(await torch.measure(mode, 2, 20)).toBeGreaterThan(0);
    } finally {
      torch.close();
    }
  });
});

describe('bench: unsteady cells and the PyTorch interpreter', () => {
  it('flags rounds that differ by more than 2×, and only those', () => {
    expect(isUnsteady([100, 150, 201])).toBe(true);
    expect(isUnsteady([100, 150, 200])).toBe(false);
    expect(isUnsteady([50_000, 1_000, 52_000])).toBe(true); // a peer that collapsed in one round
  });

  it('keeps every round of every cell, and says which cells are unsteady', async () => {
    const report = await runBench({ batches: [2], budgetMs: 20, repeats: 3, threads: 2, peers: false });
    for (const r of report.results) {
      expect(r.rounds, r.impl).toHaveLength(3);
      expect(r.samplesPerSec).toBe(median(r.rounds));
      expect(r.unsteady).toBe(isUnsteady(r.rounds));
    }
  });

  it('marks an unsteady cell and every ratio that uses it, with a note giving its rounds', () => {
    const collapsed: BenchResult = { impl: 'torch-2t', batch: 64, mode: 'train', samplesPerSec: 4_000, rounds: [150_000, 4_000, 3_000], unsteady: true };
    const report: BenchReport = {
      results: [steady('reclink-wasm', 64, 'train', 200_000), steady('torch-1t', 64, 'train', 100_000), collapsed],
      peak: [{ kernels: 'plain', threads: 1, gflops: 50 }],
      notes: [],
      environment: { node: 'v20', cpu: 'cpu', cores: 2, date: '2026-01-01', versions: {} },
    };
    const text = formatBench(report);
    expect(text).toMatch(/^\s+64\s+200,000\s+100,000\s+4,000\?$/m); // the samples/s table
    expect(text).toMatch(/64\s+reclink-wasm\s+200,000\s+51\.8\s+104%\s+2\.0×\s+50\.0×\?$/m); // 2× torch-1t is steady, 50× torch-2t is not
    expect(text).toContain('? marks a cell whose rounds differ by more than 2× (the machine was busy while it ran)');
    expect(text).toContain('  torch-2t train at batch 64: 3,000 to 150,000 samples/s');
    expect(formatBench({ ...report, results: report.results.slice(0, 2) })).not.toContain('?');
  });

  it('runs the PyTorch peer with the Python --python names, and refuses one without torch', () => {
    const missing = join(tmpdir(), 'reclink-no-such-python');
    expectFailure(reclink('bench', '--python', missing, '--batches', '1'), 1, `reclink: ${missing} cannot import torch, expected a Python with PyTorch to run the peer (see docs/pytorch-peer.md)`);
  });

  it.runIf(HAS_TORCH)('uses the interpreter --python gives for the PyTorch peer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reclink-python-'));
    try {
      const wrapper = join(dir, 'python');
      const log = join(dir, 'calls');
      writeFileSync(wrapper, `#!/bin/sh\necho "$@" >> ${log}\nexec ${PYTHON} "$@"\n`, { mode: 0o755 });
      const run = reclink('bench', '--python', wrapper, '--batches', '1', '--budget-ms', '20', '--json');
      expect(run.status, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as BenchReport;
      expect(report.results.filter((r) => r.impl.startsWith('torch-')).map((r) => r.impl).sort()).toEqual(['torch-1t', 'torch-1t', 'torch-2t', 'torch-2t']);
      expect(readFileSync(log, 'utf8')).toMatch(/torch_peer\.py --threads 1\n.*torch_peer\.py --threads 2\n$/s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
