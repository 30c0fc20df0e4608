// What the command line says about flags and data that cannot work, and about the units it
// prints: one line each, the right exit code, nothing left behind.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunCheckpoint } from '../src/cli/run-checkpoint.js';
import { writeNpy } from '../src/io/npy.js';
import { traceModel } from '../src/model/trace.js';
import { Random } from '../src/random.js';
import { expectFailure, reclinkIn, root, type Run } from './cli-helpers.js';
import { randomMatrix } from './helpers.js';
import { temporaryFolder } from './io-helpers.js';

const dir = temporaryFolder('cli-flags');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const runs = join(dir, 'runs');
const SMALL = ['--train-size', '300', '--test-size', '100', '--batch', '32', '--epochs', '1', '--runs-dir', runs];
const train = (...args: string[]): Run => reclinkIn(dir, 'train', ...SMALL, ...args);
const runFile = (name: string, file: string): string => join(runs, name, file);
const runFolders = (): string[] => (existsSync(runs) ? readdirSync(runs).sort() : []);
const jsonResult = (run: Run): Record<string, unknown> => JSON.parse(run.stdout.trimEnd().split('\n').at(-1) ?? '') as Record<string, unknown>;

describe('reclink train: a split that does not fit the data', () => {
  it('says how many samples the data has and which sizes fit (exit 2), making no run folder', () => {
    const before = runFolders();
    expectFailure(
      reclinkIn(dir, 'train', '--train-size', '20000', '--runs-dir', runs),
      2,
      'reclink: bundled MNIST-15 has only 10000 samples, too few for 20000 training samples and a test sample: each size can be 1 to 9999, the two together at most 10000',
    );
    expect(runFolders()).toEqual(before);
  });

  it('refuses data too small to split as bad data (exit 1)', () => {
    const one = join(dir, 'one.csv');
    writeFileSync(one, `${Array.from({ length: 225 }, (_, i) => (i % 5) / 5).join(',')}\n`);
    expectFailure(reclinkIn(dir, 'train', '--data', one, '--runs-dir', runs), 1, `reclink: ${one} has 1 sample, too few to split: expected at least 2 (one to train on, one to test on)`);
  });
});

describe('reclink train --normalize: each MSE says its units', () => {
  let run: Run;
  beforeAll(() => {
    run = train('--normalize', 'standardize', '--name', 'standardized');
  });

  it("marks the validation MSE as normalised and the final test MSE as in the data's units, which eval gives", () => {
    expect(run.status, run.stderr).toBe(0);
    const [epoch, done, test] = run.stdout.trimEnd().split('\n');
    const valMse = Number(readFileSync(runFile('standardized', 'metrics.csv'), 'utf8').trimEnd().split('\n')[1].split(',')[3]);
    expect(epoch).toContain(`val MSE/pixel ${valMse.toPrecision(3)} (normalized)`);
    expect(done).toMatch(/, best epoch 1 \(val MSE\/pixel [\d.]+, normalized\)$/);
    const evaluated = reclinkIn(dir, 'eval', '--model', runFile('standardized', 'last.safetensors'), '--json');
    expect(evaluated.status, evaluated.stderr).toBe(0);
    const { mse } = JSON.parse(evaluated.stdout) as { mse: number };
    expect(test.startsWith(`test (final weights, in the data's units): MSE/pixel ${mse.toPrecision(4)}, `)).toBe(true);
    expect(Math.abs(Math.log10(mse / valMse))).toBeGreaterThan(0.5); // the two units differ by far more than rounding
  });

  it('leaves the lines as they were without --normalize', () => {
    const plain = train('--name', 'plain');
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).not.toMatch(/normalized|units/);
  });
});

describe('reclink trace takes what eval takes', () => {
  it("traces a run folder's best checkpoint, on the inputs scaled by the run's normaliser", () => {
    const x = randomMatrix(3, 225, Random.fromSeed(4), 'float32', 0, 1);
    const input = join(dir, 'x.npy');
    writeNpy(input, x);
    const run = reclinkIn(dir, 'trace', '--model', join(runs, 'standardized'), '--input', input, '--out', join(dir, 't.safetensors'), '--json');
    expect(run.status, run.stderr).toBe(0);
    const best = loadRunCheckpoint(runFile('standardized', 'best.safetensors'));
    const { loss } = JSON.parse(run.stdout) as { loss: number };
    expect(loss).toBe(traceModel(best.net, best.normalizer.apply(x)).loss);
    expect(loss).not.toBe(traceModel(best.net, x).loss);
  });
});

