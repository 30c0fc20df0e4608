// Parity with PyTorch, float64 on PyTorch's side: `reclink trace` (the command line, float32)
// against autograd on PyTorch's own models, and the Trainer's Adam and SGD with momentum in
// float64 against torch.optim on the same initial weights and batches. PyTorch's side is
// test/torch/parity.py; files pass through a temporary folder. The suite needs a Python
// that imports torch (test/python.ts); without one it skips, and under CI=true the run fails.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMnist15 } from '../src/data/mnist15.js';
import { fromValues, type Matrix } from '../src/linalg/matrix.js';
import { DEFAULT_CONFIG, resolveConfig, type RecLinkConfig } from '../src/model/config.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { readNpy, writeNpy } from '../src/io/npy.js';
import { readSafetensors } from '../src/io/safetensors.js';
import { Adam, type AdamOptions } from '../src/train/adam.js';
import type { GradientSource } from '../src/train/gradient-source.js';
import type { Optimizer } from '../src/train/optimizer.js';
import { Sgd, type SgdOptions } from '../src/train/sgd.js';
import { Trainer } from '../src/train/trainer.js';
import { reclink, root } from './cli-helpers.js';
import { relativeError } from './helpers.js';
import { HAS_TORCH, PYTHON } from './python.js';

const SCRIPT = join(root, 'test', 'torch', 'parity.py');

/** max |Δ| / max |PyTorch| per tensor: `trace` runs in float32, PyTorch in float64. */
const TRACE_TOLERANCE = 1e-6;
/** The same, for weights, losses and optimizer state after every step, both sides in float64. */
const TRAIN_TOLERANCE = 1e-10;

/** Runs test/torch/parity.py in `mode` on `folder`. */
function torch(mode: 'trace' | 'train', folder: string): void {
  const run = spawnSync(PYTHON, [SCRIPT, mode, folder], { encoding: 'utf8', timeout: 300_000 });
  expect(run.status, `parity.py ${mode}: ${run.stderr}`).toBe(0);
}

/** An NPY file PyTorch's side wrote, as flat float64 values. */
function npy(path: string): Float64Array {
  return Float64Array.from(readNpy(path).data);
}

interface TraceCase extends Partial<RecLinkConfig> {
  label: string;
  batch: number;
  seed: number;
}

/** The exercise's network and five others: every field `trace` must read from a plain file, or be told. */
const TRACE_CASES: TraceCase[] = [
  { label: 'the default network', batch: 5, seed: 0 },
  { label: 'hidden 50, 3 cycles', hiddenSize: 50, cycles: 3, batch: 4, seed: 1 },
  { label: 'link stride 4 with a link bias', linkStride: 4, linkBias: true, batch: 3, seed: 2 },
  { label: 'link stride 5, sigmoid output', linkStride: 5, outputActivation: 'sigmoid', batch: 5, seed: 3 },
  { label: 'identity output, 4 cycles', outputActivation: 'identity', cycles: 4, batch: 2, seed: 4 },
  { label: 'input 100, link stride 2', inputSize: 100, linkStride: 2, batch: 6, seed: 5 },
];

/** A recording gradient source: the model's own gradients, and a copy of every batch and its loss. */
function recorder(net: RecLinkNet): GradientSource & { batches: Float64Array[]; losses: number[] } {
  const batches: Float64Array[] = [], losses: number[] = [];
  return {
    net,
    batches,
    losses,
    computeGradients(x, reduction) {
      batches.push(Float64Array.from(x.data));
      const result = net.computeGradients(x, reduction);
      losses.push(result.loss);
      return result;
    },
  };
}

/** Rows of the bundled digits, every `step`-th from `first` (the set is ordered by digit: this takes every class), in float64. */
function digits(count: number, first: number, step: number): Matrix {
  const { x } = loadMnist15();
  const rows = Array.from({ length: count }, (_, i) => Array.from(x.data.subarray((first + i * step) * x.cols, (first + i * step + 1) * x.cols)));
  return fromValues(count, x.cols, rows.flat(), 'float64');
}

/** An optimizer's hyperparameters, every one given, as both sides take them. */
type OptimizerSpec = ({ kind: 'adam' } & AdamOptions) | ({ kind: 'sgd' } & SgdOptions);

/** Non-default hyperparameters, so that a swapped or ignored one shows. */
const TRAIN_CASES: { label: string; spec: OptimizerSpec }[] = [
  { label: 'Adam', spec: { kind: 'adam', lr: 2e-3, betas: [0.85, 0.995], eps: 1e-7, weightDecay: 1e-3 } },
  { label: 'SGD with momentum', spec: { kind: 'sgd', lr: 1e-4, momentum: 0.9, dampening: 0.1, weightDecay: 1e-3, nesterov: false } },
];
const EPOCHS = 11, BATCH_SIZE = 16, TRAIN_SIZE = 160;

