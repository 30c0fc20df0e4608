import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromValues } from '../src/linalg/matrix.js';
import { loadCheckpoint, saveCheckpoint } from '../src/io/checkpoint.js';
import { matrixTensor, readSafetensors, serializeSafetensors, writeSafetensors, type TensorToWrite } from '../src/io/safetensors.js';
import type { RecLinkConfig } from '../src/model/config.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { Random } from '../src/random.js';
import { firstBitDifference, reclinkError, temporaryFolder } from './io-helpers.js';

const dir = temporaryFolder('checkpoint');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL: Partial<RecLinkConfig> = { inputSize: 20, hiddenSize: 7, linkStride: 4, cycles: 3, linkBias: true, outputActivation: 'sigmoid', init: 'he', seed: 5 };

/** A model whose weights are not those its config's seed draws, as after training. */
function trained(config: Partial<RecLinkConfig>): RecLinkNet {
  const net = new RecLinkNet(config);
  const random = Random.fromSeed(99);
  for (const p of net.parameters) p.value.data.forEach((_, i, data) => (data[i] = random.normal()));
  return net;
}

/** The tensors of `net` as `safetensors.torch.save_file(model.state_dict())` writes them. */
function stateDict(net: RecLinkNet): Map<string, TensorToWrite> {
  return new Map(net.parameters.map((p) => [p.name, matrixTensor(p.value, p.name.endsWith('.bias') ? [p.value.cols] : undefined)]));
}

function expectSameWeights(a: RecLinkNet, b: RecLinkNet): void {
  expect(b.parameters.map((p) => p.name)).toEqual(a.parameters.map((p) => p.name));
  for (const p of a.parameters) expect(firstBitDifference(b.parameter(p.name).value.data, p.value.data), p.name).toBe(-1);
}

let counter = 0;
function file(tensors: Map<string, TensorToWrite>, metadata: Record<string, string> = {}): string {
  const path = join(dir, `f${counter++}.safetensors`);
  writeSafetensors(path, tensors, metadata);
  return path;
}

