import { describe, expect, it } from 'vitest';
import { formatBench } from '../src/bench/format-bench.js';
import { median, samplesPerSecond } from '../src/bench/measure.js';
import { runBench, type BenchReport } from '../src/bench/run-bench.js';
import { loadTfjsPeer } from '../src/bench/tfjs-peer.js';
import { TorchPeer } from '../src/bench/torch-peer.js';
import { HAS_TORCH, PYTHON } from './python.js';

describe('bench', () => {
  it('measures every reclink row at every batch, in both modes', async () => {
    const report = await runBench({ batches: [1, 3], budgetMs: 20, repeats: 1, threads: 2, peers: false });
    const cells = report.results.map((r) => `${r.impl} ${r.batch} ${r.mode}`).sort();
    const expected = [
      ...['reclink-js', 'reclink-wasm', 'reclink-wasm-2t'].flatMap((impl) => [1, 3].flatMap((b) => [`${impl} ${b} infer`, `${impl} ${b} train`])),
      ...[1, 3].map((b) => `reclink-wasm-data-2t ${b} train`), // data-parallel is a way to train, not to infer
    ];
    expect(cells).toEqual(expected.sort());
    for (const r of report.results) expect(r.samplesPerSec).toBeGreaterThan(0);
    expect(report.peak.map((p) => p.threads)).toEqual([1, 2]);
    expect(formatBench(report)).toContain('Training (forward + backward + SGD update), samples/s');
  });

  it('formats ratios, GFLOP/s and the fraction of the peak', () => {
    const report: BenchReport = {
      results: [
        { impl: 'reclink-wasm', batch: 64, mode: 'train', samplesPerSec: 200_000 },
        { impl: 'reclink-wasm-2t', batch: 64, mode: 'train', samplesPerSec: 300_000 },
        { impl: 'reclink-wasm-data-2t', batch: 64, mode: 'train', samplesPerSec: 280_000 },
        { impl: 'torch-1t', batch: 64, mode: 'train', samplesPerSec: 100_000 },
        { impl: 'reclink-wasm', batch: 64, mode: 'infer', samplesPerSec: 400_000 },
        { impl: 'reclink-wasm-2t', batch: 64, mode: 'infer', samplesPerSec: 100_000 },
        { impl: 'torch-1t', batch: 64, mode: 'infer', samplesPerSec: 800_000 },
      ],
      peak: [{ threads: 1, gflops: 50 }, { threads: 2, gflops: 100 }],
      notes: ['PyTorch 2 threads was skipped'],
      environment: { node: 'v20', cpu: 'cpu', cores: 2, date: '2026-01-01', versions: {} },
    };
    const text = formatBench(report);
    // train: 300,000 · 259,000 = 77.7 GFLOP/s, 78% of the 2-thread peak, 3× torch.
    expect(text).toMatch(/64\s+reclink-wasm-2t\s+300,000\s+77\.7\s+78%\s+3\.0×/);
    // infer: 400,000 · 101,250 = 40.5 GFLOP/s, 81% of the 1-thread peak, 0.5× torch.
    expect(text).toMatch(/64\s+reclink-wasm\s+400,000\s+40\.5\s+81%\s+0\.5×/);
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
    expect(impls).toEqual(['reclink-js', 'reclink-wasm', 'reclink-wasm-2t', 'reclink-wasm-data-2t', 'tfjs-cpu', 'tfjs-wasm', 'torch-1t', 'torch-2t']);
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