describe('reclink reconstruct --out', () => {
  it('refuses a name that does not end in .png (exit 2), writing nothing', () => {
    const jpg = join(dir, 'grid.jpg');
    expectFailure(
      reclinkIn(dir, 'reconstruct', '--model', join(runs, 'plain'), '--out', jpg),
      2,
      "reclink: option '--out <path>' argument '" + jpg + "' is invalid. Expected a file name ending in .png: reconstruct writes PNG images.",
    );
    expect(existsSync(jpg)).toBe(false);
    const png = join(dir, 'grid.PNG');
    expect(reclinkIn(dir, 'reconstruct', '--model', join(runs, 'plain'), '--out', png, '--count', '2').status).toBe(0);
  });
});

describe('reclink train: threads', () => {
  it('refuses threads on the JS backend (exit 2)', () => {
    expectFailure(train('--backend', 'js', '--threads', '2'), 2, 'reclink: --threads 2 needs the wasm backend: the js backend runs on one thread');
  });

  it('warns in one line on stderr when there are more threads than cores, and trains', () => {
    const cores = availableParallelism();
    const run = train('--threads', String(cores + 1), '--json', '--name', 'crowded');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe(`reclink: warning: --threads ${cores + 1} is more than the ${cores} cores here; the threads will wait for one another (--threads ${cores} or fewer is faster)\n`);
    expect(jsonResult(run).backend).toBe(`wasm relaxed, ${cores + 1} threads`);
  });
});

describe('reclink train --resume keeps the run\'s backend', () => {
  beforeAll(() => {
    expect(train('--backend', 'js', '--name', 'on-js').status).toBe(0);
  });

  it('records the backend, its threads and --parallel in config.json and the checkpoints', () => {
    const config = JSON.parse(readFileSync(runFile('on-js', 'config.json'), 'utf8')) as { backend: unknown };
    expect(config.backend).toEqual({ backend: 'js', kernels: 'plain', threads: 1, parallel: 'products' });
    expect(loadRunCheckpoint(runFile('on-js', 'last.safetensors')).run?.backend).toEqual(config.backend);
    expect(loadRunCheckpoint(runFile('standardized', 'last.safetensors')).run?.backend).toEqual({ backend: 'wasm', kernels: 'relaxed', threads: 1, parallel: 'products' });
  });

  it("resumes on the run's own backend when no flag names one", () => {
    const resumed = reclinkIn(dir, 'train', '--resume', join(runs, 'on-js'), '--epochs', '2', '--json');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(jsonResult(resumed)).toMatchObject({ epochs: 2, backend: 'js' });
  });

  it("refuses another backend, kernel set, thread count or --parallel than the run's, naming the run's", () => {
    const last = runFile('standardized', 'last.safetensors');
    const why = 'a run resumes bit for bit only on its own backend, --kernels, --threads and --parallel';
    expectFailure(reclinkIn(dir, 'train', '--resume', last, '--epochs', '2', '--backend', 'js'), 2, `reclink: ${last} continues with its own backend "wasm", the command line asks for "js"; ${why}`);
    expectFailure(reclinkIn(dir, 'train', '--resume', last, '--epochs', '2', '--kernels', 'plain'), 2, `reclink: ${last} continues with its own kernels "relaxed", the command line asks for "plain"; ${why}`);
    expectFailure(reclinkIn(dir, 'train', '--resume', last, '--epochs', '2', '--threads', '2'), 2, `reclink: ${last} continues with its own threads 1, the command line asks for 2; ${why}`);
    const jsLast = runFile('on-js', 'last.safetensors');
    expectFailure(reclinkIn(dir, 'train', '--resume', join(runs, 'on-js'), '--epochs', '3', '--backend', 'wasm'), 2, `reclink: ${jsLast} continues with its own backend "js", the command line asks for "wasm"; ${why}`);
    // The run's own values, given again, are fine.
    expect(reclinkIn(dir, 'train', '--resume', last, '--epochs', '2', '--backend', 'wasm', '--kernels', 'relaxed', '--threads', '1', '--parallel', 'products').status).toBe(0);
  });
});

describe('reclink train --runs-dir', () => {
  it('fails at once, in one line, where no folder can be made (/proc), instead of hanging', () => {
    const started = Date.now();
    const { status, stdout, stderr } = spawnSync(process.execPath, [join(root, 'bin', 'reclink.js'), 'train', ...SMALL.slice(0, -2), '--runs-dir', '/proc/reclink-runs'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expectFailure({ status, stdout, stderr }, 1, /^reclink: cannot write \/proc\/reclink-runs: [a-z ]+$/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
