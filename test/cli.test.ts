import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommanderError } from 'commander';
import { Interrupted, outcomeOf } from '../src/cli/error-line.js';
import { ReclinkError } from '../src/errors.js';
import { loadCheckpoint, saveCheckpoint } from '../src/io/checkpoint.js';
import { writeNpy } from '../src/io/npy.js';
import { matrixTensor, readSafetensors, writeSafetensors } from '../src/io/safetensors.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { traceModel } from '../src/model/trace.js';
import { Random } from '../src/random.js';
import { randomMatrix } from './helpers.js';
import { expectFailure, reclink, root, type Run } from './cli-helpers.js';
import { firstBitDifference, temporaryFolder } from './io-helpers.js';

const dir = temporaryFolder('cli');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const path = (name: string): string => join(dir, name);

describe('reclink summary', () => {
  it("prints the exercise's 3.1.1 table and the parameter count", () => {
    const run = reclink('summary', '--batch', '8');
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^ {2}input\.weight +75x225 +W_in$/m);
    expect(run.stdout).toMatch(/^ {2}A_rec\.2 +8x75 /m);
    expect(run.stdout).toContain('total: 45,375 parameters');
  });

  it('prints JSON with --json, for the config the flags give', () => {
    const run = reclink('summary', '--json', '--batch', '4', '--link-bias', '--cycles', '3');
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout) as { batch: number; parameterCount: number; activations: { name: string; shape: number[] }[] };
    expect(summary.batch).toBe(4);
    expect(summary.parameterCount).toBe(45_375 + 75);
    expect(summary.activations.find((a) => a.name === 'A_rec.3')?.shape).toEqual([4, 75]);
  });
});

describe('reclink init and trace', () => {
  const x = randomMatrix(6, 225, Random.fromSeed(1), 'float32', 0, 1);
  writeNpy(path('x.npy'), x);

  it('init writes a checkpoint of the seeded model', () => {
    const run = reclink('init', '--out', path('m.safetensors'), '--seed', '3');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(`wrote ${path('m.safetensors')}: 45,375 parameters, torch init, seed 3\n`);
    const { net } = loadCheckpoint(path('m.safetensors'));
    const expected = new RecLinkNet({ seed: 3 });
    expect(net.config).toEqual(expected.config);
    for (const p of expected.parameters) expect(firstBitDifference(net.parameter(p.name).value.data, p.value.data), p.name).toBe(-1);
  });

  it('trace writes every tensor of the trace and prints the loss, as the library computes them', () => {
    const run = reclink('trace', '--model', path('m.safetensors'), '--input', path('x.npy'), '--out', path('t.safetensors'));
    expect(run.status, run.stderr).toBe(0);
    const expected = traceModel(new RecLinkNet({ seed: 3 }), x);
    expect(run.stdout).toBe(`loss ${expected.loss}\nwrote ${expected.tensors.size} tensors to ${path('t.safetensors')}\n`);
    const { tensors, metadata } = readSafetensors(path('t.safetensors'));
    expect([...tensors.keys()]).toEqual([...expected.tensors.keys()]);
    expect(tensors.has('grad.rec.weight') && tensors.has('delta_rec.2')).toBe(true);
    for (const [name, m] of expected.tensors) {
      expect(tensors.get(name)?.shape, name).toEqual([m.rows, m.cols]);
      expect(firstBitDifference(tensors.get(name)?.data ?? new Float32Array(0), m.data), name).toBe(-1);
    }
    expect(Number(metadata.loss)).toBe(expected.loss);
  });

  it('trace --json gives the loss and each tensor with its shape and L2 norm', () => {
    const run = reclink('trace', '--model', path('m.safetensors'), '--input', path('x.npy'), '--out', path('t2.safetensors'), '--json');
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { loss: number; tensors: { name: string; shape: number[]; norm: number }[] };
    const expected = traceModel(new RecLinkNet({ seed: 3 }), x);
    expect(result.loss).toBe(expected.loss);
    expect(result.tensors.map((t) => t.name)).toEqual([...expected.tensors.keys()]);
    const y = expected.tensors.get('Y');
    const yNorm = Math.sqrt(Array.from(y?.data ?? []).reduce((sum, v) => sum + v * v, 0));
    expect(result.tensors.find((t) => t.name === 'Y')).toEqual({ name: 'Y', shape: [6, 225], norm: expect.closeTo(yNorm, 6) });
  });

  it("trace reads a plain PyTorch state_dict file, with flags for what its shapes cannot tell", () => {
    const net = new RecLinkNet({ inputSize: 30, hiddenSize: 8, linkStride: 2, cycles: 3, linkBias: true, outputActivation: 'sigmoid', seed: 9 });
    const stateDict = new Map(net.parameters.map((p) => [p.name, matrixTensor(p.value, p.name.endsWith('.bias') ? [p.value.cols] : undefined)]));
    writeSafetensors(path('plain.safetensors'), stateDict);
    const batch = randomMatrix(2, 30, Random.fromSeed(2), 'float32', 0, 1);
    writeNpy(path('x30.npy'), batch);
    const run = reclink('trace', '--model', path('plain.safetensors'), '--input', path('x30.npy'), '--out', path('t3.safetensors'), '--cycles', '3', '--output-activation', 'sigmoid', '--json');
    expect(run.status, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { loss: number }).loss).toBe(traceModel(net, batch).loss);
  });
});

