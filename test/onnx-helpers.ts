import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-web';
import { expect } from 'vitest';
import type { Normalizer } from '../src/data/normalize.js';
import { reconstruct } from '../src/eval/reconstruction.js';
import { clone, type Matrix } from '../src/linalg/matrix.js';
import type { RecLinkNet } from '../src/model/reclink-net.js';
import { relativeError } from './helpers.js';
import { temporaryFolder } from './io-helpers.js';

ort.env.wasm.numThreads = 1;
const { onnx } = onnxProto;

/** What the tests read back from an ONNX file. */
export interface ReadModel {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producer: [name: string, version: string];
  docString: string;
  metadata: Record<string, string>;
  /** Float32 initializers by name. */
  weights: Map<string, { dims: number[]; values: Float32Array }>;
  initializerCount: number;
  nodes: { opType: string; input: string[] }[];
  /** [name, element type, dims] of each graph input and output. */
  inputs: [string, number, (string | number)[]][];
  outputs: [string, number, (string | number)[]][];
}

/** Decodes ONNX model bytes with onnx-proto. */
export function readOnnx(bytes: Uint8Array): ReadModel {
  const model = onnx.ModelProto.decode(bytes);
  const graph = onnx.GraphProto.create(model.graph ?? {});
  const weights = graph.initializer.filter((t) => t.dataType === onnx.TensorProto.DataType.FLOAT);
  return {
    irVersion: int(model.irVersion),
    opsets: model.opsetImport.map((o) => ({ domain: o.domain ?? '', version: int(o.version ?? 0) })),
    producer: [model.producerName, model.producerVersion],
    docString: model.docString,
    metadata: Object.fromEntries(model.metadataProps.map((p) => [p.key ?? '', p.value ?? ''])),
    weights: new Map(weights.map((t) => [t.name ?? '', { dims: (t.dims ?? []).map(int), values: Float32Array.from(t.floatData ?? []) }])),
    initializerCount: graph.initializer.length,
    nodes: graph.node.map((n) => ({ opType: n.opType ?? '', input: n.input ?? [] })),
    inputs: graph.input.map(valueInfo),
    outputs: graph.output.map(valueInfo),
  };
}

function valueInfo(v: onnxProto.onnx.IValueInfoProto): [string, number, (string | number)[]] {
  const tensor = v.type?.tensorType;
  return [v.name ?? '', tensor?.elemType ?? 0, (tensor?.shape?.dim ?? []).map((d) => d.dimParam || int(d.dimValue ?? 0))];
}

/** A protobuf int64 (a number, or a Long for protobufjs) as a number. */
function int(value: number | { toString(): string }): number {
  return Number(value.toString());
}

/** What an exported model gives: the reconstruction and the code of every sample. */
export interface ModelOutputs {
  reconstruction: Matrix;
  code: Matrix;
}

/** Runs ONNX model bytes on `x` in onnxruntime (its WebAssembly build). */
export async function runOnnx(model: Uint8Array, x: Matrix): Promise<ModelOutputs> {
  const session = await ort.InferenceSession.create(model);
  try {
    const outputs = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.data), [x.rows, x.cols]) });
    return { reconstruction: matrixOf(outputs.reconstruction), code: matrixOf(outputs.code) };
  } finally {
    await session.release();
  }
}

/** reclink's own outputs for raw data `x`: the reconstruction in x's units, and S of the normalised x. */
export function reclinkOutputs(net: RecLinkNet, x: Matrix, normalizer: Normalizer): ModelOutputs {
  const reconstruction = reconstruct(net, x, normalizer);
  net.forward(normalizer.apply(x));
  return { reconstruction, code: clone(net.output.x) };
}

/** Both outputs of the exported model equal reclink's within 1e-5 of the largest value; returns the larger error. */
export async function expectOnnxAgrees(model: Uint8Array, net: RecLinkNet, x: Matrix, normalizer: Normalizer): Promise<number> {
  const got = await runOnnx(model, x);
  const expected = reclinkOutputs(net, x, normalizer);
  let worst = 0;
  for (const name of ['reconstruction', 'code'] as const) {
    expect([got[name].rows, got[name].cols], name).toEqual([expected[name].rows, expected[name].cols]);
    const error = relativeError(got[name].data, expected[name].data);
    expect(error, name).toBeLessThan(1e-5);
    worst = Math.max(worst, error);
  }
  return worst;
}

function matrixOf(tensor: ort.Tensor | undefined): Matrix {
  if (!tensor || tensor.dims.length !== 2 || !(tensor.data instanceof Float32Array)) throw new Error('expected a float32 matrix output');
  return { rows: tensor.dims[0], cols: tensor.dims[1], data: tensor.data };
}

/** /usr/bin/python3 with Debian's python3-onnx, which the ONNX checker tests need. */
export const PYTHON = '/usr/bin/python3';

/** Whether ONNX's own checker can run here. */
export const hasPythonOnnx = spawnSync(PYTHON, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0;

const CHECK = `
import json, sys, onnx
model = onnx.load(sys.argv[1])
onnx.checker.check_model(model, full_check=True)
inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
dims = lambda v: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
print(json.dumps({v.name: dims(v) for v in inferred.graph.output}))
`;

/**
 * Runs ONNX's checker (full check, strict shape inference) on model bytes; returns the
 * output shapes it infers by name, or throws with the checker's complaint.
 */
export function onnxCheck(model: Uint8Array): Record<string, (string | number)[]> {
  const dir = temporaryFolder('onnx-check');
  const path = join(dir, 'model.onnx');
  writeFileSync(path, model);
  const run = spawnSync(PYTHON, ['-c', CHECK, path], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  if (run.status !== 0) throw new Error(`the ONNX checker refused the model: ${run.stderr.trim().split('\n').pop() ?? ''}`);
  return JSON.parse(run.stdout) as Record<string, (string | number)[]>;
}
