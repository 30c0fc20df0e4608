import type { Matrix } from '../linalg/matrix.js';
import { checkSamples, type RecLinkNet } from '../model/reclink-net.js';
import { BatchMatrix } from '../nn/batch-matrix.js';
import { ReclinkError } from '../errors.js';
import { Random } from '../random.js';
import { gatherRows, shuffledOrder } from './batches.js';
import { clipGradNorm, globalNorm, gradNorm } from './clip.js';
import { evaluate } from './evaluate.js';
import { Emitter, type Divergence, type EpochRecord, type Listener, type StopReason, type TrainerEvents } from './events.js';
import { RollbackPoint } from './rollback-point.js';
import type { Optimizer } from './optimizer.js';
import { resolveTrainerOptions, type TrainerOptions, type TrainerOptionsInput } from './trainer-options.js';
import { checkTrainerJson, maxSampleLoss, type BestScore, type Progress, type TrainerState } from './trainer-state.js';
import { checkMatrices, copyMatrices, firstNonFinite, prefixed, Snapshot, type NamedMatrices } from './tensors.js';

/** How a run ended, and what it reached. */
export interface TrainResult {
  stopReason: StopReason;
  /** Epochs and steps completed. */
  epochs: number;
  steps: number;
  best: BestScore | null;
  /** Set when the run stopped on a value that was not finite. */
  divergence: Divergence | null;
  history: EpochRecord[];
}

/**
 * Trains a `RecLinkNet` to reconstruct its input: epochs of seeded-shuffled mini-batches,
 * validation after each epoch, the best weights kept, early stopping, a divergence guard,
 * progress events, and a state to save and resume from exactly.
 *
 * One step: copy the batch's rows (in this epoch's order) into a batch matrix allocated
 * once in the backend; set the learning rate from the schedule; compute the loss and
 * gradients; take the global gradient norm (clipping it when asked); refuse the step if the
 * loss or the norm is not finite; update.
 *
 * The divergence guard, without a copy per step: a step whose loss or gradient norm is not
 * finite is refused (the weights from before it stay), and training stops. After every
 * update the weights' norm is checked; at every epoch's end, and before a requested stop,
 * the optimizer's buffers are (an overflowed second moment of Adam leaves the weights
 * finite, frozen). If an update overflowed the weights, the optimizer state is not finite or
 * the validation loss is not, the rollback point (the last good weights, optimizer state and
 * progress, copied once an epoch) is restored. Either way `divergence` says what happened,
 * and neither the weights nor the state are ever left NaN or infinite.
 *
 * Everything is sequential and seeded: the same seed, model and options give
 * bit-identical weights, and `state()` taken at any step and given to `restore` continues
 * exactly as if never stopped.
 *
 * @example
 * const net = new RecLinkNet({ seed: 0 });
 * const trainer = new Trainer(net, new Adam(net), train, test, { epochs: 10, batchSize: 64 });
 * trainer.on('epoch', (e) => console.log(e.epoch, e.valMse));
 * const result = trainer.run();
 */
export class Trainer {
  readonly options: TrainerOptions;
  readonly stepsPerEpoch: number;
  private readonly events = new Emitter<TrainerEvents>();
  private readonly weights: NamedMatrices;
  private readonly batch: BatchMatrix;
  private readonly order: Uint32Array;
  private random: Random;
  private epochStartRng: number[] = [];
  private orderReady = false;
  private progress: Progress = { epochsDone: 0, stepInEpoch: 0, globalStep: 0, epochLoss: 0, epochSamples: 0 };
  private records: EpochRecord[] = [];
  private bestScore: BestScore | null = null;
  private readonly bestWeightsSnapshot: Snapshot;
  private epochsWithoutImprovement = 0;
  private outcome: Exclude<StopReason, 'requested'> | null = null;
  private divergenceRecord: Divergence | null = null;
  private stopRequested = false;
  /** Weights, optimizer state and progress at the latest epoch's end (or where training started or resumed). */
  private rollbackPoint: RollbackPoint;
  private clock = { start: 0, samples: 0 };