describe('reclink: bad input exits 1 with one line', () => {
  beforeAll(() => {
    saveCheckpoint(path('good.safetensors'), new RecLinkNet());
    writeNpy(path('good.npy'), randomMatrix(2, 225, Random.fromSeed(3), 'float32'));
    writeNpy(path('narrow.npy'), randomMatrix(2, 224, Random.fromSeed(3), 'float32'));
    writeFileSync(path('cut.safetensors'), readFileSync(path('good.safetensors')).subarray(0, 1000));
  });
  const trace = (model: string, input: string, out = path('out.safetensors')): Run => reclink('trace', '--model', model, '--input', input, '--out', out);

  it.each([
    ['a missing model', () => trace(path('none.safetensors'), path('good.npy')), `reclink: cannot read ${path('none.safetensors')}: no such file or directory`],
    ['a missing input', () => trace(path('good.safetensors'), path('none.npy')), `reclink: cannot read ${path('none.npy')}: no such file or directory`],
    ['a folder without a checkpoint as the model', () => trace(dir, path('good.npy')), `reclink: ${dir} has no best.safetensors or last.safetensors, expected a run folder with a checkpoint`],
    ['an NPY file as the model', () => trace(path('good.npy'), path('good.npy')), /^reclink: .*good\.npy: header length \d+ is above the limit/],
    ['a safetensors file as the input', () => trace(path('good.safetensors'), path('good.safetensors')), /^reclink: .*good\.safetensors: not an NPY file/],
    ['a truncated model', () => trace(path('cut.safetensors'), path('good.npy')), /^reclink: .*cut\.safetensors: tensor "input\.weight" has data_offsets \[0, 67500\], out of bounds of the \d+ data bytes$/],
    ['an input of the wrong width', () => trace(path('good.safetensors'), path('narrow.npy')), `reclink: ${path('narrow.npy')}: the batch is 2x224, the model expects N x 225 (inputSize) with N >= 1`],
    ['a config flag that contradicts the file', () => reclink('trace', '--model', path('good.safetensors'), '--input', path('good.npy'), '--out', path('o.safetensors'), '--hidden-size', '10'), /^reclink: .*good\.safetensors: tensor input\.weight has shape \[75, 225\], expected \[10, 225\]$/],
    ['an output in a missing folder', () => trace(path('good.safetensors'), path('good.npy'), path('no/t.safetensors')), `reclink: cannot write ${path('no/t.safetensors')}: no such file or directory`],
    ['init into a missing folder', () => reclink('init', '--out', path('no/m.safetensors')), `reclink: cannot write ${path('no/m.safetensors')}: no such file or directory`],
  ])('%s', (_, run, message) => expectFailure(run(), 1, message));
});

