import { Normalizer } from '../data/normalize.js';
import { checkInteger } from '../checks.js';
import type { RecLinkNet } from '../model/reclink-net.js';
import { VERSION } from '../version.js';
import { encodeModel } from './graph-builder.js';
import { ONNX_NAMES, reclinkGraph } from './reclink-graph.js';

/** How `exportOnnx` writes a model. */
export interface OnnxExportOptions {
  /** The ai.onnx operator set, from `ONNX_OPSETS.min` to `ONNX_OPSETS.max` (default 17). */
  opset?: number;
  /**
   * The normaliser the model was trained with (a run checkpoint's): the graph then applies
   * it to its input and inverts it on the reconstruction. Default: none.
   */
  normalizer?: Normalizer;
}

/** The operator sets `exportOnnx` writes (every operator it uses is unchanged across them), and its default. */
export const ONNX_OPSETS = Object.freeze({ min: 13, max: 21, default: 17 });

/** The IR version of each opset: the one the ONNX release that introduced the opset wrote. */
const IR_VERSIONS: Readonly<Record<number, number>> = { 13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10 };

/**
 * The model as an ONNX file's bytes, for onnxruntime and any other ONNX runtime:
 *
 * - input `input`: float32 [N, D], N any batch size;
 * - outputs `reconstruction` [N, D] and `code` [N, H], the code being S = Z_rec(T) + Z_link,
 *   the output layer's input;
 * - with `options.normalizer`, raw data in and the reconstruction in the data's units out;
 * - metadata: producer `reclink` and its version, and `metadata_props` with the model's
 *   config and the normaliser as JSON (`config`, `normalizer`).
 *
 * An opset out of range is a ReclinkError (exit code 2).
 *
 * @example
 * writeFileAtomic('model.onnx', exportOnnx(net, { normalizer }));
 */
export function exportOnnx(net: RecLinkNet, options: OnnxExportOptions = {}): Uint8Array {
  const opset = checkInteger('opset', options.opset ?? ONNX_OPSETS.default, ONNX_OPSETS.min, ONNX_OPSETS.max);
  const normalizer = options.normalizer ?? Normalizer.fromJSON({ kind: 'none' });
  return encodeModel(reclinkGraph(net, normalizer), {
    irVersion: IR_VERSIONS[opset],
    opset,
    producerName: 'reclink',
    producerVersion: VERSION,
    docString: docString(net, normalizer),
    metadata: { config: JSON.stringify(net.config), normalizer: JSON.stringify(normalizer.toJSON()) },
  });
}

/** What the model is and what its input and outputs hold, in a sentence or three. */
function docString(net: RecLinkNet, normalizer: Normalizer): string {
  const { inputSize: d, hiddenSize: h } = net.config;
  const { input, reconstruction, code } = ONNX_NAMES;
  const raw = normalizer.kind === 'none' ? ['', ''] : [`, raw data (the graph applies the ${normalizer.kind} normaliser)`, " in the data's units"];
  return (
    `reclink recurrent-link autoencoder (D ${d}, H ${h}). Input ${input}: float32 [N, ${d}]${raw[0]}. ` +
    `Outputs ${reconstruction} [N, ${d}]${raw[1]} and ${code} [N, ${h}] = Z_rec(T) + Z_link.`
  );
}
