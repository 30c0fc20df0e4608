import { describe, expect, it } from 'vitest';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { ADAMW_DEFAULTS } from '../src/train/adam.js';
import { createOptimizer, createSchedule, resolveTrainingSettings, trainerOptions, TRAINING_DEFAULTS, type TrainingSettings } from '../src/train/settings.js';
import { reclinkError } from './io-helpers.js';

const net = new RecLinkNet({ inputSize: 12, hiddenSize: 4 });
const at = (epoch: number, step: number) => ({ epoch, step });

describe('training settings', () => {
  it("default to the benchmark's: Adam, lr 1e-3, batches of 64, 10 epochs, seed 0, sum-squared error", () => {
    expect(resolveTrainingSettings()).toEqual(TRAINING_DEFAULTS);
    expect(TRAINING_DEFAULTS).toMatchObject({ optimizer: 'adam', lr: 1e-3, batchSize: 64, epochs: 10, seed: 0, loss: 'sum', schedule: 'constant', patience: null });
    expect(trainerOptions(resolveTrainingSettings())).toMatchObject({ epochs: 10, batchSize: 64, seed: 0, clipNorm: null, earlyStopping: null, reduction: 'sum' });
  });

  it('make the optimizer they name, with its own default weight decay unless one is given', () => {
    const adam = createOptimizer(net, resolveTrainingSettings({ lr: 0.01, betas: [0.8, 0.9] }));
    expect(adam.state().json).toMatchObject({ kind: 'adam', lr: 0.01, betas: [0.8, 0.9], weightDecay: 0 });
    expect(createOptimizer(net, resolveTrainingSettings({ optimizer: 'adamw' })).state().json).toMatchObject({ kind: 'adamw', weightDecay: ADAMW_DEFAULTS.weightDecay });
    expect(createOptimizer(net, resolveTrainingSettings({ optimizer: 'adamw', weightDecay: 0.5 })).state().json).toMatchObject({ weightDecay: 0.5 });
    const sgd = createOptimizer(net, resolveTrainingSettings({ optimizer: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true }));
    expect(sgd.state().json).toMatchObject({ kind: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0 });
  });

  it('make the schedule they name, per epoch, behind the warm-up', () => {
    const schedule = (s: Partial<TrainingSettings>) => createSchedule(resolveTrainingSettings({ lr: 0.1, epochs: 4, ...s }));
    expect(schedule({})(at(3, 99))).toBe(0.1);
    expect([0, 1, 2].map((epoch) => schedule({ schedule: 'step', stepSize: 2, gamma: 0.5 })(at(epoch, 0)))).toEqual([0.1, 0.1, 0.05]);
    expect([0, 2, 4].map((epoch) => schedule({ schedule: 'cosine' })(at(epoch, 0)))).toEqual([0.1, expect.closeTo(0.05, 15), 0]);
    expect([0, 2, 4, 10].map((step) => schedule({ warmup: 4 })(at(0, step)))).toEqual([0.1 / 3, 0.1 * (1 / 3 + 1 / 3), 0.1, 0.1].map((v) => expect.closeTo(v, 15)));
    const options = trainerOptions(resolveTrainingSettings({ clipNorm: 5, patience: 3, loss: 'mean' }));
    expect(options).toMatchObject({ clipNorm: 5, earlyStopping: { patience: 3 }, reduction: 'mean' });
  });

  it.each<[string, Partial<TrainingSettings>, string]>([
    ['an unknown optimizer', { optimizer: 'rmsprop' as 'sgd' }, 'optimizer is "rmsprop", expected sgd, adam, adamw'],
    ['zero epochs', { epochs: 0 }, 'epochs is 0, expected an integer ≥ 1'],
    ['a fractional batch', { batchSize: 2.5 }, 'batch size is 2.5, expected an integer ≥ 1'],
    ['a zero learning rate', { lr: 0 }, 'learning rate is 0, expected a finite number > 0'],
    ['a beta of 1', { betas: [0.9, 1] }, 'beta2 is 1, expected a finite number in [0, 1)'],
    ['momentum for Adam', { momentum: 0.9 }, "momentum and nesterov are SGD's, the optimizer is adam (use betas)"],
    ['betas for SGD', { optimizer: 'sgd', betas: [0.5, 0.5] }, "betas are Adam's and AdamW's, the optimizer is sgd (use momentum)"],
    ['a step schedule without a step size', { schedule: 'step' }, 'the step schedule needs a step size (epochs between decays)'],
    ['a step size for another schedule', { stepSize: 3 }, 'a step size is for the step schedule, the schedule is constant'],
    ['a negative warm-up', { warmup: -1 }, 'warm-up steps is -1, expected an integer ≥ 0'],
    ['zero patience', { patience: 0 }, 'patience is 0, expected an integer ≥ 1'],
    ['an unknown loss', { loss: 'max' as 'sum' }, 'loss is "max", expected sum, mean'],
  ])('refuse %s (a usage error)', (_, settings, message) => {
    const error = reclinkError(() => resolveTrainingSettings(settings));
    expect([error.message, error.exitCode]).toEqual([message, 2]);
  });
});
