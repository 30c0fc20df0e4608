import { describe, expect, it } from 'vitest';
import type { Backend } from '../src/linalg/backend.js';
import { jsBackend } from '../src/linalg/js-backend.js';
import { clone, fromValues, type Matrix } from '../src/linalg/matrix.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { Random } from '../src/random.js';
import { Adam } from '../src/train/adam.js';
import { evaluate } from '../src/train/evaluate.js';
import type { BatchEvent, TrainerEvents } from '../src/train/events.js';
import type { Optimizer } from '../src/train/optimizer.js';
import { cosineSchedule, linearWarmup, stepSchedule } from '../src/train/schedule.js';
import { Sgd } from '../src/train/sgd.js';
import { Trainer } from '../src/train/trainer.js';
import type { TrainerOptionsInput } from '../src/train/trainer-options.js';
import type { TrainerState } from '../src/train/trainer-state.js';

const D = 12;

/**
 * Mixtures of two fixed random patterns, clipped to [0, 1]: data with structure an
 * autoencoder can learn. 40 training rows (batches of 7: six steps an epoch, the last of
 * five rows) and 12 validation rows.
 */
function synthetic(): { train: Matrix; validation: Matrix } {
  const random = Random.fromSeed(42);
  const patterns = [0, 1].map(() => Array.from({ length: D }, () => random.uniform()));
  const rows = (n: number): Matrix =>
    fromValues(n, D, Array.from({ length: n }).flatMap(() => {
      const a = random.uniform(), b = random.uniform();
      return patterns[0].map((p, j) => Math.min(1, a * p + b * patterns[1][j]));
    }));
  return { train: rows(40), validation: rows(12) };
}
const data = synthetic();

type MakeOptimizer = (net: RecLinkNet) => Optimizer;

interface Setup {
  net: RecLinkNet;
  trainer: Trainer;
}

interface SetupChoices {
  modelSeed?: number;
  backend?: Backend;
  train?: Matrix;
}

/** A small model (12 → 6, link stride 3, two cycles, ReLU output) and its trainer: 4 epochs, batches of 7. */
function setup(options: TrainerOptionsInput = {}, makeOptimizer: MakeOptimizer = (net) => new Adam(net, { lr: 0.01 }), choices: SetupChoices = {}): Setup {
  const { modelSeed = 1, backend = jsBackend, train = data.train } = choices;
  const net = new RecLinkNet({ inputSize: D, hiddenSize: 6, seed: modelSeed }, { backend });
  const trainer = new Trainer(net, makeOptimizer(net), train, data.validation, { epochs: 4, batchSize: 7, seed: 3, ...options });
  return { net, trainer };
}

const weightsOf = (net: RecLinkNet): number[][] => net.parameters.map((p) => Array.from(p.value.data));

/** A state as a checkpoint would carry it: tensors copied, JSON through text. */
function saved(state: TrainerState): TrainerState {
  const tensors = Object.fromEntries(Object.entries(state.tensors).map(([name, m]) => [name, clone(m)]));
  return { tensors, json: JSON.parse(JSON.stringify(state.json)) };
}

function stopAtStep(trainer: Trainer, step: number): void {
  trainer.on('batch', (e) => {
    if (e.globalStep === step) trainer.stop();
  });
}

