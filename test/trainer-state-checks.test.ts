import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { saveRunCheckpoint } from '../src/cli/run-checkpoint.js';
import { Normalizer } from '../src/data/normalize.js';
import { saveCheckpoint } from '../src/io/checkpoint.js';
import { clone, fromValues, type Matrix } from '../src/linalg/matrix.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { Adam } from '../src/train/adam.js';
import { resolveTrainingSettings } from '../src/train/settings.js';
import { Trainer } from '../src/train/trainer.js';
import type { TrainerJson, TrainerState } from '../src/train/trainer-state.js';
import { reclinkError, temporaryFolder } from './io-helpers.js';

// The divergence guard over the optimizer's state, checkpoints that refuse non-finite
// numbers, and the checks of a trainer state a run resumes from.
const dir = temporaryFolder('state-checks');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const D = 12;

/** 40 training rows (batches of 7: six steps an epoch) or 12 validation rows of values in [0, 1), with `big` at column 3 of the rows `where` picks. */
function rows(n: number, big = 0, where: (row: number) => boolean = () => false): Matrix {
  return fromValues(n, D, Array.from({ length: n * D }, (_, i) => (i % D === 3 && where(Math.floor(i / D)) ? big : ((i * 7) % 11) / 11)));
}

function setup(train: Matrix = rows(40)): { net: RecLinkNet; trainer: Trainer } {
  const net = new RecLinkNet({ inputSize: D, hiddenSize: 6, seed: 1 });
  return { net, trainer: new Trainer(net, new Adam(net, { lr: 0.01 }), train, rows(12), { epochs: 4, batchSize: 7, seed: 3 }) };
}

const weightsOf = (net: RecLinkNet): number[][] => net.parameters.map((p) => Array.from(p.value.data));
const allFinite = (state: TrainerState): boolean => Object.values(state.tensors).every((m) => m.data.every(Number.isFinite));

describe('the divergence guard covers the optimizer state', () => {
  it('a value of 1e17 in one sample overflows Adam\'s second moment (the weights stay finite): training diverges at the epoch\'s end, back to the start', () => {
    const { net, trainer } = setup(rows(40, 1e17, (row) => row === 0));
    const initial = weightsOf(net);
    const result = trainer.run();
    expect(result.divergence).toMatchObject({ quantity: 'optimizer state', value: Number.POSITIVE_INFINITY, epoch: 1, step: 6, keptStep: 0 });
    expect(allFinite(trainer.state())).toBe(true);
    expect(weightsOf(net)).toEqual(initial);
  });

  it('a stop asked for while the optimizer state is not finite is a divergence, not a stop to save', () => {
    const { trainer } = setup(rows(40, 1e17, () => true));
    trainer.on('batch', (e) => {
      if (e.globalStep === 2) trainer.stop();
    });
    const result = trainer.run();
    expect([result.stopReason, result.divergence?.quantity, result.divergence?.step]).toEqual(['diverged', 'optimizer state', 2]);
    expect(allFinite(trainer.state())).toBe(true);
  });
});