  constructor(
    readonly net: RecLinkNet,
    readonly optimizer: Optimizer,
    readonly train: Matrix,
    readonly validation: Matrix,
    options: TrainerOptionsInput = {},
  ) {
    this.options = resolveTrainerOptions(options);
    checkSamples('the training set', train, net.config.inputSize);
    checkSamples('the validation set', validation, net.config.inputSize);
    if (this.options.gradients && this.options.gradients.net !== net) throw new ReclinkError('the gradient source computes for another model than the trainer\'s', 2);
    this.stepsPerEpoch = Math.ceil(train.rows / this.options.batchSize);
    this.weights = Object.fromEntries(net.parameters.map((p) => [p.name, p.value]));
    this.batch = new BatchMatrix(net.backend, net.config.inputSize, net.dtype);
    this.batch.view(Math.min(this.options.batchSize, train.rows)); // allocated once, at full size
    this.order = new Uint32Array(train.rows);
    this.random = Random.fromSeed(this.options.seed, 'shuffle');
    this.bestWeightsSnapshot = new Snapshot(this.weights, net.backend);
    this.rollbackPoint = new RollbackPoint(net, this.weights, optimizer, this.progress);
  }

  /** Calls `listener` on every `name` event; returns a function that unsubscribes it. */
  on<K extends keyof TrainerEvents>(name: K, listener: Listener<TrainerEvents[K]>): () => void {
    return this.events.on(name, listener);
  }

  /** Asks a running `run`, `runAsync` or `runEpoch` to end after the current step (a Ctrl-C handler calls it). */
  stop(): void {
    this.stopRequested = true;
  }

  /** Whether training is over: every epoch ran, early stopping, or divergence. */
  get finished(): boolean {
    return this.outcome !== null;
  }

  /** Epochs and steps completed. */
  get position(): Readonly<Pick<Progress, 'epochsDone' | 'stepInEpoch' | 'globalStep'>> {
    const { epochsDone, stepInEpoch, globalStep } = this.progress;
    return { epochsDone, stepInEpoch, globalStep };
  }

  /** One record per validated epoch. */
  get history(): readonly EpochRecord[] {
    return this.records;
  }

  /** The best epoch so far by validation loss, or null before the first epoch ends. */
  get best(): BestScore | null {
    return this.bestScore;
  }

  /** Set when training stopped on a value that was not finite. */
  get divergence(): Divergence | null {
    return this.divergenceRecord;
  }

  /** The weights of the best epoch (a copy kept by the trainer), or null before the first epoch ends. */
  bestWeights(): NamedMatrices | null {
    return this.bestScore ? this.bestWeightsSnapshot.saved : null;
  }

  /** Copies the best epoch's weights into the model. */
  restoreBest(): void {
    if (!this.bestScore) throw new ReclinkError('no epoch has been validated yet, so there are no best weights to restore');
    this.bestWeightsSnapshot.restore();
  }

  /** Runs until training is over or `stop()` is called; synchronous. */
  run(): TrainResult {
    this.startClock();
    while (this.running()) this.runStep();
    return this.endRun();
  }