describe('Trainer: determinism and exact resume', () => {
  it('gives bit-identical weights for the same seed, and others for another shuffle seed', () => {
    const a = setup(), b = setup(), c = setup({ seed: 4 });
    const [ra, rb] = [a.trainer.run(), b.trainer.run()];
    c.trainer.run();
    expect(weightsOf(a.net)).toEqual(weightsOf(b.net));
    expect(ra).toEqual(rb);
    expect(weightsOf(c.net)).not.toEqual(weightsOf(a.net));
  });

  const variants: [string, TrainerOptionsInput, MakeOptimizer][] = [
    [
      'Adam, warm-up and cosine per step, clipping, early stopping',
      // No epoch beats the first by 1e9: the counter runs 1, 2, 3 and stops training after epoch 4 of 6.
      { epochs: 6, schedule: linearWarmup(cosineSchedule(0.02, { total: 24, per: 'step' }), { steps: 5 }), clipNorm: 0.5, earlyStopping: { patience: 3, minDelta: 1e9 } },
      (net) => new Adam(net, { lr: 0.01 }),
    ],
    ['SGD with Nesterov momentum, step decay per epoch, mean loss', { schedule: stepSchedule(0.5, { stepSize: 2, gamma: 0.5 }), reduction: 'mean' }, (net) => new Sgd(net, { momentum: 0.9, nesterov: true, weightDecay: 1e-3 })],
  ];

  for (const [name, options, makeOptimizer] of variants) {
    // Stops mid-epoch (3, 14) and at an epoch boundary (6: six steps an epoch).
    it.each([3, 6, 14])(`${name}: stopped after %i steps and resumed, it ends bit-identical to an uninterrupted run`, (k) => {
      const whole = setup(options, makeOptimizer);
      const wholeResult = whole.trainer.run();
      expect(wholeResult.stopReason).toBe(options.earlyStopping ? 'early-stopping' : 'completed');

      const first = setup(options, makeOptimizer);
      stopAtStep(first.trainer, k);
      expect(first.trainer.run()).toMatchObject({ stopReason: 'requested', steps: k });
      const checkpoint = saved(first.trainer.state());

      const resumed = setup(options, makeOptimizer, { modelSeed: 99 }); // other initial weights: the state must carry them
      resumed.trainer.restore(checkpoint);
      const resumedResult = resumed.trainer.run();

      expect(weightsOf(resumed.net)).toEqual(weightsOf(whole.net));
      expect(resumedResult).toEqual(wholeResult);
      expect(saved(resumed.trainer.state())).toEqual(saved(whole.trainer.state()));
    });
  }

  it.each([3, 6])('resumes exactly from a state taken inside the batch handler of step %i', (k) => {
    const whole = setup();
    whole.trainer.run();
    const first = setup();
    let checkpoint: TrainerState | null = null;
    first.trainer.on('batch', (e) => {
      if (e.globalStep === k) checkpoint = saved(first.trainer.state());
    });
    first.trainer.run();
    const resumed = setup({}, undefined, { modelSeed: 99 });
    resumed.trainer.restore(checkpoint!);
    resumed.trainer.run();
    expect(weightsOf(resumed.net)).toEqual(weightsOf(whole.net));
    expect(resumed.trainer.history).toEqual(whole.trainer.history);
  });

  it('a finished run resumed with more epochs goes on; one that stopped early stays stopped', () => {
    const short = setup({ epochs: 2 });
    short.trainer.run();
    const longer = setup({ epochs: 4 });
    longer.trainer.restore(saved(short.trainer.state()));
    expect(longer.trainer.run()).toMatchObject({ stopReason: 'completed', epochs: 4 });
    const whole = setup({ epochs: 4 });
    whole.trainer.run();
    expect(weightsOf(longer.net)).toEqual(weightsOf(whole.net));

    const stopped = setup({ epochs: 10, earlyStopping: { patience: 1, minDelta: 1e9 } });
    expect(stopped.trainer.run()).toMatchObject({ stopReason: 'early-stopping', epochs: 2 });
    const again = setup({ epochs: 10, earlyStopping: { patience: 1, minDelta: 1e9 } });
    again.trainer.restore(saved(stopped.trainer.state()));
    expect(again.trainer.finished).toBe(true);
  });

  it('continues exactly when run() is called again after a stop', () => {
    const whole = setup();
    whole.trainer.run();
    const paused = setup();
    stopAtStep(paused.trainer, 4);
    const stops: TrainerEvents['stopped'][] = [];
    paused.trainer.on('stopped', (e) => stops.push(e));
    expect(paused.trainer.run()).toMatchObject({ stopReason: 'requested', epochs: 0, steps: 4 });
    expect(stops).toEqual([{ reason: 'requested', epochs: 0, globalStep: 4 }]);
    expect(paused.trainer.run().stopReason).toBe('completed');
    expect(weightsOf(paused.net)).toEqual(weightsOf(whole.net));
  });

  it('runAsync yields to the event loop, where a stop request lands, and gives the same weights', async () => {
    const whole = setup();
    whole.trainer.run();
    const interrupted = setup();
    setImmediate(() => interrupted.trainer.stop());
    expect(await interrupted.trainer.runAsync(0)).toMatchObject({ stopReason: 'requested', steps: 1 });
    expect((await interrupted.trainer.runAsync()).stopReason).toBe('completed');
    expect(weightsOf(interrupted.net)).toEqual(weightsOf(whole.net));
  });

  it('refuses a state from another batch size or a bad tensor, and changes nothing', () => {
    const a = setup();
    stopAtStep(a.trainer, 8);
    a.trainer.run();
    const checkpoint = saved(a.trainer.state());
    const other = setup({ batchSize: 8 });
    expect(() => other.trainer.restore(checkpoint)).toThrow('the training state was saved with batch size 7, this run has 8; a resumed run needs the same');
    const b = setup();
    const before = saved(b.trainer.state());
    const broken = { ...checkpoint, tensors: { ...checkpoint.tensors, 'best.rec.bias': fromValues(1, 6, [0, 0, 0, 0, 0, Number.NaN]) } };
    expect(() => b.trainer.restore(broken)).toThrow('tensor best.rec.bias holds a NaN or infinite value, expected finite numbers');
    const noRng = { ...checkpoint, json: { ...checkpoint.json, rng: [1, 2] } };
    expect(() => b.trainer.restore(noRng)).toThrow("the training state's rng is [1,2], expected four 32-bit integers");
    expect(saved(b.trainer.state())).toEqual(before);
  });
});

