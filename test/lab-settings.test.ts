import { describe, expect, it } from 'vitest';
import { SettingsError, checkSettings, DEFAULT_LAB_SETTINGS, describeChange, needsRebuild, settingsFromForm, switchNote, SWITCH_LR, type SettingsForm } from '../src/lab/settings.js';

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
    expect(attempt).toThrow(SettingsError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(expect.objectContaining({ field: Object.keys(change)[0] })); // the page highlights this field
  });

  it('rebuilds the network only for the architecture or the seed', () => {
    const base = { ...DEFAULT_LAB_SETTINGS };
    expect(needsRebuild(base, { ...base, lr: 0.1, batchSize: 8, optimizer: 'sgd' })).toBe(false);
    expect(needsRebuild(base, { ...base, cycles: 3 })).toBe(true);
    expect(needsRebuild(base, { ...base, outputActivation: 'sigmoid' })).toBe(true);
    expect(needsRebuild(base, { ...base, seed: 1 })).toBe(true);
  });

  it('says what changed, and warns that a new optimizer starts fresh, with the measured learning rate', () => {
    const base = { ...DEFAULT_LAB_SETTINGS };
    expect(describeChange(base, base)).toBeNull();
    expect(describeChange(base, { ...base, optimizer: 'sgd', lr: 3e-5 })).toBe('optimizer Adam → SGD, learning rate 0.001 → 0.00003');
    expect(describeChange(base, { ...base, cycles: 3, seed: 2 })).toBe('cycles 2 → 3, seed 0 → 2');
    expect(switchNote(base, { ...base, lr: 0.01 })).toBeNull();
    expect(switchNote(base, { ...base, optimizer: 'sgd', lr: SWITCH_LR.sgd })).toBe('SGD starts with fresh state (no momentum or running averages from before).');
    expect(switchNote(base, { ...base, optimizer: 'sgd' })).toContain('Learning rate 0.001 is above 0.00003, the largest that kept a trained model from blowing up after switching to SGD on the bundled digits: try 0.00003.');
  });
});
