import type { Backend } from '../linalg/backend.js';
import { jsBackend } from '../linalg/js-backend.js';
import { clone, firstRows, rowRange, type Matrix } from '../linalg/matrix.js';
import { expectedValues } from '../data/checks.js';
import { InternalError, ReclinkError } from '../errors.js';
import { DEFAULT_CONFIG, type RecLinkConfig } from '../model/config.js';
import { RecLinkNet } from '../model/reclink-net.js';
import { traceModel, type Trace } from '../model/trace.js';
import { BatchMatrix } from '../nn/batch-matrix.js';
import { evaluate } from '../train/evaluate.js';
import type { Optimizer } from '../train/optimizer.js';
import { createOptimizer, TRAINING_DEFAULTS } from '../train/settings.js';
import { Trainer } from '../train/trainer.js';
import { checkSettings, needsRebuild, type LabOptimizer, type LabSettings } from './settings.js';

/** The samples the lab trains and validates on, one a row. */
export interface LabDataset {
  /** What the page calls it: `bundled MNIST-15`, `digits.csv`, ... */
  name: string;
  train: Matrix;
  validation: Matrix;
  /** The validation samples' digit labels, when the data has labels (the bundled digits do). */
  validationLabels?: Uint8Array;
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

/** A network loaded from a checkpoint, and the file's name for errors. */
export interface LoadedNet {
  net: RecLinkNet;
  source: string;
}

/** The lab never stops on its own: a run is as many epochs as the learner lets it train. */
const ENDLESS = Number.MAX_SAFE_INTEGER;
/** SGD's momentum when the lab offers it. */
const MOMENTUM = 0.9;

/**
 * A training run the page drives one step at a time: a `Trainer` over the network and an
 * optimizer made from the lab's settings. Steps and epochs count from the start, across the
 * trainers that a new batch size or optimizer brings; a reset is a new session. It has no
 * timers and no DOM; the worker loop calls it.
 */
export class LabSession {
  net!: RecLinkNet;
  private current: LabSettings;
  private optimizer!: Optimizer;
  private trainer!: Trainer;
  /** Steps and epochs of the trainers before the current one. */
  private done = { steps: 0, epochs: 0 };
  private readonly batchCopy: BatchMatrix;
  private lastBatch: Matrix | null = null;
  private stepPoint: LossPoint | null = null;

  /**
   * A run from step 0 on `dataset`: a fresh network of the architecture `start` (default:
   * the exercise's) with the settings' cycles, output activation and seed; or `start` itself,
   * a loaded network, whose cycles and output activation then replace the settings'.
   */
  constructor(
    readonly dataset: LabDataset,
    settings: LabSettings,
    readonly backend: Backend = jsBackend,
    start: RecLinkConfig | LoadedNet = DEFAULT_CONFIG,
  ) {
    if (dataset.train.rows < 1 || dataset.validation.rows < 1) {
      throw new ReclinkError(`${dataset.name} has ${dataset.train.rows} training and ${dataset.validation.rows} validation samples, expected at least one of each`);
    }
    this.current = checkSettings({ ...settings });
    this.batchCopy = new BatchMatrix(backend, dataset.train.cols, 'float32');
    if ('net' in start) {
      this.adopt(start);
    } else {
      const { cycles, outputActivation, seed } = this.current;
      this.start(new RecLinkNet({ ...start, inputSize: dataset.train.cols, cycles, outputActivation, seed }, { backend }));
    }
  }

  /** The settings in force. */
  get settings(): LabSettings {
    return { ...this.current };
  }

  /** Steps since the start. */
  get step(): number {
    return this.done.steps + this.trainer.position.globalStep;
  }

  /** Epochs completed since the start. */
  get epoch(): number {
    return this.done.epochs + this.trainer.position.epochsDone;
  }

  /**
   * Applies new settings: the learning rate at the next step; a new optimizer (fresh state)
   * or batch size from the next step, the epoch starting over. A new architecture or seed
   * needs a new session (`needsRebuild`).
   */
  configure(settings: LabSettings): void {
    const next = checkSettings({ ...settings });
    const previous = this.current;
    if (needsRebuild(previous, next)) throw new ReclinkError('configure cannot change the architecture or the seed, expected a new session for them');
    this.current = next;
    if (next.optimizer !== previous.optimizer) this.optimizer = makeOptimizer(this.net, next.optimizer, next.lr);
    else this.optimizer.lr = next.lr;
    if (next.optimizer !== previous.optimizer || next.batchSize !== previous.batchSize) this.replaceTrainer();
  }

