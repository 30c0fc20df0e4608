import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunCheckpoint } from '../src/cli/run-checkpoint.js';
import { loadRunData } from '../src/cli/run-data.js';
import { RUN_FILES } from '../src/cli/run-folder.js';
import { Normalizer } from '../src/data/normalize.js';
import { deadOutputs } from '../src/eval/dead-outputs.js';
import { reconstruct, reconstructionMetrics } from '../src/eval/reconstruction.js';
import { loadCheckpoint, saveCheckpoint } from '../src/io/checkpoint.js';
import { readSafetensors } from '../src/io/safetensors.js';
import { firstRows, type Matrix } from '../src/linalg/matrix.js';
import { selectBackend } from '../src/linalg/select-backend.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { pairGrid } from '../src/report/grid.js';
import { Adam } from '../src/train/adam.js';
import { Trainer } from '../src/train/trainer.js';
import { ended, expectFailure, printed, reclinkIn, startReclink, type Run } from './cli-helpers.js';
import { firstBitDifference, temporaryFolder } from './io-helpers.js';

// `reclink train`, `eval` and `reconstruct` end to end, on 300 training and 100 test
// samples of the bundled digits (batches of 32: ten steps an epoch).
const dir = temporaryFolder('cli-train');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const runs = join(dir, 'runs');
const SMALL = ['--train-size', '300', '--test-size', '100', '--batch', '32'];
const trainIn = (runsDir: string, ...args: string[]): Run => reclinkIn(dir, 'train', ...SMALL, '--runs-dir', runsDir, ...args);
const train = (...args: string[]): Run => trainIn(runs, ...args);
const runFile = (name: string, file: string): string => join(runs, name, file);
// A step schedule with warm-up, AdamW and standardised data: all of it must survive the checkpoint.
const SETTINGS = ['--optimizer', 'adamw', '--weight-decay', '0.05', '--schedule', 'step', '--step-size', '1', '--gamma', '0.7', '--warmup', '4', '--normalize', 'standardize', '--seed', '5'];

// Run folders that several tests read are made once, by the first test that needs them (and
// checked to have succeeded), so that the tests pass in any order and each one alone.
const made = new Map<string, Run>();
function once(key: string, make: () => Run): Run {
  const done = made.get(key);
  if (done) return done;
  const run = make();
  expect(run.status, run.stderr).toBe(0);
  made.set(key, run);
  return run;
}
/** runs/first: the defaults on the small split, 3 epochs. */
const firstRun = (): Run => once('first', () => train('--epochs', '3', '--name', 'first'));
/** runs/whole: SETTINGS for 4 epochs without a stop. */
const whole = (): Run => once('whole', () => train(...SETTINGS, '--epochs', '4', '--name', 'whole'));
/** runs/halves: SETTINGS for 2 epochs, then resumed (on the run's own backend) to 4; the resumed run. */
const halvesResumed = (): Run => once('halves resumed', () => {
  once('halves', () => train(...SETTINGS, '--epochs', '2', '--name', 'halves'));
  return reclinkIn(dir, 'train', '--resume', join(runs, 'halves'), '--epochs', '4', '--json');
});

/** Every tensor of two safetensors files, bit for bit: the index of the first difference by name, -1 when equal. */
function tensorDifferences(a: string, b: string): Record<string, number> {
  const [x, y] = [readSafetensors(a).tensors, readSafetensors(b).tensors];
  expect([...x.keys()].sort()).toEqual([...y.keys()].sort());
  return Object.fromEntries([...x].map(([name, t]) => [name, firstBitDifference(t.data, y.get(name)?.data ?? new Float32Array(0))]));
}

/** Two checkpoints of `count` tensors each, bit-identical. */
function expectSameTensors(a: string, b: string, count: number): void {
  const differences = tensorDifferences(a, b);
  expect(Object.keys(differences)).toHaveLength(count);
  for (const [name, index] of Object.entries(differences)) expect(index, name).toBe(-1);
}