describe('Trainer: divergence guard', () => {
  /** Records the weights after every step (and at step 0). */
  function recordWeights({ net, trainer }: Setup): Map<number, number[][]> {
    const after = new Map<number, number[][]>([[0, weightsOf(net)]]);
    trainer.on('batch', (e) => after.set(e.globalStep, weightsOf(net)));
    return after;
  }

  const allFinite = (net: RecLinkNet): boolean => weightsOf(net).flat().every(Number.isFinite);

  it('a huge learning rate stops training at the first bad gradient, keeping the weights from before that step', () => {
    const s = setup({ epochs: 20 }, (n) => new Sgd(n, { lr: 1e8 }));
    const after = recordWeights(s);
    const events: string[] = [];
    s.trainer.on('diverged', (d) => events.push(`diverged: ${d.quantity}`));
    s.trainer.on('stopped', (e) => events.push(`stopped: ${e.reason}`));

    const result = s.trainer.run();
    expect(result.stopReason).toBe('diverged');
    expect(result.divergence).toMatchObject({ quantity: 'gradient norm', value: Number.NaN, epoch: 1, step: 2, keptStep: 1 });
    expect(result.divergence!.message).toBe('training diverged: the gradient norm was NaN at epoch 1, step 2; kept the weights from after step 1');
    expect(events).toEqual(['diverged: gradient norm', 'stopped: diverged']);
    expect(allFinite(s.net)).toBe(true);
    expect(weightsOf(s.net)).toEqual(after.get(1));
    expect(s.trainer.state().json).toMatchObject({ globalStep: 1, optimizer: { step: 1 } });
    expect(s.trainer.runStep()).toBe(false);
  });

  it('an update that overflows the weights restores the last epoch’s checkpoint, optimizer state included', () => {
    // lr 0.01 in epoch 1, then 0.01·1e42 = 1e40 (beyond float32): the first update of epoch 2 overflows float32.
    const s = setup({ epochs: 3, schedule: stepSchedule(0.01, { stepSize: 1, gamma: 1e42 }) }, (n) => new Sgd(n, { momentum: 0.5 }));
    const after = recordWeights(s);
    let endOfEpoch1: TrainerState | null = null;
    s.trainer.on('epoch', () => (endOfEpoch1 = saved(s.trainer.state())));
    const result = s.trainer.run();
    expect(result.divergence).toMatchObject({ quantity: 'weight norm', value: Number.POSITIVE_INFINITY, epoch: 2, step: 1, keptStep: 6 });
    expect(allFinite(s.net)).toBe(true);
    expect(weightsOf(s.net)).toEqual(after.get(6));
    expect(saved(s.trainer.state())).toEqual(endOfEpoch1);
  });

  it('a NaN in the training data stops at the first step and keeps the initial weights', () => {
    const train = clone(data.train);
    train.data.fill(Number.NaN);
    const { net, trainer } = setup({}, undefined, { train });
    const initial = weightsOf(net);
    const result = trainer.run();
    expect(result.divergence).toMatchObject({ quantity: 'loss', epoch: 1, step: 1, keptStep: 0 });
    expect(weightsOf(net)).toEqual(initial);
  });

  it('a validation loss that is not finite restores the rollback point (here: the start)', () => {
    const net = new RecLinkNet({ inputSize: D, hiddenSize: 6, seed: 1 });
    const initial = weightsOf(net);
    const validation = clone(data.validation);
    validation.data[5] = Number.POSITIVE_INFINITY;
    const trainer = new Trainer(net, new Adam(net), data.train, validation, { batchSize: 7 });
    const result = trainer.run();
    expect(result.divergence).toMatchObject({ quantity: 'validation loss', epoch: 1, step: 6, keptStep: 0 });
    expect(weightsOf(net)).toEqual(initial);
    expect(trainer.state().json).toMatchObject({ epochsDone: 0, stepInEpoch: 0, globalStep: 0, optimizer: { step: 0 } });
  });
});