function optimizerFor(net: RecLinkNet, spec: OptimizerSpec): Optimizer {
  return spec.kind === 'adam' ? new Adam(net, spec) : new Sgd(net, spec);
}

describe.skipIf(!HAS_TORCH)('parity with PyTorch in float64', () => {
  let scratch = '';
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'reclink-torch-parity-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  describe('reclink trace against autograd, on PyTorch\'s own models', () => {
    const caseFolder = (i: number): string => join(scratch, 'trace', `case${i}`);
    beforeAll(() => {
      const folder = join(scratch, 'trace');
      mkdirSync(folder);
      const configs = TRACE_CASES.map(({ label: _, batch, ...c }, i) => ({ ...resolveConfig(c), batch, folder: `case${i}` }));
      writeFileSync(join(folder, 'spec.json'), JSON.stringify({ configs }));
      torch('trace', folder);
    });

    it.each(TRACE_CASES.map((c, i) => ({ ...c, i })))('$label: loss, every intermediate and every gradient', ({ i, cycles, outputActivation }) => {
      const dir = caseFolder(i);
      const out = join(dir, 'trace.safetensors');
      // What a plain safetensors file cannot tell; the sizes, the stride and the link bias come from its shapes.
      const flags = ['--cycles', String(cycles ?? DEFAULT_CONFIG.cycles), '--output-activation', outputActivation ?? DEFAULT_CONFIG.outputActivation];
      const run = reclink('trace', '--model', join(dir, 'model.safetensors'), '--input', join(dir, 'x.npy'), '--out', out, ...flags);
      expect(run.status, run.stderr).toBe(0);
      const trace = readSafetensors(out);
      const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { loss: number; tensors: string[] };
      expect([...trace.tensors.keys()].sort()).toEqual([...expected.tensors].sort());
      expect(Math.abs(Number(trace.metadata.loss) - expected.loss) / expected.loss, 'loss').toBeLessThan(TRACE_TOLERANCE);
      for (const name of expected.tensors) {
        const reference = npy(join(dir, `expected.${name}.npy`));
        expect(relativeError(trace.tensors.get(name)!.data, reference), name).toBeLessThan(TRACE_TOLERANCE);
      }
    });
  });

  describe.each(TRAIN_CASES)('the Trainer with $label against torch.optim', ({ label, spec }) => {
    it(`equal after ${(EPOCHS * TRAIN_SIZE) / BATCH_SIZE} steps: every step's loss, the weights and the optimizer's state`, () => {
      const folder = join(scratch, label.replace(/\W+/g, '-'));
      mkdirSync(folder);
      const net = new RecLinkNet({}, { dtype: 'float64' });
      for (const p of net.parameters) writeNpy(join(folder, `init.${p.name}.npy`), p.value);
      const source = recorder(net);
      const optimizer = optimizerFor(net, spec);
      const trainer = new Trainer(net, optimizer, digits(TRAIN_SIZE, 3, 61), digits(16, 7, 613), { epochs: EPOCHS, batchSize: BATCH_SIZE, seed: 5, gradients: source });
      const result = trainer.run();
      expect(result.stopReason).toBe('completed');
      expect(result.steps).toBe((EPOCHS * TRAIN_SIZE) / BATCH_SIZE);

      const d = net.config.inputSize;
      const rows = Float64Array.from(source.batches.flatMap((b) => Array.from(b)));
      writeNpy(join(folder, 'batches.npy'), { rows: rows.length / d, cols: d, data: rows });
      const sizes = source.batches.map((b) => b.length / d);
      writeFileSync(join(folder, 'spec.json'), JSON.stringify({ config: net.config, optimizer: spec, reduction: trainer.options.reduction, batches: sizes }));
      torch('train', folder);

      expect(relativeError(source.losses, npy(join(folder, 'losses.npy'))), 'losses').toBeLessThan(TRAIN_TOLERANCE);
      for (const p of net.parameters) expect(relativeError(p.value.data, npy(join(folder, `final.${p.name}.npy`))), p.name).toBeLessThan(TRAIN_TOLERANCE);
      const state = Object.entries(optimizer.state().tensors);
      expect(state.length).toBe(net.parameters.length * (spec.kind === 'adam' ? 2 : 1));
      for (const [name, m] of state) {
        const torchName = name.replace(/^optimizer\./, 'state.');
        expect(relativeError(m.data, npy(join(folder, `${torchName}.npy`))), name).toBeLessThan(TRAIN_TOLERANCE);
      }
    });
  });
});