/** The rows of a metrics.csv, without the wall times. */
function metricsRows(path: string): string[] {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  expect(lines[0]).toBe('epoch,train_loss,val_loss,val_mse,lr,seconds');
  return lines.slice(1).map((line) => line.split(',').slice(0, 5).join(','));
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

function weightsOf(net: RecLinkNet): Record<string, Float32Array | Float64Array> {
  return Object.fromEntries(net.parameters.map((p) => [p.name, p.value.data]));
}

describe('reclink train', () => {
  it('trains, printing a line an epoch and the result, and writes a complete run folder', () => {
    const run = firstRun();
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    lines.slice(0, 3).forEach((line, i) => expect(line).toMatch(new RegExp(`^epoch ${i + 1}/3  train loss [\\d.]+  val loss [\\d.]+  val MSE/pixel [\\d.]+  lr 0\\.001  [\\d.]+ s( {2}best)?$`)));
    expect(lines[3]).toMatch(/^done: 3 epochs, 30 steps in [\d.]+ s on (wasm relaxed, 1 thread|js), best epoch 3 \(val MSE\/pixel [\d.]+\)$/);
    expect(lines[4]).toMatch(/^test \(final weights\): MSE\/pixel [\d.]+, PSNR [\d.]+ dB, SSE [\d.]+ over 100 samples$/);
    expect(lines[5]).toBe(`wrote ${join(runs, 'first')}: config.json, metrics.csv, last.safetensors, best.safetensors, report.html`);
    expect(readdirSync(join(runs, 'first')).sort()).toEqual([...RUN_FILES].sort());
  });

  it('records the model, the data, the training settings and the normaliser in config.json', () => {
    firstRun();
    const config = JSON.parse(readFileSync(runFile('first', 'config.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(config.model).toEqual(new RecLinkNet().config);
    expect(config.data).toEqual({ source: 'bundled', trainSize: 300, testSize: 100, splitSeed: 0, normalize: 'none' });
    expect(config.training).toMatchObject({ epochs: 3, batchSize: 32, seed: 0, optimizer: 'adam', lr: 0.001, betas: [0.9, 0.999], schedule: 'constant', loss: 'sum' });
    expect(config.normalizer).toEqual({ kind: 'none' });
  });

  it('writes a metrics row an epoch, and the loss falls', () => {
    firstRun();
    const rows = metricsRows(runFile('first', 'metrics.csv')).map((row) => row.split(',').map(Number));
    expect(rows.map((r) => r[0])).toEqual([1, 2, 3]);
    const [first, , last] = rows;
    expect(last[1]).toBeLessThan(0.8 * first[1]); // train loss
    expect(last[2]).toBeLessThan(0.8 * first[2]); // validation loss
    expect(last[3]).toBeCloseTo(last[2] / 225, 12); // val_mse = val_loss per pixel
  });

  it.each([
    ['its default backend (auto: wasm relaxed, 1 thread)', 'first', [], 'auto' as const],
    ['--backend js', 'plain-js', ['--backend', 'js'], 'js' as const],
  ])('trains exactly as the library does with the same settings, on %s', async (_, name, flags, backendName) => {
    if (name === 'first') firstRun();
    else expect(train('--epochs', '3', '--name', name, ...flags).status).toBe(0);
    const { split } = loadRunData({ trainSize: 300, testSize: 100 }, 225);
    const backend = await selectBackend(backendName, { threads: 1 });
    const net = new RecLinkNet({ seed: 0 }, { backend });
    new Trainer(net, new Adam(net, { lr: 1e-3 }), split.train.x, split.test.x, { epochs: 3, batchSize: 32, seed: 0 }).run();
    const saved = loadCheckpoint(runFile(name, 'last.safetensors')).net;
    for (const [parameter, data] of Object.entries(weightsOf(net))) expect(firstBitDifference(saved.parameter(parameter).value.data, data), parameter).toBe(-1);
  });

  it('keeps the state to resume from in last.safetensors, and the best weights in best.safetensors', () => {
    firstRun();
    const last = loadRunCheckpoint(runFile('first', 'last.safetensors'));
    expect(last.resume?.state.json).toMatchObject({ epochsDone: 3, stepInEpoch: 0, globalStep: 30, batchSize: 32, trainSize: 300 });
    expect(last.resume?.epochSeconds).toHaveLength(3);
    expect(last.run?.data.trainSize).toBe(300);
    const best = loadRunCheckpoint(runFile('first', 'best.safetensors'));
    expect(best.resume).toBeNull();
    expect(best.normalizer.kind).toBe('none');
    // The third epoch is the best: its weights are the last ones, and the trainer's copy of the best.
    for (const [name, data] of Object.entries(weightsOf(best.net))) {
      expect(firstBitDifference(data, last.net.parameter(name).value.data), name).toBe(-1);
      expect(firstBitDifference(data, last.resume?.state.tensors[`best.${name}`].data ?? new Float32Array(0)), name).toBe(-1);
    }
  });

  it('writes a stand-alone report with the curves, the digits and the settings', () => {
    firstRun();
    const html = readFileSync(runFile('first', 'report.html'), 'utf8');
    expect(html).toContain('<h1>reclink run first</h1>');
    expect(html.match(/<svg/g)).toHaveLength(4); // loss, validation MSE, the errors' histogram, the codes map
    expect(html).toMatch(/src="data:image\/png;base64,[A-Za-z0-9+/=]+"/);
    expect(html).toContain('<th>optimizer</th><td>adam</td>');
    expect(html).toContain('<th>training samples</th><td>300</td>');
    const { split } = loadRunData({ trainSize: 300, testSize: 100 }, 225);
    const dead = deadOutputs(loadRunCheckpoint(runFile('first', 'last.safetensors')).net, split.test.x, Normalizer.fromJSON({ kind: 'none' }));
    expect(html).toContain(`<th>dead outputs</th><td>${dead} of 225: output units whose ReLU never fires on any test sample`);
    expect(html.replaceAll('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:|<script/);
  });

  it('stops early after --patience epochs without a better validation loss, keeping the best epoch in best.safetensors', () => {
    const result = train('--lr', '0.05', '--epochs', '30', '--patience', '1', '--json', '--name', 'early');
    expect(result.status, result.stderr).toBe(0);
    const summary = jsonLines(result.stdout).at(-1) as { stopReason: string; epochs: number; best: { epoch: number } };
    expect(summary.stopReason).toBe('early-stopping');
    expect(summary.epochs).toBe(summary.best.epoch + 1);
    expect(metricsRows(runFile('early', 'metrics.csv'))).toHaveLength(summary.epochs);
    const best = loadRunCheckpoint(runFile('early', 'best.safetensors')).net;
    const last = loadRunCheckpoint(runFile('early', 'last.safetensors'));
    for (const [name, data] of Object.entries(weightsOf(best))) {
      expect(firstBitDifference(data, last.resume?.state.tensors[`best.${name}`].data ?? new Float32Array(0)), name).toBe(-1);
    }
    expect(firstBitDifference(best.parameter('rec.weight').value.data, last.net.parameter('rec.weight').value.data)).not.toBe(-1);
  });

  it('names run folders run-1, run-2, ... and refuses a name in use', () => {
    const numberedRuns = join(dir, 'numbered-runs'); // its own: other tests add folders to runs/
    for (const expected of ['run-1', 'run-2']) {
      const numbered = trainIn(numberedRuns, '--epochs', '1', '--json');
      expect(numbered.status, numbered.stderr).toBe(0);
      expect(jsonLines(numbered.stdout).at(-1)).toMatchObject({ event: 'result', run: join(numberedRuns, expected) });
    }
    const taken = join(numberedRuns, 'run-1');
    expectFailure(trainIn(numberedRuns, '--name', 'run-1'), 2, `reclink: ${taken} exists already: choose another --name, or continue that run with --resume ${taken}`);
  });
});

describe('reclink eval and reconstruct read what train wrote', () => {
  const csv = join(dir, 'test-part.csv');
  let test: Matrix;
  beforeAll(() => {
    firstRun();
    test = loadRunData({ trainSize: 300, testSize: 100 }, 225).split.test.x;
    const rows = Array.from({ length: test.rows }, (_, n) => Array.from(test.data.subarray(n * 225, (n + 1) * 225)).join(','));
    writeFileSync(csv, `${rows.join('\n')}\n`);
  });

  it('eval gives SSE, MSE per pixel, PSNR and dead outputs of the best checkpoint on the run\'s test samples', () => {
    const best = loadRunCheckpoint(runFile('first', 'best.safetensors'));
    const expected = reconstructionMetrics(test, reconstruct(best.net, test, best.normalizer));
    const dead = deadOutputs(best.net, test, best.normalizer);
    const result = reclinkIn(dir, 'eval', '--model', join(runs, 'first'), '--json');
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      model: runFile('first', 'best.safetensors'),
      data: 'the test part of bundled',
      normalizer: { kind: 'none' },
      samples: 100,
      sse: expected.sse,
      mse: expected.mse,
      psnr: 10 * Math.log10(1 / expected.mse),
      peak: 1,
      deadOutputs: dead,
    });
    const text = reclinkIn(dir, 'eval', '--model', runFile('first', 'best.safetensors'), '--data', csv);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toBe(
      [
        `${runFile('first', 'best.safetensors')} on ${csv} (100 samples, normaliser none):`,
        `  SSE            ${expected.sse.toPrecision(6)}`,
        `  MSE per pixel  ${expected.mse.toPrecision(4)}`,
        `  PSNR           ${expected.psnr.toFixed(2)} dB (peak 1)`,
        `  dead outputs   ${dead} of 225 (ReLU never fires on these samples)`,
        '',
      ].join('\n'),
    );
  });

  it('reconstruct draws inputs beside reconstructions in a PNG, written whole', () => {
    const out = join(dir, 'grid.png');
    const result = reclinkIn(dir, 'reconstruct', '--model', join(runs, 'first'), '--data', csv, '--out', out, '--count', '5');
    expect(result.status, result.stderr).toBe(0);
    const best = loadRunCheckpoint(runFile('first', 'best.safetensors'));
    const inputs = firstRows(test, 5);
    const expected = pairGrid(inputs, reconstruct(best.net, inputs, best.normalizer), { columns: 8, zoom: 4 });
    expect(result.stdout).toBe(`wrote ${out}: 5 samples beside their reconstructions (${expected.width}x${expected.height})\n`);
    const png = PNG.sync.read(readFileSync(out));
    expect([png.width, png.height]).toEqual([expected.width, expected.height]);
    expect(Array.from({ length: expected.pixels.length }, (_, i) => png.data[4 * i])).toEqual(Array.from(expected.pixels));
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('reclink train --resume', () => {
  it('continues exactly: the same weights, optimizer state and metrics as a run never stopped (on the run\'s own backend)', () => {
    whole();
    const lines = jsonLines(halvesResumed().stdout);
    expect(lines.map((line) => [line.event, line.epoch])).toEqual([['epoch', 3], ['epoch', 4], ['result', undefined]]);
    expect(lines[2]).toMatchObject({ run: join(runs, 'halves'), stopReason: 'completed', epochs: 4, steps: 40, backend: 'wasm relaxed, 1 thread' });
    expectSameTensors(runFile('halves', 'last.safetensors'), runFile('whole', 'last.safetensors'), 7 * 4); // weights, 2 moments, best weights
    expectSameTensors(runFile('halves', 'best.safetensors'), runFile('whole', 'best.safetensors'), 7);
    expect(metricsRows(runFile('halves', 'metrics.csv'))).toEqual(metricsRows(runFile('whole', 'metrics.csv')));
    const config = JSON.parse(readFileSync(runFile('halves', 'config.json'), 'utf8')) as { training: { epochs: number }; normalizer: { kind: string } };
    expect([config.training.epochs, config.normalizer.kind]).toEqual([4, 'standardize']);
  });

  it('trains data-parallel with --parallel data, as one thread does up to rounding, and resumes so', () => {
    const run = train(...SETTINGS, '--epochs', '2', '--threads', '2', '--parallel', 'data', '--name', 'data-parallel', '--json');
    expect(run.status, run.stderr).toBe(0);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ backend: 'wasm relaxed, 2 threads, data-parallel', epochs: 2 });
    expect(readFileSync(runFile('data-parallel', 'report.html'), 'utf8')).toContain('wasm relaxed, 2 threads, data-parallel');
    const resumed = reclinkIn(dir, 'train', '--resume', join(runs, 'data-parallel'), '--epochs', '4', '--threads', '2', '--parallel', 'data');
    expect(resumed.status, resumed.stderr).toBe(0);
    const valLoss = (name: string): number[] => metricsRows(runFile(name, 'metrics.csv')).map((row) => Number(row.split(',')[2]));
    whole();
    const [parallel, oneThread] = [valLoss('data-parallel'), valLoss('whole')];
    expect(parallel).toHaveLength(4);
    parallel.forEach((loss, i) => expect(Math.abs(loss - oneThread[i]) / oneThread[i]).toBeLessThan(1e-3));
  });

  it('refuses other settings than the run\'s, and a checkpoint without training state', () => {
    halvesResumed();
    const last = runFile('halves', 'last.safetensors');
    expectFailure(
      reclinkIn(dir, 'train', '--resume', last, '--epochs', '6', '--lr', '0.01'),
      2,
      `reclink: ${last} continues with its own lr 0.001, the command line asks for 0.01; only --epochs may change on --resume`,
    );
    expectFailure(
      reclinkIn(dir, 'train', '--resume', join(runs, 'halves'), '--hidden-size', '10'),
      2,
      `reclink: ${last} continues with its own hiddenSize 75, the command line asks for 10; only --epochs may change on --resume`,
    );
    expectFailure(
      reclinkIn(dir, 'train', '--resume', join(runs, 'halves'), '--epochs', '3'),
      2,
      'reclink: the run has done 4 epochs already, and 3 were asked for; give --epochs 4 or more',
    );
    expectFailure(
      reclinkIn(dir, 'train', '--resume', join(runs, 'halves'), '--name', 'elsewhere'),
      2,
      'reclink: --resume continues the run in its own folder; leave out --name and --runs-dir',
    );
    const best = runFile('halves', 'best.safetensors');
    expectFailure(reclinkIn(dir, 'train', '--resume', best), 1, `reclink: ${best} has no training state to resume from, expected a run's last.safetensors`);
  });
});

describe('reclink train: Ctrl-C and divergence', () => {
  it('saves a checkpoint on SIGINT and exits 130 with one line; resuming it gives the uninterrupted run', async () => {
    const child = startReclink(dir, 'train', ...SMALL, '--runs-dir', runs, '--epochs', '1000', '--json', '--name', 'interrupted');
    const done = ended(child);
    await printed(child, '"event":"epoch"'); // the first epoch is over: stop in the middle of the run
    child.kill('SIGINT');
    const result = await done;
    expect(result.status, result.stderr).toBe(130);
    const last = runFile('interrupted', 'last.safetensors');
    const line = /^reclink: interrupted after (\d+) epochs and (\d+) steps: saved (.+); continue with reclink train --resume (.+)\n$/.exec(result.stderr);
    expect(line?.slice(3)).toEqual([last, join(runs, 'interrupted')]);
    const [epochsDone, steps] = [Number(line?.[1]), Number(line?.[2])];
    expect(epochsDone).toBeGreaterThanOrEqual(1);
    expect(loadRunCheckpoint(last).resume?.state.json).toMatchObject({ epochsDone, stepInEpoch: steps, globalStep: 10 * epochsDone + steps });

    const epochs = String(epochsDone + 1);
    expect(reclinkIn(dir, 'train', '--resume', last, '--epochs', epochs).status).toBe(0);
    expect(train('--epochs', epochs, '--name', 'uninterrupted').status).toBe(0);
    expectSameTensors(last, runFile('uninterrupted', 'last.safetensors'), 7 * 4);
  });

  it('says so in one line when training diverges, exits 1 and keeps the last good checkpoint', () => {
    const result = train('--optimizer', 'sgd', '--lr', '10', '--name', 'diverged');
    const last = runFile('diverged', 'last.safetensors');
    expectFailure(result, 1, new RegExp(`^reclink: training diverged: the (loss|gradient norm|weight norm|validation loss) was (NaN|-?Infinity) at epoch 1, step \\d+; the last good checkpoint is ${last}$`));
    const kept = loadRunCheckpoint(last);
    expect(kept.resume?.state.json.globalStep).toBe(0);
    for (const [name, data] of Object.entries(weightsOf(new RecLinkNet({ seed: 0 })))) expect(firstBitDifference(kept.net.parameter(name).value.data, data), name).toBe(-1);
    expect(existsSync(runFile('diverged', 'best.safetensors'))).toBe(false);
  });
});

describe('reclink train, eval and reconstruct: bad input exits 1 or 2 with one line', () => {
  const file = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const row = (n: number): string => Array.from({ length: n }, (_, i) => (i % 7) / 7).join(',');
  const narrow = (): string => file('narrow.csv', `${row(200)}\n${row(200)}\n`);
  const firstFolder = (): string => {
    firstRun();
    return join(runs, 'first');
  };
  const fresh = join(dir, 'fresh.safetensors');
  beforeAll(() => saveCheckpoint(fresh, new RecLinkNet()));
  // Bad training runs get their own runs folder, which must stay empty.
  const badRuns = join(dir, 'bad-input-runs');
  const train = (...args: string[]): Run => trainIn(badRuns, ...args);

  it.each([
    ['a missing data file', () => train('--data', join(dir, 'none.csv')), 1, `reclink: ${join(dir, 'none.csv')}: no such file or folder, expected data (a file, a folder of PNG images or "bundled")`],
    ['a ragged CSV', () => train('--data', file('ragged.csv', `${row(225)}\n${row(224)}\n`)), 1, `reclink: ${join(dir, 'ragged.csv')}: line 2 has 224 columns, the model expects 225 (15 × 15 pixels)`],
    ['data of the wrong width', () => train('--data', narrow()), 1, `reclink: ${join(dir, 'narrow.csv')}: line 1 has 200 columns, the model expects 225 (15 × 15 pixels)`],
    ['a split larger than the data', () => train('--train-size', '9000', '--test-size', '2000'), 2, 'reclink: bundled MNIST-15 has only 10000 samples, too few for 9000 training and 2000 test samples: each size can be 1 to 9999, the two together at most 10000'],
    ['a bad number', () => train('--lr', 'fast'), 2, "reclink: option '--lr <rate>' argument 'fast' is invalid. Expected a number."],
    ['a negative learning rate', () => train('--lr', '-1'), 2, 'reclink: learning rate is -1, expected a finite number > 0'],
    ['an unknown optimizer', () => train('--optimizer', 'rmsprop'), 2, "reclink: option '--optimizer <name>' argument 'rmsprop' is invalid. Allowed choices are sgd, adam, adamw."],
    ['bad betas', () => train('--betas', '0.9'), 2, "reclink: option '--betas <b1,b2>' argument '0.9' is invalid. Expected two numbers: beta1,beta2."],
    ['momentum for Adam', () => train('--momentum', '0.9'), 2, "reclink: momentum and nesterov are SGD's, the optimizer is adam (use betas)"],
    ['a step schedule without its step', () => train('--schedule', 'step'), 2, 'reclink: the step schedule needs a step size (epochs between decays)'],
    ['a run name with a slash', () => train('--name', 'a/b'), 2, 'reclink: run name "a/b" is not a folder name, expected letters, digits, \'.\', \'_\' or \'-\''],
    ['an unknown backend', () => train('--backend', 'gpu'), 2, "reclink: option '--backend <name>' argument 'gpu' is invalid. Allowed choices are js, wasm, auto."],
    ['an unknown way to share threads', () => train('--parallel', 'batch'), 2, "reclink: option '--parallel <how>' argument 'batch' is invalid. Allowed choices are products, data."],
    ['data-parallel on one thread', () => train('--parallel', 'data'), 2, 'reclink: --parallel data splits the batch between threads: it needs the wasm backend and --threads 2 or more'],
    ['zero threads', () => train('--threads', '0'), 2, "reclink: option '--threads <n>' argument '0' is invalid. Expected a positive integer or auto."],
    ['an unknown flag', () => train('--epoch', '3'), 2, "reclink: unknown option '--epoch' (Did you mean --epochs?)"],
    ['a missing model', () => reclinkIn(dir, 'eval', '--model', join(dir, 'none.safetensors')), 1, `reclink: cannot read ${join(dir, 'none.safetensors')}: no such file or directory`],
    ['eval data of the wrong width', () => reclinkIn(dir, 'eval', '--model', firstFolder(), '--data', narrow()), 1, `reclink: ${join(dir, 'narrow.csv')}: line 1 has 200 columns, the model expects 225 (15 × 15 pixels)`],
    ['a model that does not say its data', () => reclinkIn(dir, 'eval', '--model', fresh), 2, `reclink: ${fresh} does not say what data it was trained on: give --data`],
    ['reconstruct without --out', () => reclinkIn(dir, 'reconstruct', '--model', join(runs, 'first')), 2, "reclink: required option '--out <path>' not specified"],
    ['reconstruct into a missing folder', () => reclinkIn(dir, 'reconstruct', '--model', firstFolder(), '--out', join(dir, 'no', 'g.png')), 1, `reclink: cannot write ${join(dir, 'no', 'g.png')}: no such file or directory`],
  ])('%s, and no run folder', (_, run, status, message) => {
    expectFailure(run(), status, message);
    expect(existsSync(badRuns) ? readdirSync(badRuns) : []).toEqual([]);
  });
});