describe('Trainer: epochs, validation, best weights and early stopping', () => {
  it('the loss falls on learnable data, and the best weights are kept', () => {
    // With 12 ReLU outputs some die on many initialisations; this one learns (1.8 → 0.30).
    const { net, trainer } = setup({ epochs: 30 }, undefined, { modelSeed: 5 });
    const initial = evaluate(net, data.validation, 7).loss;
    const result = trainer.run();
    const [first, last] = [result.history[0], result.history.at(-1)!];
    expect(last.valLoss).toBeLessThan(0.2 * initial);
    expect(last.valLoss).toBeLessThan(0.5 * first.valLoss);
    expect(last.trainLoss).toBeLessThan(0.5 * first.trainLoss);
    expect(last.valMse).toBeCloseTo(last.valLoss / D, 12);
    const best = result.best!;
    expect(best.valLoss).toBe(Math.min(...result.history.map((r) => r.valLoss)));
    trainer.restoreBest();
    expect(evaluate(net, data.validation, 5).loss).toBeCloseTo(best.valLoss, 10);
  });

  it('stops early after `patience` epochs without improvement', () => {
    const { trainer } = setup({ epochs: 10, earlyStopping: { patience: 2 } }, (net) => new Sgd(net, { lr: 0 }));
    const stops: string[] = [];
    trainer.on('stopped', (e) => stops.push(e.reason));
    const result = trainer.run();
    expect(result).toMatchObject({ stopReason: 'early-stopping', epochs: 3, best: { epoch: 1 } });
    expect(stops).toEqual(['early-stopping']);
    expect(trainer.finished).toBe(true);
  });

  it('counts an improvement only when it beats the best by more than minDelta', () => {
    const { trainer } = setup({ epochs: 10, earlyStopping: { patience: 3, minDelta: 1e9 } });
    const result = trainer.run();
    expect(result).toMatchObject({ stopReason: 'early-stopping', epochs: 4, best: { epoch: 1 } });
    expect(result.history[3].valLoss).toBeLessThan(result.history[0].valLoss);
  });

  it('emits a batch event a step and an epoch event an epoch, with what a progress bar needs', () => {
    const { trainer } = setup({ epochs: 2, schedule: stepSchedule(0.01, { stepSize: 1, gamma: 0.5 }) });
    const batches: BatchEvent[] = [];
    const epochs: TrainerEvents['epoch'][] = [];
    trainer.on('batch', (e) => batches.push(e));
    const unsubscribe = trainer.on('epoch', (e) => epochs.push(e));
    expect(trainer.runEpoch()).toEqual(trainer.history[0]);
    unsubscribe();
    trainer.runEpoch();
    expect(batches.map((b) => [b.epoch, b.step, b.samples, b.lr])).toEqual([
      [1, 1, 7, 0.01], [1, 2, 14, 0.01], [1, 3, 21, 0.01], [1, 4, 28, 0.01], [1, 5, 35, 0.01], [1, 6, 40, 0.01],
      [2, 1, 7, 0.005], [2, 2, 14, 0.005], [2, 3, 21, 0.005], [2, 4, 28, 0.005], [2, 5, 35, 0.005], [2, 6, 40, 0.005],
    ]);
    expect(batches.every((b) => b.stepsPerEpoch === 6 && b.samplesPerSec > 0 && b.loss > 0)).toBe(true);
    expect(epochs).toHaveLength(1);
    expect(epochs[0]).toMatchObject({ ...trainer.history[0], best: true });
    expect(epochs[0].seconds).toBeGreaterThanOrEqual(0);
    // The epoch's training loss is the mean of its batch losses, weighted by batch size.
    const perSample = batches.slice(0, 6).reduce((sum, b, i) => sum + b.loss * (i === 5 ? 5 : 7), 0) / 40;
    expect(trainer.history[0].trainLoss).toBeCloseTo(perSample, 10);
    expect(trainer.runStep()).toBe(false);
  });

  it('allocates nothing in the backend once the first epoch has sized its buffers', () => {
    let allocations = 0;
    const counting: Backend = { ...jsBackend, alloc: (rows, cols, dtype) => (allocations++, jsBackend.alloc(rows, cols, dtype)) };
    const { trainer } = setup({ epochs: 3 }, undefined, { backend: counting });
    trainer.runEpoch();
    const afterFirst = allocations;
    trainer.run();
    expect(afterFirst).toBeGreaterThan(0);
    expect(allocations).toBe(afterFirst);
  });

  it('refuses options and data that cannot work, naming them', () => {
    expect(() => setup({ batchSize: 0 })).toThrow('batch size is 0, expected an integer ≥ 1');
    expect(() => setup({ epochs: 2.5 })).toThrow('epochs is 2.5, expected an integer ≥ 1');
    expect(() => setup({ clipNorm: -1 })).toThrow('clipping norm is -1, expected a finite number > 0');
    expect(() => setup({ earlyStopping: { patience: 0 } })).toThrow('early-stopping patience is 0, expected an integer ≥ 1');
    expect(() => setup({}, undefined, { train: fromValues(2, 3, [0, 0, 0, 0, 0, 0]) })).toThrow('the training set has 3 columns, the model expects 12 (inputSize)');
    const net = new RecLinkNet({ inputSize: D, hiddenSize: 6 });
    expect(() => new Trainer(net, new Adam(net), data.train, fromValues(0, D, []))).toThrow('the validation set has no rows, expected at least one sample');
  });
});