  /**
   * `run`, yielding to the event loop at least every `yieldEveryMs` milliseconds so that
   * signal handlers (Ctrl-C) and progress redraws get their turn. The result is the same.
   */
  async runAsync(yieldEveryMs = 50): Promise<TrainResult> {
    this.startClock();
    let lastYield = performance.now();
    while (this.running()) {
      this.runStep();
      if (performance.now() - lastYield >= yieldEveryMs) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
    return this.endRun();
  }

  /** Runs the rest of the current epoch; returns its record, or null if it did not finish. */
  runEpoch(): EpochRecord | null {
    this.startClock();
    const epoch = this.progress.epochsDone;
    while (this.running() && this.progress.epochsDone === epoch) this.runStep();
    this.answerStop();
    return this.progress.epochsDone > epoch ? this.records[epoch] : null;
  }

  /**
   * One optimizer step (and, after an epoch's last step, its validation). Returns whether
   * training goes on: false once every epoch ran, early stopping struck or it diverged.
   */
  runStep(): boolean {
    if (this.outcome !== null) return false;
    const { batchSize, schedule, clipNorm, reduction } = this.options;
    const p = this.progress;
    if (p.stepInEpoch === this.stepsPerEpoch) return this.endEpoch(); // resumed from a state taken in a `batch` handler
    if (!this.orderReady) this.startEpoch();
    const start = p.stepInEpoch * batchSize;
    const x = this.batch.view(Math.min(batchSize, this.train.rows - start));
    gatherRows(this.train, this.order, start, x);
    if (schedule) this.optimizer.lr = schedule({ epoch: p.epochsDone, step: p.globalStep });
    const { loss } = (this.options.gradients ?? this.net).computeGradients(x, reduction);
    const norm = clipNorm === null ? gradNorm(this.net) : clipGradNorm(this.net, clipNorm);
    if (!Number.isFinite(loss)) return this.diverge('loss', loss);
    if (!Number.isFinite(norm)) return this.diverge('gradient norm', norm);
    this.optimizer.step();
    const weightNorm = globalNorm(this.net, 'value'); // not finite once an update has overflowed a weight
    if (!Number.isFinite(weightNorm)) return this.diverge('weight norm', weightNorm);
    const sse = reduction === 'sum' ? loss : loss * x.rows * x.cols;
    p.epochLoss += sse;
    p.epochSamples += x.rows;
    p.stepInEpoch++;
    p.globalStep++;
    if (this.events.has('batch')) this.emitBatch(sse / x.rows);
    return p.stepInEpoch === this.stepsPerEpoch ? this.endEpoch() : true;
  }

  /**
   * Everything needed to resume exactly, at any point between steps or from an event
   * handler. The tensors are live buffers: write or copy them before the next step.
   */
  state(): TrainerState {
    const optimizer = this.optimizer.state();
    const best = this.bestScore ? prefixed('best.', this.bestWeightsSnapshot.saved) : {};
    return {
      tensors: { ...this.weights, ...optimizer.tensors, ...best },
      json: {
        version: 1,
        batchSize: this.options.batchSize,
        trainSize: this.train.rows,
        ...this.progress,
        rng: this.needsOrder() ? [...this.epochStartRng] : this.random.state(),
        best: this.bestScore && { ...this.bestScore },
        epochsWithoutImprovement: this.epochsWithoutImprovement,
        history: this.records.map((r) => ({ ...r })),
        optimizer: optimizer.json,
      },
    };
  }

  /** Continues from a state saved by `state()` (same batch size and training data); a bad state changes nothing. */
  restore(state: TrainerState): void {
    const { json, tensors } = state;
    const shape = { batchSize: this.options.batchSize, trainSize: this.train.rows, stepsPerEpoch: this.stepsPerEpoch };
    checkTrainerJson(json, { ...shape, maxSampleLoss: maxSampleLoss(this.net.config.inputSize, this.net.dtype) });
    const bestTargets = json.best ? prefixed('best.', this.bestWeightsSnapshot.saved) : {};
    checkMatrices(tensors, { ...this.weights, ...bestTargets });
    this.optimizer.loadState({ tensors, json: json.optimizer });
    copyMatrices(tensors, { ...this.weights, ...bestTargets });
    const { epochsDone, stepInEpoch, globalStep, epochLoss, epochSamples } = json;
    this.progress = { epochsDone, stepInEpoch, globalStep, epochLoss, epochSamples };
    this.records = json.history.map((r) => ({ ...r }));
    this.bestScore = json.best && { ...json.best };
    this.epochsWithoutImprovement = json.epochsWithoutImprovement;
    this.random = Random.fromState(json.rng);
    this.orderReady = false;
    this.divergenceRecord = null;
    this.outcome = this.finishedReason();
    this.rollbackPoint = new RollbackPoint(this.net, this.weights, this.optimizer, this.progress); // loading may add or drop buffers
  }

  /** Whether steps of the current epoch remain, in an order already drawn. */
  private needsOrder(): boolean {
    return this.orderReady && this.progress.stepInEpoch < this.stepsPerEpoch;
  }

  private running(): boolean {
    return this.outcome === null && !this.stopRequested;
  }

  /** Ends a run loop: a pending stop request is answered with a `stopped` event and cleared. */
  private answerStop(): void {
    if (this.stopRequested && this.outcome === null && this.optimizerStateFinite()) this.emitStopped('requested');
    this.stopRequested = false;
  }

  private endRun(): TrainResult {
    this.answerStop();
    return {
      stopReason: this.outcome ?? 'requested',
      epochs: this.progress.epochsDone,
      steps: this.progress.globalStep,
      best: this.bestScore && { ...this.bestScore },
      divergence: this.divergenceRecord,
      history: this.records.map((r) => ({ ...r })),
    };
  }

  private startEpoch(): void {
    this.epochStartRng = this.random.state();
    shuffledOrder(this.order, this.random);
    this.orderReady = true;
    this.startClock();
  }

  /** Validates the epoch, keeps the best weights, saves the rollback point; returns whether training goes on. */
  private endEpoch(): boolean {
    const p = this.progress;
    if (!this.optimizerStateFinite()) return false;
    const validation = evaluate(this.net, this.validation, this.options.batchSize, this.batch);
    if (!Number.isFinite(validation.loss)) return this.diverge('validation loss', validation.loss);
    const record: EpochRecord = {
      epoch: p.epochsDone + 1,
      trainLoss: p.epochLoss / p.epochSamples,
      valLoss: validation.loss,
      valMse: validation.mse,
      lr: this.optimizer.lr,
    };
    const minDelta = this.options.earlyStopping?.minDelta ?? 0;
    const improved = this.bestScore === null || record.valLoss < this.bestScore.valLoss - minDelta;
    if (improved) {
      this.bestScore = { epoch: record.epoch, valLoss: record.valLoss, valMse: record.valMse };
      this.bestWeightsSnapshot.save();
      this.epochsWithoutImprovement = 0;
    } else {
      this.epochsWithoutImprovement++;
    }
    this.records.push(record);
    this.progress = { epochsDone: p.epochsDone + 1, stepInEpoch: 0, globalStep: p.globalStep, epochLoss: 0, epochSamples: 0 };
    this.orderReady = false;
    this.rollbackPoint.save(this.progress);
    this.outcome = this.finishedReason();
    this.events.emit('epoch', { ...record, seconds: this.elapsedSeconds(), best: improved });
    if (this.outcome === 'early-stopping') this.emitStopped('early-stopping');
    return this.outcome === null;
  }

  private finishedReason(): 'completed' | 'early-stopping' | null {
    const stopping = this.options.earlyStopping;
    if (this.progress.epochsDone >= this.options.epochs) return 'completed';
    if (stopping && this.epochsWithoutImprovement >= stopping.patience) return 'early-stopping';
    return null;
  }

  /** Whether the optimizer's buffers are finite; if not, training diverges. */
  private optimizerStateFinite(): boolean {
    const bad = firstNonFinite(this.optimizer.state().tensors);
    return bad === null || this.diverge('optimizer state', bad.value);
  }

  /**
   * Ends training on a value that is not finite. A bad loss or gradient norm was caught
   * before its update: the weights are those from before that step. Bad weights, optimizer
   * state or validation loss come after updates: the rollback point is restored.
   */
  private diverge(quantity: Divergence['quantity'], value: number): false {
    const p = this.progress;
    const epoch = p.epochsDone + 1;
    const beforeUpdate = quantity === 'loss' || quantity === 'gradient norm';
    const step = quantity === 'weight norm' || beforeUpdate ? p.stepInEpoch + 1 : p.stepInEpoch; // progress counts a step after its update
    if (!beforeUpdate) this.progress = this.rollbackPoint.restore();
    const keptStep = this.progress.globalStep;
    this.divergenceRecord = {
      quantity,
      value,
      epoch,
      step,
      keptStep,
      message: `training diverged: the ${quantity} was ${value} at epoch ${epoch}, step ${step}; kept the weights from after step ${keptStep}`,
    };
    this.outcome = 'diverged';
    this.events.emit('diverged', this.divergenceRecord);
    this.emitStopped('diverged');
    return false;
  }

  private emitBatch(loss: number): void {
    const p = this.progress;
    this.events.emit('batch', {
      epoch: p.epochsDone + 1,
      step: p.stepInEpoch,
      stepsPerEpoch: this.stepsPerEpoch,
      globalStep: p.globalStep,
      loss,
      lr: this.optimizer.lr,
      samples: p.epochSamples,
      samplesPerSec: (p.epochSamples - this.clock.samples) / Math.max(this.elapsedSeconds(), 1e-6),
    });
  }

  private emitStopped(reason: 'early-stopping' | 'requested' | 'diverged'): void {
    this.events.emit('stopped', { reason, epochs: this.progress.epochsDone, globalStep: this.progress.globalStep });
  }

  private startClock(): void {
    this.clock = { start: performance.now(), samples: this.progress.epochSamples };
  }

  private elapsedSeconds(): number {
    return (performance.now() - this.clock.start) / 1000;
  }
}

/** Lets the event loop run (Node: `setImmediate`; a browser: a zero timeout). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}
