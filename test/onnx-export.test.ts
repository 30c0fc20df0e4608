import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Normalizer } from '../src/data/normalize.js';
import type { Matrix } from '../src/linalg/matrix.js';
import type { RecLinkConfig } from '../src/model/config.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { exportOnnx } from '../src/onnx/export-onnx.js';
import { VERSION } from '../src/version.js';
import { Random } from '../src/random.js';
import { root } from './cli-helpers.js';
import { randomMatrix } from './helpers.js';
import { reclinkError } from './io-helpers.js';
import { expectOnnxAgrees, hasPythonOnnx, onnxCheck, PYTHON, readOnnx } from './onnx-helpers.js';

// exportOnnx's graphs run in onnxruntime (WebAssembly, in Node) and give reclink's own
// reconstruction and code; ONNX's checker accepts them.

const NONE = Normalizer.fromJSON({ kind: 'none' });
const VARIANT: Partial<RecLinkConfig> = { hiddenSize: 50, cycles: 3, linkStride: 4, linkBias: true, outputActivation: 'sigmoid', seed: 2 };
const SMALL: Partial<RecLinkConfig> = { inputSize: 30, hiddenSize: 7, cycles: 1, linkStride: 7, outputActivation: 'identity', seed: 3 };

const data = (rows: number, cols: number, low = 0, high = 1, seed = rows): Matrix => randomMatrix(rows, cols, Random.fromSeed(seed), 'float32', low, high);

describe('exportOnnx in onnxruntime', () => {
  const cases: [string, Partial<RecLinkConfig>][] = [
    ['the default network', { seed: 1 }],
    ['H 50, T 3, stride 4, link bias, sigmoid', VARIANT],
  ];
  for (const [name, config] of cases) {
    for (const batch of [1, 37]) {
      it(`gives reclink's reconstruction and code for ${name}, batch ${batch}`, async () => {
        const net = new RecLinkNet(config);
        await expectOnnxAgrees(exportOnnx(net), net, data(batch, 225), NONE);
      });
    }
  }

  it('gives them for D 30, H 7, T 1, stride 7 and an identity output at the lowest and highest opset', async () => {
    const net = new RecLinkNet(SMALL);
    for (const opset of [13, 21]) await expectOnnxAgrees(exportOnnx(net, { opset }), net, data(5, 30, -2, 2), NONE);
  });

  const normalizers: [string, Normalizer, () => Matrix][] = [
    ['minmax', Normalizer.fit('minmax', data(50, 225, 0, 255, 7)), () => data(37, 225, 0, 255)],
    ['standardize', Normalizer.fit('standardize', data(50, 225, 40, 160, 8)), () => data(37, 225, 40, 160)],
  ];
  for (const [kind, normalizer, raw] of normalizers) {
    it(`takes raw data and gives the reconstruction in the data's units with the ${kind} normaliser`, async () => {
      for (const config of [{ seed: 4 }, VARIANT]) {
        const net = new RecLinkNet(config);
        await expectOnnxAgrees(exportOnnx(net, { normalizer }), net, raw(), normalizer);
      }
    });
  }
});

describe('exportOnnx graph and metadata', () => {
  it('stores each parameter once, as the model holds it, and every cycle reads the same W_rec and b_rec', () => {
    const net = new RecLinkNet(VARIANT);
    const { weights, nodes } = readOnnx(exportOnnx(net));
    expect([...weights.keys()]).toEqual(net.parameters.map((p) => p.name));
    for (const p of net.parameters) {
      expect(weights.get(p.name)?.dims, p.name).toEqual(p.name.endsWith('.bias') ? [p.value.cols] : [p.value.rows, p.value.cols]);
      expect(weights.get(p.name)?.values, p.name).toEqual(p.value.data);
    }
    const reading = (name: string): number => nodes.filter((n) => n.input.includes(name)).length;
    expect([reading('rec.weight'), reading('rec.bias')]).toEqual([3, 3]);
  });

  it('says who made it, at which opset and IR version, with the config and normaliser as JSON', () => {
    const net = new RecLinkNet(VARIANT);
    const model = readOnnx(exportOnnx(net, { normalizer: Normalizer.fromJSON({ kind: 'standardize', mean: 3, std: 2 }) }));
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    expect(VERSION).toBe(version);
    expect(model.producer).toEqual(['reclink', version]);
    expect([model.irVersion, model.opsets]).toEqual([8, [{ domain: '', version: 17 }]]);
    expect(JSON.parse(model.metadata.config)).toEqual(net.config);
    expect(JSON.parse(model.metadata.normalizer)).toEqual({ kind: 'standardize', mean: 3, std: 2 });
    expect(model.docString).toContain('code [N, 50] = Z_rec(T) + Z_link');
    expect(model.inputs).toEqual([['input', 1, ['N', 225]]]);
    expect(model.outputs).toEqual([['reconstruction', 1, ['N', 225]], ['code', 1, ['N', 50]]]);
  });

  it('writes the IR version of each opset', () => {
    const net = new RecLinkNet(SMALL);
    expect([13, 15, 17, 19, 21].map((opset) => readOnnx(exportOnnx(net, { opset })).irVersion)).toEqual([7, 8, 8, 9, 10]);
  });

  it('refuses an opset out of range as a usage error', () => {
    const net = new RecLinkNet(SMALL);
    for (const opset of [12, 22, 17.5]) {
      const error = reclinkError(() => exportOnnx(net, { opset }));
      expect(error.exitCode).toBe(2);
      expect(error.message).toBe(`opset is ${opset}, expected an integer from 13 to 21`);
    }
  });
});

if (!hasPythonOnnx) console.log(`ONNX checker test skipped: ${PYTHON} cannot import onnx (apt-get install -y python3-onnx)`);

describe.skipIf(!hasPythonOnnx)("ONNX's checker", () => {
  it('accepts every export and infers input-sized reconstructions and H-wide codes', () => {
    const exports: [Uint8Array, number, number][] = [
      [exportOnnx(new RecLinkNet({ seed: 1 })), 225, 75],
      [exportOnnx(new RecLinkNet(VARIANT), { normalizer: Normalizer.fromJSON({ kind: 'minmax', min: 0, max: 255 }) }), 225, 50],
      [exportOnnx(new RecLinkNet(SMALL), { opset: 13 }), 30, 7],
    ];
    for (const [bytes, d, h] of exports) expect(onnxCheck(bytes)).toEqual({ reconstruction: ['N', d], code: ['N', h] });
  });
});
