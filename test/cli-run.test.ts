import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRunCheckpoint, saveRunCheckpoint, type RunSettings } from '../src/cli/run-checkpoint.js';
import { RunFolder, modelPath } from '../src/cli/run-folder.js';
import { checkResumeRequest, runRequest } from '../src/cli/train-flags.js';
import { Normalizer } from '../src/data/normalize.js';
import { saveCheckpoint } from '../src/io/checkpoint.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { resolveTrainingSettings } from '../src/train/settings.js';
import { reclinkError, temporaryFolder } from './io-helpers.js';

const dir = temporaryFolder('cli-run');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RUN: RunSettings = {
  data: { source: 'bundled', trainSize: 300, testSize: 100, splitSeed: 0, normalize: 'minmax' },
  training: resolveTrainingSettings({ epochs: 3 }),
};

describe('RunFolder', () => {
  it('makes the runs folder and the first free run-<n>, or the named folder', () => {
    const runs = join(dir, 'a', 'runs');
    expect(RunFolder.create(runs).path).toBe(join(runs, 'run-1'));
    mkdirSync(join(runs, 'run-2'));
    expect(RunFolder.create(runs).path).toBe(join(runs, 'run-3'));
    const named = RunFolder.create(runs, 'mine');
    expect([named.path, named.name, named.file('best.safetensors')]).toEqual([join(runs, 'mine'), 'mine', join(runs, 'mine', 'best.safetensors')]);
  });

  it('refuses a name in use or not a folder name (usage errors), and a runs folder it cannot make', () => {
    const runs = join(dir, 'b');
    const first = RunFolder.create(runs, 'taken');
    first.writeText('config.json', '{}');
    first.release();
    const taken = reclinkError(() => RunFolder.create(runs, 'taken'));
    expect([taken.message, taken.exitCode]).toEqual([`${join(runs, 'taken')} exists already: choose another --name, or continue that run with --resume ${join(runs, 'taken')}`, 2]);
    expect(reclinkError(() => RunFolder.create(runs, '../x')).exitCode).toBe(2);
    writeFileSync(join(dir, 'file'), '');
    expect(reclinkError(() => RunFolder.create(join(dir, 'file', 'runs'))).message).toMatch(new RegExp(`^cannot write ${join(dir, 'file', 'runs')}: `));
  });

  it('finds the checkpoint to resume and the model to evaluate, from a folder or a file', () => {
    const folder = RunFolder.create(join(dir, 'c'), 'r');
    const { folder: found, checkpoint } = RunFolder.ofCheckpoint(folder.path);
    expect([found.path, checkpoint]).toEqual([folder.path, folder.file('last.safetensors')]);
    expect(RunFolder.ofCheckpoint(folder.file('last.safetensors')).folder.path).toBe(folder.path);
    expect(reclinkError(() => modelPath(folder.path)).message).toBe(`${folder.path} has no best.safetensors or last.safetensors, expected a run folder with a checkpoint`);
    writeFileSync(folder.file('last.safetensors'), '');
    expect(modelPath(folder.path)).toBe(folder.file('last.safetensors')); // before the first epoch is validated
    writeFileSync(folder.file('best.safetensors'), '');
    expect(modelPath(folder.path)).toBe(folder.file('best.safetensors'));
    expect(modelPath(folder.file('last.safetensors'))).toBe(folder.file('last.safetensors'));
  });

  it('writes metrics.csv with a row an epoch', () => {
    const folder = RunFolder.create(join(dir, 'd'));
    const history = [1, 2].map((epoch) => ({ epoch, trainLoss: 10 / epoch, valLoss: 12 / epoch, valMse: 0.05 / epoch, lr: 0.001 }));
    folder.writeMetrics(history, [1.23456, 0.5]);
    expect(readFileSync(folder.file('metrics.csv'), 'utf8')).toBe('epoch,train_loss,val_loss,val_mse,lr,seconds\n1,10,12,0.05,0.001,1.235\n2,5,6,0.025,0.001,0.500\n');
  });
});

