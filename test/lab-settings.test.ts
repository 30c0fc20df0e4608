import { describe, expect, it } from 'vitest';
import { ReclinkError } from '../src/errors.js';
import { checkSettings, DEFAULT_LAB_SETTINGS, needsRebuild, settingsFromForm, type SettingsForm } from '../src/lab/settings.js';

const form: SettingsForm = { optimizer: 'adam', lr: '0.001', batchSize: '64', cycles: '2', outputActivation: 'relu', seed: '0' };

describe('lab settings', () => {
  it('defaults to the command line defaults: Adam, lr 1e-3, batch 64, the exercise network', () => {
    expect(checkSettings({ ...DEFAULT_LAB_SETTINGS })).toEqual({ optimizer: 'adam', lr: 1e-3, batchSize: 64, cycles: 2, outputActivation: 'relu', seed: 0 });
    expect(settingsFromForm(form)).toEqual(DEFAULT_LAB_SETTINGS);
    expect(settingsFromForm({ ...form, lr: ' 1e-2 ', optimizer: 'nesterov' })).toMatchObject({ lr: 0.01, optimizer: 'nesterov' });
  });

  it.each([
    [{ lr: '' }, 'learning rate is "", expected a number'],
    [{ lr: 'fast' }, 'learning rate is "fast", expected a number'],
    [{ lr: '0' }, 'learning rate is 0, expected a number above 0 and at most 10'],
    [{ lr: '-1' }, 'learning rate is -1, expected a number above 0 and at most 10'],
    [{ batchSize: '2.5' }, 'batch size is 2.5, expected an integer from 1 to 4096'],
    [{ batchSize: '100000' }, 'batch size is 100000, expected an integer from 1 to 4096'],
    [{ cycles: '0' }, 'cycles is 0, expected an integer from 1 to 8'],
    [{ seed: '-3' }, 'seed is -3, expected an integer from 0 to 2147483647'],
    [{ optimizer: 'rmsprop' }, 'optimizer is "rmsprop", expected sgd, momentum, nesterov, adam, adamw'],
    [{ outputActivation: 'tanh' }, 'output activation is "tanh", expected relu, sigmoid, identity'],
  ])('names a bad field and what it expects: %o', (change, message) => {
    const attempt = (): unknown => settingsFromForm({ ...form, ...change });
    expect(attempt).toThrow(ReclinkError);
    expect(attempt).toThrow(message);
  });

  it('rebuilds the network only for the architecture or the seed', () => {
    const base = { ...DEFAULT_LAB_SETTINGS };
    expect(needsRebuild(base, { ...base, lr: 0.1, batchSize: 8, optimizer: 'sgd' })).toBe(false);
    expect(needsRebuild(base, { ...base, cycles: 3 })).toBe(true);
    expect(needsRebuild(base, { ...base, outputActivation: 'sigmoid' })).toBe(true);
    expect(needsRebuild(base, { ...base, seed: 1 })).toBe(true);
  });
});