  /** The point at step 0: the validation loss alone. */
  firstPoint(): LossPoint {
    return { step: 0, epoch: 0, train: null, validation: this.validationLoss() };
  }

  /** Starts from a loaded network: its cycles and output activation replace the settings'. */
  private adopt({ net, source }: LoadedNet): void {
    const { inputSize, cycles, outputActivation } = net.config;
    if (inputSize !== this.dataset.train.cols) {
      throw new ReclinkError(`${source}: the model expects ${expectedValues(inputSize)} a sample, the data ${this.dataset.name} has ${this.dataset.train.cols}`);
    }
    this.current = checkSettings({ ...this.current, cycles, outputActivation });
    this.start(net);
  }

  /**
   * One optimizer step on the next mini-batch; the validation loss is measured when it ends
   * an epoch. A loss, gradient or weight that is not finite stops the step and throws (the
   * trainer's divergence guard): the weights stay finite; a new session starts over.
   */
  trainStep(): LossPoint {
    this.stepPoint = null;
    if (!this.trainer.runStep() && this.trainer.divergence) {
      const { message } = this.trainer.divergence;
      this.replaceTrainer();
      throw new ReclinkError(`${message}; lower the learning rate (now ${this.current.lr}) and reset`);
    }
    if (this.stepPoint === null) throw new InternalError('the trainer took no step');
    return this.stepPoint;
  }

  /** E / N over the validation set. */
  validationLoss(): number {
    return evaluate(this.net, this.dataset.validation, this.current.batchSize).loss;
  }

  /** Y for the given rows, copied. */
  reconstruct(x: Matrix): Matrix {
    return clone(this.net.forward(x));
  }

  /** Every intermediate of validation sample `index`. */
  sampleTrace(index: number): Trace {
    const samples = this.dataset.validation;
    if (!Number.isInteger(index) || index < 0 || index >= samples.rows) {
      throw new ReclinkError(`sample ${index} does not exist, expected 0 to ${samples.rows - 1}`, 2);
    }
    return traceModel(this.net, rowRange(samples, index, index + 1));
  }

  /** The last training batch (the first rows of the training set before any step). */
  get currentBatch(): Matrix {
    return this.lastBatch ?? firstRows(this.dataset.train, this.current.batchSize);
  }

  private start(net: RecLinkNet): void {
    this.net = net;
    this.optimizer = makeOptimizer(net, this.current.optimizer, this.current.lr);
    this.trainer = this.makeTrainer();
  }

  /** A new trainer for the current optimizer and batch size; the step count goes on. */
  private replaceTrainer(): void {
    this.done = { steps: this.step, epochs: this.epoch };
    this.trainer = this.makeTrainer();
  }

  /** A trainer for the network, optimizer and batch size, reporting each step to `trainStep`. */
  private makeTrainer(): Trainer {
    const { batchSize, seed } = this.current;
    const trainer = new Trainer(this.net, this.optimizer, this.dataset.train, this.dataset.validation, { epochs: ENDLESS, batchSize, seed });
    trainer.on('batch', (event) => {
      const x = this.net.lastInput(); // the batch, until the next pass
      this.lastBatch = this.batchCopy.view(x.rows);
      this.lastBatch.data.set(x.data);
      this.stepPoint = { step: this.done.steps + event.globalStep, epoch: this.epoch, train: event.loss, validation: null };
    });
    trainer.on('epoch', (event) => {
      if (this.stepPoint) this.stepPoint = { ...this.stepPoint, epoch: this.epoch, validation: event.valLoss };
    });
    return trainer;
  }
}

/** The lab's optimizer as training settings name it: momentum and nesterov are SGD's. */
function makeOptimizer(net: RecLinkNet, kind: LabOptimizer, lr: number): Optimizer {
  const optimizer = kind === 'adam' || kind === 'adamw' ? kind : 'sgd';
  const momentum = kind === 'momentum' || kind === 'nesterov' ? MOMENTUM : 0;
  return createOptimizer(net, { ...TRAINING_DEFAULTS, optimizer, lr, momentum, nesterov: kind === 'nesterov' });
}
