import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_FILES } from '../src/cli/run-folder.js';
import { saveCheckpoint } from '../src/io/checkpoint.js';
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../src/io/safetensors.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { ended, expectFailure, printed, reclinkIn, startReclink, type Run } from './cli-helpers.js';
import { firstBitDifference, temporaryFolder } from './io-helpers.js';

// What a run folder holds after a kill, a divergence, Ctrl-C or a second process, and what
// `--resume` makes of it. Runs of 300 training and 100 test digits, batches of 32.
const dir = temporaryFolder('recovery');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const runs = join(dir, 'runs');
const SMALL = ['--train-size', '300', '--test-size', '100', '--batch', '32', '--runs-dir', runs];
const train = (...args: string[]): Run => reclinkIn(dir, 'train', ...SMALL, ...args);
const resume = (name: string, ...args: string[]): Run => reclinkIn(dir, 'train', '--resume', join(runs, name), ...args);
const runFile = (name: string, file: string): string => join(runs, name, file);
const read = (name: string, file: string): string => readFileSync(runFile(name, file), 'utf8');

/** A copy of the finished run `base` (3 epochs) under `name`. */
function copyOfBase(name: string): string {
  cpSync(join(runs, 'base'), join(runs, name), { recursive: true });
  return join(runs, name);
}

/** Whether two checkpoints hold the same tensors, bit for bit. */
function sameTensors(a: string, b: string): boolean {
  const [x, y] = [readSafetensors(a).tensors, readSafetensors(b).tensors];
  return x.size === y.size && [...x].every(([name, t]) => firstBitDifference(t.data, y.get(name)?.data ?? new Float32Array(0)) === -1);
}

/** The files of a run folder, hidden ones included. */
const listing = (name: string): string[] => readdirSync(join(runs, name)).sort();
const COMPLETE = [...RUN_FILES].sort();

beforeAll(() => {
  expect(train('--epochs', '3', '--name', 'base').status).toBe(0);
});

describe('a kill during the last epoch\'s writes', () => {
  it('leaves metrics.csv a row short and best.safetensors stale, and temporary files: --resume rewrites the files and removes the temporaries', () => {
    const folder = copyOfBase('killed-late');
    const metrics = read('base', 'metrics.csv');
    writeFileSync(join(folder, 'metrics.csv'), metrics.split('\n').slice(0, -2).join('\n') + '\n'); // the last epoch's row is missing
    saveCheckpoint(join(folder, 'best.safetensors'), new RecLinkNet()); // other weights than the best epoch's
    rmSync(join(folder, 'report.html'));
    const temporaries = ['.last.safetensors.0123456789ab.tmp', '.metrics.csv.ba9876543210.tmp'];
    for (const name of [...temporaries, 'notes.txt']) writeFileSync(join(folder, name), 'partial');

    const result = resume('killed-late');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe(`brought metrics.csv and best.safetensors of ${folder} up to date with its checkpoint\n`);
    expect(read('killed-late', 'metrics.csv')).toBe(metrics);
    expect(sameTensors(join(folder, 'best.safetensors'), runFile('base', 'best.safetensors'))).toBe(true);
    expect(listing('killed-late')).toEqual([...COMPLETE, 'notes.txt'].sort());
  });
});

describe('a kill before the first checkpoint', () => {
  it('leaves config.json alone: --resume starts the run afresh from it', () => {
    const folder = join(runs, 'killed-early');
    mkdirSync(folder);
    cpSync(runFile('base', 'config.json'), join(folder, 'config.json'));
    writeFileSync(join(folder, '.last.safetensors.0123456789ab.tmp'), 'partial');
    const result = resume('killed-early');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe(`${folder} has no checkpoint: starting the run afresh from its config.json\n`);
    expect(listing('killed-early')).toEqual(COMPLETE);
    expect(sameTensors(join(folder, 'last.safetensors'), runFile('base', 'last.safetensors'))).toBe(true);
  });

  it('leaves an empty folder: --resume says to train it anew with its name, which is then accepted', () => {
    const folder = join(runs, 'killed-earlier');
    mkdirSync(folder);
    writeFileSync(join(folder, '.config.json.0123456789ab.tmp'), 'partial');
    expectFailure(resume('killed-earlier'), 1, `reclink: ${folder} has no last.safetensors and no config.json: the run never started; start it anew with --name killed-earlier --runs-dir ${runs}`);
    const again = train('--epochs', '1', '--name', 'killed-earlier');
    expect(again.status, again.stderr).toBe(0);
    expect(listing('killed-earlier')).toEqual(COMPLETE);
  });
});

describe('settings are checked before anything is written', () => {
  it('--nesterov without --momentum is refused, naming the flags, with no run folder made; the corrected command then runs', () => {
    expectFailure(train('--optimizer', 'sgd', '--nesterov', '--name', 'nesterov'), 2, "reclink: --nesterov needs --momentum above 0 (as in PyTorch's SGD), momentum is 0");
    expect(existsSync(join(runs, 'nesterov'))).toBe(false);
    expect(train('--optimizer', 'sgd', '--nesterov', '--momentum', '0.9', '--epochs', '1', '--name', 'nesterov').status).toBe(0);
  });
});

