import type { Backend } from '../linalg/backend.js';
import { jsBackend } from '../linalg/js-backend.js';
import { clone, type Matrix } from '../linalg/matrix.js';
import { ReclinkError } from '../errors.js';
import { RecLinkNet } from '../model/reclink-net.js';
import { traceModel, type Trace } from '../model/trace.js';
import { BatchMatrix } from '../nn/batch-matrix.js';
import { Random } from '../random.js';
import { checkSettings, needsRebuild, type LabSettings } from './settings.js';

/** The samples the lab trains and validates on, one a row. */
export interface LabDataset {
  /** What the page calls it: `MNIST-15 (bundled)`, `digits.csv`, ... */
  name: string;
  train: Matrix;
  validation: Matrix;
}

/** One point of the loss curves. Losses are per sample, E / N. */
export interface LossPoint {
  step: number;
  /** Epochs completed after this step. */
  epoch: number;
  /** E / N of this step's batch, before its update (null for the point at step 0). */
  train: number | null;
  /** E / N over the validation set, when the step ended an epoch (and at step 0), else null. */
  validation: number | null;
}

const VALIDATION_CHUNK = 500;

/**
 * A training run the page drives one step at a time: the network, its optimizer, the batch
 * order and the step count. It has no timers and no DOM; the worker loop calls it.
 */
export class LabSession {
  net!: RecLinkNet;
  step = 0;
  epoch = 0;
  private current: LabSettings;
  private random!: Random;
  private order!: Uint32Array;
  private cursor = 0;
  private adamStep = 0;
  private moments: Matrix[][] = [];
  private readonly batch: BatchMatrix;
  private lastBatch: Matrix | null = null;

  constructor(
    readonly dataset: LabDataset,
    settings: LabSettings,
    private readonly backend: Backend = jsBackend,
  ) {
    if (dataset.train.rows < 1) throw new ReclinkError(`${dataset.name} has no training samples, expected at least one`);
    this.current = checkSettings({ ...settings });
    this.batch = new BatchMatrix(backend, dataset.train.cols, 'float32');
    this.reset();
  }

  /** The settings in force. */
  get settings(): LabSettings {
    return { ...this.current };
  }

  /**
   * Applies new settings: the optimizer, learning rate and batch size take effect at the
   * next step; a new architecture or seed restarts training. Returns true when it restarted.
   */
  configure(settings: LabSettings): boolean {
    const next = checkSettings({ ...settings });
    const rebuild = needsRebuild(this.current, next);
    const optimizerChanged = next.optimizer !== this.current.optimizer;
    this.current = next;
    if (rebuild) this.reset();
    else if (optimizerChanged) this.resetOptimizer();
    return rebuild;
  }

  /** A fresh network from the seed, step 0; returns the first point (validation loss only). */
  reset(): LossPoint {
    const { cycles, outputActivation, seed } = this.current;
    this.net = new RecLinkNet({ inputSize: this.dataset.train.cols, cycles, outputActivation, seed }, { backend: this.backend });
    this.random = Random.fromSeed(seed);
    this.order = this.random.shuffle(Uint32Array.from({ length: this.dataset.train.rows }, (_, i) => i));
    this.cursor = 0;
    this.step = 0;
    this.epoch = 0;
    this.lastBatch = null;
    this.resetOptimizer();
    return { step: 0, epoch: 0, train: null, validation: this.validationLoss() };
  }

  /** One optimizer step on the next mini-batch; the validation loss is measured when it ends an epoch. */
  trainStep(): LossPoint {
    const x = this.nextBatch();
    const { loss } = this.net.computeGradients(x);
    if (!Number.isFinite(loss)) {
      throw new ReclinkError(`the loss became ${loss} at step ${this.step + 1}: lower the learning rate (now ${this.current.lr}) and reset`);
    }
    this.update();
    this.step++;
    this.lastBatch = x;
    const endsEpoch = this.cursor === 0;
    if (endsEpoch) this.epoch++;
    return { step: this.step, epoch: this.epoch, train: loss / x.rows, validation: endsEpoch ? this.validationLoss() : null };
  }

  /** E / N over the validation set (0 when it is empty). */
  validationLoss(): number {
    const { validation } = this.dataset;
    if (validation.rows === 0) return 0;
    let sum = 0;
    for (let first = 0; first < validation.rows; first += VALIDATION_CHUNK) {
      this.net.forward(rowRange(validation, first, Math.min(validation.rows, first + VALIDATION_CHUNK)));
      sum += this.net.loss('sum');
    }
    return sum / validation.rows;
  }

  /** Y for the given rows, copied. */
  reconstruct(x: Matrix): Matrix {
    return clone(this.net.forward(x));
  }

  /** The samples the views show: the validation set, or the training set when there is none. */
  get shownSamples(): Matrix {
    return this.dataset.validation.rows > 0 ? this.dataset.validation : this.dataset.train;
  }

  /** Every intermediate of sample `index` of `shownSamples`. */
  sampleTrace(index: number): Trace {
    const samples = this.shownSamples;
    if (!Number.isInteger(index) || index < 0 || index >= samples.rows) {
      throw new ReclinkError(`sample ${index} does not exist, expected 0 to ${samples.rows - 1}`, 2);
    }
    return traceModel(this.net, rowRange(samples, index, index + 1));
  }

  /** The last training batch (the first batch before any step). */
  get currentBatch(): Matrix {
    return this.lastBatch ?? rowRange(this.dataset.train, 0, Math.min(this.current.batchSize, this.dataset.train.rows));
  }

  private nextBatch(): Matrix {
    const { train } = this.dataset;
    const n = Math.min(this.current.batchSize, train.rows - this.cursor);
    const x = this.batch.rows(n);
    const d = train.cols;
    for (let i = 0; i < n; i++) {
      const row = this.order[this.cursor + i];
      x.data.set(train.data.subarray(row * d, (row + 1) * d), i * d);
    }
    this.cursor += n;
    if (this.cursor === train.rows) {
      this.cursor = 0;
      this.random.shuffle(this.order);
    }
    return x;
  }

  private resetOptimizer(): void {
    this.adamStep = 0;
    this.moments = this.net.parameters.map((p) => [0, 1].map(() => this.backend.alloc(p.value.rows, p.value.cols, 'float32')));
  }

  private update(): void {
    const { optimizer, lr } = this.current;
    const adam = optimizer === 'adam' || optimizer === 'adamw';
    if (adam) this.adamStep++;
    this.net.parameters.forEach((p, i) => {
      const [m, v] = this.moments[i];
      if (adam) {
        this.backend.adamUpdate(p.value, p.grad, m, v, { lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: optimizer === 'adamw' ? 0.01 : 0, decoupled: optimizer === 'adamw', step: this.adamStep });
      } else {
        const momentum = optimizer === 'sgd' ? 0 : 0.9;
        this.backend.sgdUpdate(p.value, p.grad, momentum > 0 ? m : null, { lr, momentum, dampening: 0, weightDecay: 0, nesterov: optimizer === 'nesterov', firstStep: this.step === 0 });
      }
    });
  }
}

/** Rows `first` to `end − 1` of `m`, sharing its storage. */
export function rowRange(m: Matrix, first: number, end: number): Matrix {
  return { rows: end - first, cols: m.cols, data: m.data.subarray(first * m.cols, end * m.cols) };
}
