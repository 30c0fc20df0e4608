import type { Normalizer } from '../data/normalize.js';
import type { ActivationName } from '../linalg/backend.js';
import { linkWidth } from '../model/config.js';
import type { RecLinkNet } from '../model/reclink-net.js';
import type { Dense } from '../nn/dense.js';
import { GraphBuilder, type OnnxGraph } from './graph-builder.js';

/** The names of the exported graph's input and outputs. */
export const ONNX_NAMES = Object.freeze({ input: 'input', reconstruction: 'reconstruction', code: 'code' });

const OUTPUT_OPS: Readonly<Record<ActivationName, string>> = { relu: 'Relu', sigmoid: 'Sigmoid', identity: 'Identity' };

const EQUATIONS = [
  'x = (input - shift) / scale (when the model was trained on normalised data)',
  'Z_in = relu(x W_in^T + b_in); Z_link = relu(x[:, 0::s] W_link^T [+ b_link])',
  'Z_rec(t) = relu((Z_in + Z_rec(t-1)) W_rec^T + b_rec), Z_rec(0) = 0, t = 1..T (one W_rec, b_rec for every cycle)',
  'code = Z_rec(T) + Z_link; reconstruction = g(code W_out^T + b_out) * scale + shift',
].join('\n');

/**
 * The network as ONNX nodes on `net`'s weights, one initializer each (named as in a
 * checkpoint, stored out × in and read by Gemm with transB = 1), the T cycles unrolled on
 * the same W_rec and b_rec. With a normaliser other than `none`, the graph takes raw data
 * and gives its reconstruction in the data's units. `code` is S = Z_rec(T) + Z_link, the
 * output layer's input.
 */
export function reclinkGraph(net: RecLinkNet, normalizer: Normalizer): OnnxGraph {
  const { inputSize: d, hiddenSize: h, linkStride, cycles, outputActivation } = net.config;
  const g = new GraphBuilder();
  for (const p of net.parameters) g.floats(p.name, p.name.endsWith('.bias') ? [p.value.cols] : [p.value.rows, p.value.cols], p.value.data);
  const norm = normalizer.kind === 'none' ? null : { shift: g.floats('normalizer.shift', [], [normalizer.shift]), scale: g.floats('normalizer.scale', [], [normalizer.scale]) };
  const dense = (x: string, layer: Dense): string => g.node('Gemm', [x, layer.weight.name, ...(layer.bias ? [layer.bias.name] : [])], undefined, { transB: 1 });
  const relu = (x: string): string => g.node('Relu', [x]);

  const input = g.input(ONNX_NAMES.input, ['N', d]);
  const x = norm ? g.node('Div', [g.node('Sub', [input, norm.shift]), norm.scale]) : input;
  const zIn = relu(dense(x, net.input));
  const columns = Array.from({ length: linkWidth(net.config) }, (_, j) => j * linkStride);
  const zLink = relu(dense(g.node('Gather', [x, g.int64s('link.columns', columns)], undefined, { axis: 1 }), net.link));
  const rec = net.rec.cells[0]; // every cycle's cell holds the same W_rec and b_rec
  let zRec = relu(dense(zIn, rec)); // Z_rec(0) = 0: the first cycle reads Z_in alone
  for (let t = 2; t <= cycles; t++) zRec = relu(dense(g.node('Add', [zIn, zRec]), rec));
  const code = g.node('Add', [zRec, zLink], ONNX_NAMES.code);

  const y = g.node(OUTPUT_OPS[outputActivation], [dense(code, net.output)], norm ? undefined : ONNX_NAMES.reconstruction);
  if (norm) g.node('Add', [g.node('Mul', [y, norm.scale]), norm.shift], ONNX_NAMES.reconstruction);
  g.output(ONNX_NAMES.reconstruction, ['N', d]);
  g.output(ONNX_NAMES.code, ['N', h]);
  return g.graph('reclink', EQUATIONS);
}