describe('resume refuses an impossible trainer state, in one line naming the file', () => {
  /** base's last.safetensors with its trainer state (or a tensor) edited, in a copy of its folder. */
  function edited(name: string, edit: (trainer: Record<string, unknown>, tensors: Map<string, TensorToWrite>) => void): string {
    const path = join(copyOfBase(name), 'last.safetensors');
    const { tensors, metadata } = readSafetensors(path);
    const trainer = JSON.parse(metadata.trainer) as Record<string, unknown>;
    const writable = new Map([...tensors].map(([key, t]) => [key, { shape: t.shape, data: Float32Array.from(t.data) }]));
    edit(trainer, writable);
    writeSafetensors(path, writable, { ...metadata, trainer: JSON.stringify(trainer) });
    return path;
  }

  it.each<[string, (trainer: Record<string, unknown>, tensors: Map<string, TensorToWrite>) => void, string]>([
    ['best-99', (t) => (t.best = { ...(t.best as object), epoch: 99 }), "the training state's best is {\"epoch\":99,"],
    ['epoch-loss-1e308', (t) => (t.epochLoss = 1e308), "the training state's epochLoss is 1e+308, expected 0 (no step of the epoch is done)"],
    ['negative-exp-avg-sq', (_, tensors) => (tensors.get('optimizer.exp_avg_sq.input.weight')!.data[0] = -1), 'tensor optimizer.exp_avg_sq.input.weight has -1 at index 0, expected values ≥ 0 (a mean of squares)'],
  ])('%s', (name, edit, message) => {
    const path = edited(name, edit);
    const result = reclinkIn(dir, 'train', '--resume', path);
    expectFailure(result, 1, new RegExp(`^reclink: ${path}: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});

describe('one process at a time trains in a run folder', () => {
  it('a second process is refused while the first trains; Ctrl-C releases the lock and leaves a complete folder, its report marked interrupted', async () => {
    const child = startReclink(dir, 'train', ...SMALL, '--epochs', '1000', '--json', '--name', 'locked');
    const done = ended(child);
    await printed(child, '"event":"epoch"');
    const folder = join(runs, 'locked');
    const inUse = `reclink: ${folder} is in use by process ${child.pid}; wait for it to end (if no reclink runs there, delete ${join(folder, '.lock')})`;
    expectFailure(resume('locked', '--epochs', '1'), 1, inUse);
    expectFailure(train('--epochs', '1', '--name', 'locked'), 1, inUse);
    child.kill('SIGINT');
    const result = await done;
    expect(result.status, result.stderr).toBe(130);
    const epochs = Number(/interrupted after (\d+) epochs/.exec(result.stderr)?.[1]);
    expect(epochs).toBeGreaterThanOrEqual(1);
    expect(listing('locked')).toEqual(COMPLETE);
    expect(read('locked', 'metrics.csv').trimEnd().split('\n')).toHaveLength(1 + epochs);
    expect(read('locked', 'report.html')).toContain(`<p class="notice">${result.stderr.trimEnd().replace(/^reclink: /, '')}</p>`);
  });

  it('a lock left by a process that is gone (killed) is taken over, and released at the end', () => {
    const folder = copyOfBase('stale');
    const { pid } = spawnSync(process.execPath, ['-e', '']); // a process that has ended
    writeFileSync(join(folder, '.lock'), JSON.stringify({ pid, host: hostname() }));
    const result = resume('stale', '--epochs', '4');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe(''); // and a healthy folder has nothing to catch up on
    expect(listing('stale')).toEqual(COMPLETE);
  });

  it('a lock of a live process is respected', () => {
    const folder = copyOfBase('live');
    writeFileSync(join(folder, '.lock'), JSON.stringify({ pid: process.pid, host: hostname() }));
    expectFailure(resume('live', '--epochs', '4'), 1, `reclink: ${folder} is in use by process ${process.pid}; wait for it to end (if no reclink runs there, delete ${join(folder, '.lock')})`);
  });
});

describe('a run that diverges in its first epoch', () => {
  it('leaves config.json, metrics.csv, last.safetensors and a report marked diverged; eval of the folder reads last.safetensors', () => {
    const result = train('--optimizer', 'sgd', '--lr', '10', '--name', 'diverged');
    expect(result.status).toBe(1);
    expect(listing('diverged')).toEqual(COMPLETE.filter((file) => file !== 'best.safetensors'));
    expect(read('diverged', 'metrics.csv')).toBe('epoch,train_loss,val_loss,val_mse,lr,seconds\n');
    const message = result.stderr.trimEnd().replace(/^reclink: /, '');
    expect(message).toMatch(/^training diverged: /);
    expect(read('diverged', 'report.html')).toContain(`<p class="notice">${message}, whose weights this page shows</p>`);
    const evaluated = reclinkIn(dir, 'eval', '--model', join(runs, 'diverged'), '--json');
    expect(evaluated.status, evaluated.stderr).toBe(0);
    expect(JSON.parse(evaluated.stdout)).toMatchObject({ model: runFile('diverged', 'last.safetensors'), samples: 100 });
  });

  it('a value of 1e17 in the data: Adam\'s second moment overflows, training diverges (exit 1), and the checkpoint holds finite numbers only', () => {
    // Every tenth sample has it, so that the training part has some whatever the split.
    const rows = Array.from({ length: 400 }, (_, n) => Array.from({ length: 225 }, (_, i) => (n % 10 === 5 && i === 3 ? '1e17' : String(((n * 7 + i) % 11) / 11))).join(','));
    const csv = join(dir, 'outlier.csv');
    writeFileSync(csv, `${rows.join('\n')}\n`);
    const result = reclinkIn(dir, 'train', '--data', csv, '--epochs', '2', '--runs-dir', runs, '--name', 'outlier');
    const last = runFile('outlier', 'last.safetensors');
    expectFailure(result, 1, `reclink: training diverged: the optimizer state was Infinity at epoch 1, step 5; the last good checkpoint is ${last}`);
    for (const [name, t] of readSafetensors(last).tensors) expect(t.data.every(Number.isFinite), name).toBe(true);
  });
});