describe('run checkpoints', () => {
  const net = new RecLinkNet({ seed: 2 });
  const normalizer = Normalizer.fromJSON({ kind: 'minmax', min: 0, max: 2 });

  it('keep the normaliser and the run settings beside the weights', () => {
    const path = join(dir, 'best.safetensors');
    saveRunCheckpoint(path, net, { normalizer, run: RUN });
    const loaded = loadRunCheckpoint(path);
    expect(loaded.normalizer.toJSON()).toEqual(normalizer.toJSON());
    expect(loaded.run).toEqual(RUN);
    expect(loaded.resume).toBeNull();
    expect(Array.from(loaded.net.parameter('rec.weight').value.data)).toEqual(Array.from(net.parameter('rec.weight').value.data));
  });

  it('read any checkpoint: without a normaliser it is none, and there are no run settings', () => {
    const path = join(dir, 'plain.safetensors');
    saveCheckpoint(path, net);
    const loaded = loadRunCheckpoint(path);
    expect([loaded.normalizer.kind, loaded.run, loaded.resume]).toEqual(['none', null, null]);
  });

  it.each([
    ['a normaliser that is not JSON', { normalizer: '{' }, 'the metadata normalizer is not valid JSON'],
    ['a normaliser that cannot work', { normalizer: '{"kind":"minmax","min":1,"max":0}' }, 'normaliser {"kind":"minmax","min":1,"max":0} is not valid, expected'],
    ['run settings without training', { run: JSON.stringify({ data: RUN.data }) }, "the run's training settings are missing"],
    ['bad training settings', { run: JSON.stringify({ ...RUN, training: { epochs: 0 } }) }, 'epochs is 0, expected an integer ≥ 1'],
    ['bad data settings', { run: JSON.stringify({ ...RUN, data: { ...RUN.data, trainSize: -1 } }) }, "the run's data settings have trainSize -1, expected an integer ≥ 1"],
    ['a trainer state that is not an object', { trainer: '[]', epoch_seconds: '[]' }, 'the trainer state is not a JSON object'],
    ['epoch times that are not durations', { trainer: '{}', epoch_seconds: '[-1]' }, 'epoch_seconds is not a list of durations'],
  ])('name the file and what is wrong in it: %s', (_, metadata, message) => {
    const path = join(dir, 'bad.safetensors');
    saveCheckpoint(path, net, { metadata });
    const error = reclinkError(() => loadRunCheckpoint(path));
    expect(error.message.startsWith(`${path}: ${message}`), error.message).toBe(true);
    expect(error.exitCode).toBe(1);
  });
});

describe('the flags of reclink train', () => {
  const options = { runsDir: 'runs', backend: 'js' as const, threads: 1, data: 'digits.csv', lr: 0.01, seed: 3, batch: 16, hiddenSize: 20, epochs: 5 };

  it('give only the settings asked for; --seed seeds the weights and the shuffling; paths become absolute', () => {
    expect(runRequest(options)).toEqual({
      config: { hiddenSize: 20, seed: 3 },
      data: { source: resolve('digits.csv') },
      training: { lr: 0.01, seed: 3, batchSize: 16, epochs: 5 },
    });
    expect(runRequest({ ...options, data: 'bundled' }).data).toEqual({ source: 'bundled' });
  });

  it('may change only the epochs of a resumed run', () => {
    const stored = { config: new RecLinkNet({ hiddenSize: 20, seed: 3 }).config, run: { data: { ...RUN.data, source: resolve('digits.csv') }, training: resolveTrainingSettings({ lr: 0.01, seed: 3, batchSize: 16 }) } };
    expect(() => checkResumeRequest(runRequest(options), stored, 'last.safetensors')).not.toThrow();
    const error = reclinkError(() => checkResumeRequest(runRequest({ ...options, normalize: 'standardize' }), stored, 'last.safetensors'));
    expect([error.message, error.exitCode]).toEqual(['last.safetensors continues with its own normalize "minmax", the command line asks for "standardize"; only --epochs may change on --resume', 2]);
  });
});