describe('a checkpoint never holds a number that is not finite', () => {
  const net = new RecLinkNet({ inputSize: D, hiddenSize: 6, seed: 1 });

  it.each([
    ['an extra tensor with an infinity', () => saveCheckpoint(join(dir, 'a.safetensors'), net, { tensors: new Map([['optimizer.x', fromValues(1, 2, [0, Infinity])]]) }), 'a.safetensors', 'tensor optimizer.x has Infinity at index 1, expected finite numbers'],
    ['a float64 weight beyond float32', () => {
      const wide = new RecLinkNet({ inputSize: D, hiddenSize: 6 }, { dtype: 'float64' });
      wide.parameter('rec.bias').value.data[2] = 1e300;
      saveCheckpoint(join(dir, 'b.safetensors'), wide);
    }, 'b.safetensors', 'tensor rec.bias has Infinity at index 2, expected finite numbers'],
    ['a trainer state with a NaN loss (JSON would write null)', () => {
      const { trainer } = setup();
      const state = trainer.state();
      saveRunCheckpoint(join(dir, 'c.safetensors'), net, {
        normalizer: Normalizer.fromJSON({ kind: 'none' }),
        run: { data: { source: 'bundled', trainSize: 40, testSize: 12, splitSeed: 0, normalize: 'none' }, training: resolveTrainingSettings() },
        resume: { state: { ...state, json: { ...state.json, epochLoss: Number.NaN } }, epochSeconds: [] },
      });
    }, 'c.safetensors', 'the trainer has epochLoss NaN, expected finite numbers'],
  ])('%s is refused, and nothing is written', (_, save, file, message) => {
    const error = reclinkError(save);
    expect(error.message).toBe(`cannot write ${join(dir, file)}: ${message}`);
    expect(existsSync(join(dir, file))).toBe(false);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('a trainer refuses an impossible state to resume from, in one line, and changes nothing', () => {
  /** The state after 2 epochs and 3 steps (21 samples) of a run. */
  function midRun(): TrainerState {
    const { trainer } = setup();
    trainer.on('batch', (e) => {
      if (e.globalStep === 15) trainer.stop();
    });
    trainer.run();
    const state = trainer.state();
    return { tensors: Object.fromEntries(Object.entries(state.tensors).map(([name, m]) => [name, clone(m)])), json: JSON.parse(JSON.stringify(state.json)) as TrainerJson };
  }
  // 21 samples of 12 outputs, each error at most twice float32's largest value.
  const mostLoss = (21 * 12 * (2 * 3.4028234663852886e38) ** 2).toPrecision(3);

  type Edit = (json: TrainerJson, tensors: TrainerState['tensors']) => void;
  it.each<[string, Edit, string]>([
    ['a best epoch beyond the epochs done', (j) => (j.best = { ...j.history[1], epoch: 99 }), 'best is {"epoch":99,'],
    ['a best score that no epoch had', (j) => j.best && (j.best.valLoss /= 2), 'best is {'],
    ['a best epoch with no epoch done', (j) => Object.assign(j, { epochsDone: 0, history: [], epochsWithoutImprovement: 0, globalStep: 3 }), 'best is {'],
    ['an epoch loss of 1e308', (j) => (j.epochLoss = 1e308), `epochLoss is 1e+308, expected a finite number from 0 to ${mostLoss} (the largest loss of 21 samples)`],
    ['a negative epoch loss', (j) => (j.epochLoss = -1), 'epochLoss is -1, expected a finite number from 0'],
    ['a global step that does not follow from the epochs', (j) => (j.globalStep = 14), 'globalStep is 14, expected 15 (2 epochs of 6 steps and 3 steps)'],
    ['samples that do not follow from the steps', (j) => (j.epochSamples = 20), 'epochSamples is 20, expected 21 (3 batches of 7 of the 40 samples)'],
    ['an epoch record out of order', (j) => (j.history[1].epoch = 3), 'history[1] is {"epoch":3,'],
    ['a negative validation loss', (j) => (j.history[0].valLoss = -2), 'history[0] is {'],
    ['an early-stopping counter that does not follow from the best epoch', (j) => (j.epochsWithoutImprovement = 5), 'epochsWithoutImprovement is 5, expected'],
  ])('%s', (_, edit, message) => {
    const state = midRun();
    edit(state.json, state.tensors);
    const { trainer } = setup();
    const before = JSON.stringify(trainer.state().json);
    const error = reclinkError(() => trainer.restore(state));
    expect(error.message.startsWith(`the training state's ${message}`), error.message).toBe(true);
    expect(error.message).not.toContain('\n');
    expect(JSON.stringify(trainer.state().json)).toBe(before);
  });

  it('a negative second moment of Adam (a mean of squares)', () => {
    const state = midRun();
    state.tensors['optimizer.exp_avg_sq.rec.weight'].data[4] = -1;
    const { trainer } = setup();
    expect(reclinkError(() => trainer.restore(state)).message).toBe('tensor optimizer.exp_avg_sq.rec.weight has -1 at index 4, expected values ≥ 0 (a mean of squares)');
    expect(trainer.state().tensors['optimizer.exp_avg_sq.rec.weight'].data.every((v) => v === 0)).toBe(true);
  });

  it('while the state as saved resumes', () => {
    expect(() => setup().trainer.restore(midRun())).not.toThrow();
  });
});
