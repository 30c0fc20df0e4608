import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunCheckpoint } from '../src/cli/run-checkpoint.js';
import { saveCheckpoint } from '../src/io/checkpoint.js';
import { writeNpy } from '../src/io/npy.js';
import { matrixTensor, writeSafetensors } from '../src/io/safetensors.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { Random } from '../src/random.js';
import { expectFailure, reclinkIn } from './cli-helpers.js';
import { randomMatrix } from './helpers.js';
import { temporaryFolder } from './io-helpers.js';
import { expectOnnxAgrees, readOnnx } from './onnx-helpers.js';

// `reclink export` end to end: a run trained with --normalize and a checkpoint file become
// ONNX files that onnxruntime runs as reclink does; bad input leaves no file behind.
const dir = temporaryFolder('cli-export');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = (name: string): string => join(dir, name);
const exportModel = (...args: string[]) => reclinkIn(dir, 'export', ...args);
const raw = randomMatrix(37, 225, Random.fromSeed(5), 'float32', 0, 1);

beforeAll(() => {
  const run = reclinkIn(dir, 'train', '--train-size', '300', '--test-size', '100', '--batch', '32', '--epochs', '1', '--normalize', 'standardize', '--runs-dir', 'runs', '--name', 'std');
  expect(run.status, run.stderr).toBe(0);
  saveCheckpoint(path('variant.safetensors'), new RecLinkNet({ hiddenSize: 50, cycles: 3, linkStride: 4, linkBias: true, outputActivation: 'sigmoid', seed: 6 }));
});

describe('reclink export', () => {
  it("writes a run folder's best model with its normaliser inside, as onnxruntime runs it", async () => {
    const run = exportModel('--model', 'runs/std', '--out', 'std.onnx');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      'wrote std.onnx from runs/std/best.safetensors: ONNX opset 17, input [N, 225], outputs reconstruction [N, 225] and code [N, 75] ' +
        '(the standardize normaliser inside: raw data in, data units out)\n',
    );
    const bytes = readFileSync(path('std.onnx'));
    const { net, normalizer } = loadRunCheckpoint(path('runs/std/best.safetensors'));
    expect(normalizer.kind).toBe('standardize');
    expect(JSON.parse(readOnnx(bytes).metadata.normalizer)).toEqual(normalizer.toJSON());
    await expectOnnxAgrees(bytes, net, raw, normalizer);
  });

  it('writes a checkpoint file at the opset asked for', async () => {
    const run = exportModel('--model', 'variant.safetensors', '--out', 'variant.onnx', '--opset', '13');
    expect(run.status, run.stderr).toBe(0);
    const bytes = readFileSync(path('variant.onnx'));
    expect(readOnnx(bytes).opsets).toEqual([{ domain: '', version: 13 }]);
    const { net, normalizer } = loadRunCheckpoint(path('variant.safetensors'));
    await expectOnnxAgrees(bytes, net, raw, normalizer);
  });

  describe('refuses bad input in one line, writing nothing', () => {
    beforeAll(() => {
      const checkpoint = readFileSync(path('variant.safetensors'));
      writeFileSync(path('truncated.safetensors'), checkpoint.subarray(0, checkpoint.length - 100));
      writeNpy(path('data.npy'), raw);
      writeSafetensors(path('other.safetensors'), new Map([['encoder.weight', matrixTensor(raw)]]));
    });
    const files = (): string[] => readdirSync(dir).sort();

    const cases: [string, string[], number, RegExp][] = [
      ['a truncated checkpoint', ['--model', 'truncated.safetensors', '--out', 'x.onnx'], 1, /^reclink: truncated\.safetensors: tensor "output\.bias" has data_offsets .* out of bounds/],
      ['a file that is no model', ['--model', 'data.npy', '--out', 'x.onnx'], 1, /^reclink: data\.npy: .*not a safetensors file/],
      ['tensors of another model', ['--model', 'other.safetensors', '--out', 'x.onnx'], 1, /^reclink: other\.safetensors: missing tensor input\.weight$/],
      ['a model that is not there', ['--model', 'missing.safetensors', '--out', 'x.onnx'], 1, /^reclink: cannot read missing\.safetensors: no such file/],
      ['an output folder that is not there', ['--model', 'variant.safetensors', '--out', 'nowhere/x.onnx'], 1, /^reclink: cannot write nowhere\/x\.onnx: no such file or directory$/],
      ['an output that is a folder', ['--model', 'variant.safetensors', '--out', 'runs'], 1, /^reclink: cannot write runs: /],
      ['an opset below the range', ['--model', 'variant.safetensors', '--out', 'x.onnx', '--opset', '12'], 2, /^reclink: option '--opset <n>' argument '12' is invalid\. Expected an integer from 13 to 21\.$/],
      ['an opset above the range', ['--model', 'variant.safetensors', '--out', 'x.onnx', '--opset', '22'], 2, /argument '22' is invalid\. Expected an integer from 13 to 21\.$/],
      ['an opset that is no integer', ['--model', 'variant.safetensors', '--out', 'x.onnx', '--opset', '17.5'], 2, /argument '17\.5' is invalid\. Expected an integer\.$/],
    ];
    for (const [what, args, status, message] of cases) {
      it(what, () => {
        const before = files();
        expectFailure(exportModel(...args), status, message);
        expect(files()).toEqual(before);
        expect(existsSync(path('nowhere'))).toBe(false);
      });
    }
  });
});