describe('checkpoints', () => {
  it('load back the weights bit for bit and the config', () => {
    const net = trained(SMALL);
    const path = join(dir, 'small.safetensors');
    saveCheckpoint(path, net);
    const { net: loaded, extraTensors, metadata } = loadCheckpoint(path);
    expect(loaded.config).toEqual(net.config);
    expectSameWeights(net, loaded);
    expect(extraTensors.size).toBe(0);
    expect(metadata).toEqual({});
  });

  it('store weights as PyTorch names and shapes them, with the config in __metadata__', () => {
    const net = trained({});
    const path = join(dir, 'default.safetensors');
    saveCheckpoint(path, net);
    const { tensors, metadata } = readSafetensors(path);
    const shapes = Object.fromEntries([...tensors].map(([name, t]) => [name, [t.dtype, ...t.shape]]));
    expect(shapes).toEqual({
      'input.weight': ['F32', 75, 225],
      'input.bias': ['F32', 75],
      'link.weight': ['F32', 75, 75],
      'rec.weight': ['F32', 75, 75],
      'rec.bias': ['F32', 75],
      'output.weight': ['F32', 225, 75],
      'output.bias': ['F32', 225],
    });
    expect(metadata).toEqual({ format: 'reclink', version: '1', config: JSON.stringify(net.config) });
  });

  it('carry extra tensors and metadata strings', () => {
    const net = trained(SMALL);
    const path = join(dir, 'extras.safetensors');
    const moment = fromValues(1, 7, [1, 2, 3, 4, 5, 6, 7]);
    const tensors = new Map([['optimizer.exp_avg.input.bias', moment], ['optimizer.step', fromValues(1, 1, [12])]]);
    saveCheckpoint(path, net, { tensors, metadata: { epoch: '3', random: '[1,2,3,4]' } });
    const loaded = loadCheckpoint(path);
    expect(loaded.extraTensors).toEqual(tensors);
    expect(loaded.metadata).toEqual({ epoch: '3', random: '[1,2,3,4]' });
  });

  it('refuse extras that would collide with the model', () => {
    const net = trained(SMALL);
    const path = join(dir, 'collide.safetensors');
    expect(() => saveCheckpoint(path, net, { tensors: new Map([['rec.extra', fromValues(1, 1, [0])]]) })).toThrow(/layer's prefix/);
    expect(() => saveCheckpoint(path, net, { metadata: { config: '{}' } })).toThrow(/reserved/);
  });

  it('load into a float64 model exactly, and take config overrides', () => {
    const net = trained(SMALL);
    const path = join(dir, 'f64.safetensors');
    saveCheckpoint(path, net);
    const { net: loaded } = loadCheckpoint(path, { dtype: 'float64', overrides: { cycles: 1, outputActivation: 'identity' } });
    expect(loaded.dtype).toBe('float64');
    expect(loaded.config).toEqual({ ...net.config, cycles: 1, outputActivation: 'identity' });
    for (const p of net.parameters) expect(Array.from(loaded.parameter(p.name).value.data)).toEqual(Array.from(p.value.data));
  });
});

describe('plain safetensors files (no reclink metadata)', () => {
  it('load with the config inferred from the shapes and the rest from defaults or overrides', () => {
    const net = trained(SMALL);
    const { net: loaded } = loadCheckpoint(file(stateDict(net)), { overrides: { cycles: 3, outputActivation: 'sigmoid' } });
    expect(loaded.config).toEqual({ ...net.config, init: 'torch', seed: 0 });
    expectSameWeights(net, loaded);
    const torchNet = trained({ seed: 3 });
    const defaults = loadCheckpoint(file(stateDict(torchNet), { format: 'pt' }));
    expect(defaults.net.config).toEqual(new RecLinkNet().config);
    expectSameWeights(torchNet, defaults.net);
    expect(defaults.metadata).toEqual({ format: 'pt' });
  });

  it('need --link-stride when several strides give the link width', () => {
    const net = new RecLinkNet({ inputSize: 10, hiddenSize: 3, linkStride: 7 }); // link width 2: any stride from 5 to 9
    const path = file(stateDict(net));
    expect(reclinkError(() => loadCheckpoint(path)).message).toBe(
      `${path}: link.weight has 2 columns, which every link stride from 5 to 9 gives; set linkStride (--link-stride)`,
    );
    expect(loadCheckpoint(path, { overrides: { linkStride: 7 } }).net.config.linkStride).toBe(7);
    expect(reclinkError(() => loadCheckpoint(path, { overrides: { linkStride: 3 } })).message).toBe(
      `${path}: tensor link.weight has shape [3, 2], expected [3, 4]`,
    );
  });

  it('refuse what does not fit the model, naming the tensor', () => {
    const net = new RecLinkNet({ inputSize: 12, hiddenSize: 4, linkStride: 3 });
    const good = stateDict(net);
    const edit = (name: string, tensor: TensorToWrite | null): Map<string, TensorToWrite> => {
      const tensors = new Map(good);
      if (tensor) tensors.set(name, tensor);
      else tensors.delete(name);
      return tensors;
    };
    const vector = (values: number[]): TensorToWrite => ({ shape: [values.length], data: Float32Array.from(values) });
    const cases: [Map<string, TensorToWrite>, string][] = [
      [edit('rec.bias', null), 'missing tensor rec.bias'],
      [edit('input.weight', null), 'missing tensor input.weight'],
      [edit('rec.weight', { shape: [4, 3], data: new Float32Array(12) }), 'tensor rec.weight has shape [4, 3], expected [4, 4]'],
      [edit('rec.bias', { shape: [1, 4], data: new Float32Array(4) }), 'tensor rec.bias has shape [1, 4], expected [4]'],
      [edit('input.weight', { shape: [4, 12, 1], data: new Float32Array(48) }), 'tensor input.weight has shape [4, 12, 1], expected [hiddenSize, inputSize]'],
      [edit('link.weight', { shape: [4, 13], data: new Float32Array(52) }), 'link.weight has 13 columns, but no link stride s gives ceil(12 / s) = 13'],
      [edit('output.bias', vector([0, 1, NaN, ...new Array<number>(9).fill(0)])), 'tensor output.bias has NaN at index 2, expected finite weights'],
      [edit('rec.bias', vector([Infinity, 0, 0, 0])), 'tensor rec.bias has Infinity at index 0, expected finite weights'],
      [edit('extra', vector([1])), 'unexpected tensor "extra"; the model has input.weight, input.bias, link.weight, rec.weight, rec.bias, output.weight, output.bias'],
      [edit('input.weight', { shape: [70000, 0], data: new Float32Array(0) }), 'tensor input.weight has shape [70000, 0], expected [hiddenSize, inputSize]'],
    ];
    for (const [tensors, message] of cases) {
      const path = file(tensors);
      const error = reclinkError(() => loadCheckpoint(path));
      expect(error.message).toBe(`${path}: ${message}`);
      expect(error.exitCode).toBe(1);
    }
  });

  it('refuse a width beyond the configurable before building anything', () => {
    const tensors = new Map<string, TensorToWrite>([
      ['input.weight', { shape: [70000, 1], data: new Float32Array(70000) }],
      ['link.weight', { shape: [70000, 1], data: new Float32Array(70000) }],
    ]);
    const path = file(tensors);
    expect(reclinkError(() => loadCheckpoint(path)).message).toBe(`${path}: its config field hiddenSize is 70000, expected an integer from 1 to 65536`);
  });
});

describe('reclink checkpoints: malformed', () => {
  const net = new RecLinkNet({ inputSize: 12, hiddenSize: 4, linkStride: 3 });
  const metadata = { format: 'reclink', version: '1', config: JSON.stringify(net.config) };

  const cases: [Map<string, TensorToWrite>, Record<string, string>, string][] = [
    [stateDict(net), { ...metadata, version: '2' }, 'reclink checkpoint version "2" is not supported, expected "1"'],
    [stateDict(net), { format: 'reclink', version: '1' }, 'reclink checkpoint without a config in __metadata__'],
    [stateDict(net), { ...metadata, config: '{"inputSize": 12' }, 'the config in __metadata__ is not valid JSON'],
    [stateDict(net), { ...metadata, config: '[12]' }, 'the config in __metadata__ is [12], expected a JSON object'],
    [stateDict(net), { ...metadata, config: JSON.stringify({ ...net.config, cycles: 0 }) }, 'its config field cycles is 0, expected an integer from 1 to 64'],
    [stateDict(net), { ...metadata, config: JSON.stringify({ ...net.config, hiddenSize: 5 }) }, 'tensor input.weight has shape [4, 12], expected [5, 12]'],
    [stateDict(net), { ...metadata, config: `{"init": ${'['.repeat(10_000)}${']'.repeat(10_000)}}` }, `its config field init is ${'['.repeat(80)}..., expected torch, he, xavier`],
    [stateDict(net), { ...metadata, config: JSON.stringify({ ...net.config, cycles: '1'.repeat(1_000_000) }) }, `its config field cycles is "${'1'.repeat(79)}..., expected an integer from 1 to 64`],
    [new Map([...stateDict(net), ['link.bias', matrixTensor(fromValues(1, 4, [0, 0, 0, 0]), [4])]]), metadata, 'unexpected tensor "link.bias"; the model has input.weight, input.bias, link.weight, rec.weight, rec.bias, output.weight, output.bias'],
    [new Map([...stateDict(net), ['optimizer.x', matrixTensor(fromValues(1, 1, [0]), [1, 1, 1])]]), metadata, 'tensor "optimizer.x" has shape [1, 1, 1], expected a vector or a matrix'],
  ];
  it.each(cases.map(([tensors, meta, message]) => ({ tensors, meta, message })))('refuses: $message', ({ tensors, meta, message }) => {
    const path = file(tensors, meta);
    const error = reclinkError(() => loadCheckpoint(path));
    expect(error.message).toBe(`${path}: ${message}`);
    expect(error.exitCode).toBe(1);
  });

  it('refuses a tensor of a dtype it does not read, by name', () => {
    const bytes = serializeSafetensors(stateDict(net), metadata);
    const text = Buffer.from(bytes).toString('latin1').replace('"rec.bias":{"dtype":"F32","shape":[4]', '"rec.bias":{"dtype":"I32","shape":[4]');
    const path = join(dir, 'i32.safetensors');
    writeFileSync(path, Buffer.from(text, 'latin1'));
    expect(reclinkError(() => loadCheckpoint(path)).message).toBe(`${path}: tensor "rec.bias" has dtype "I32", expected F32 or F64`);
  });
});