describe('reclink: usage errors exit 2 with one line', () => {
  it.each([
    ['no command', [], 'reclink: missing command: expected train, eval, reconstruct, encode, score, export, summary, init, trace, check, lab or bench (see reclink --help)'],
    ['an unknown command', ['trian'], "reclink: unknown command 'trian' (Did you mean train?)"],
    ['an unknown flag', ['summary', '--bacth', '3'], "reclink: unknown option '--bacth' (Did you mean --batch?)"],
    ['a bad number', ['summary', '--batch', '2x'], "reclink: option '--batch <N>' argument '2x' is invalid. Expected an integer."],
    ['a zero size', ['summary', '--hidden-size', '0'], "reclink: option '--hidden-size <H>' argument '0' is invalid. Expected a positive integer."],
    ['a bad choice', ['init', '--out', 'm.safetensors', '--init', 'zeros'], "reclink: option '--init <name>' argument 'zeros' is invalid. Allowed choices are torch, he, xavier."],
    ['a config that cannot work', ['init', '--out', 'm.safetensors', '--input-size', '2'], 'reclink: config field linkStride is 3, expected an integer from 1 to 2'],
    ['a missing required flag', ['trace', '--model', 'm.safetensors', '--out', 't.safetensors'], "reclink: required option '--input <path>' not specified"],
    ['an extra argument', ['summary', 'now'], "reclink: too many arguments for 'summary'. Expected 0 arguments but got 1."],
    ['a bad batch list', ['bench', '--batches', '1,0'], "reclink: option '--batches <list>' argument '1,0' is invalid. Expected positive integers separated by commas, e.g. 1,16,64."],
    ['one bench thread', ['bench', '--threads', '1'], "reclink: option '--threads <N>' argument '1' is invalid. Expected 2 or more: the threaded rows compare threads with one."],
  ])('%s', (_, args, message) => expectFailure(reclink(...(args as string[])), 2, message));
});

describe('a reader that closes the pipe early', () => {
  it('ends the command quietly, without a stack trace', async () => {
    const child = spawn(process.execPath, [join(root, 'bin', 'reclink.js'), 'summary'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // as `reclink summary | head -0` does
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect([code, stderr]).toEqual([0, '']);
  });
});

describe('reclink bench', () => {
  it('prints the measured cells as JSON', () => {
    const run = reclink('bench', '--batches', '1,3', '--budget-ms', '20', '--no-peers', '--json');
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { results: { impl: string; batch: number; mode: string; samplesPerSec: number }[] };
    const cells = report.results.map((r) => `${r.impl} ${r.batch} ${r.mode}`);
    expect(cells).toContain('reclink-wasm 3 train');
    expect(cells).toContain('reclink-js 1 infer');
    expect(report.results.every((r) => r.samplesPerSec > 0)).toBe(true);
  });
});

describe('reclink --help', () => {
  it.each([[[]], [['train']], [['eval']], [['reconstruct']], [['summary']], [['init']], [['trace']], [['lab']], [['bench']]])('works for %j', (command) => {
    const run = reclink(...command, '--help');
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`^Usage: reclink ${command.join(' ')}`));
  });
});

describe('outcomeOf', () => {
  it('maps every error to an exit code and one line', () => {
    expect(outcomeOf(new ReclinkError('config field cycles is 0, expected ...', 2))).toEqual({ exitCode: 2, line: 'reclink: config field cycles is 0, expected ...' });
    expect(outcomeOf(new ReclinkError('x.npy: bad'))).toEqual({ exitCode: 1, line: 'reclink: x.npy: bad' });
    expect(outcomeOf(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'\n(Did you mean --y?)"))).toEqual({
      exitCode: 2,
      line: "reclink: unknown option '--x' (Did you mean --y?)",
    });
    expect(outcomeOf(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toEqual({ exitCode: 0, line: null });
    expect(outcomeOf(new RangeError('Invalid array length\n    at somewhere'))).toEqual({ exitCode: 1, line: 'reclink: unexpected error: Invalid array length at somewhere' });
    expect(outcomeOf('a string')).toEqual({ exitCode: 1, line: 'reclink: unexpected error: a string' });
    expect(outcomeOf(new Interrupted('interrupted after 2 epochs and 3 steps: saved runs/a/last.safetensors'))).toEqual({
      exitCode: 130,
      line: 'reclink: interrupted after 2 epochs and 3 steps: saved runs/a/last.safetensors',
    });
  });
});
