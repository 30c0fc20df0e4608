import { InternalError, ReclinkError } from '../errors.js';
import type { FloatArray, Matrix } from '../linalg/matrix.js';
import { DEFAULT_CONFIG, resolveConfig, type RecLinkConfig } from '../model/config.js';
import { RecLinkNet, type ModelOptions } from '../model/reclink-net.js';
import { PARAMETER_LAYERS, parameterSpecs, type ParameterSpec } from '../model/parameters.js';
import { describe } from './describe.js';
import { inferConfig } from './infer-config.js';
import { matrixTensor, parseSafetensors, serializeSafetensors, type SafetensorsTensor, type TensorToWrite } from './safetensors-format.js';

/**
 * Checkpoints: a model's weights in safetensors, as PyTorch's `state_dict` names and
 * shapes them (`input.weight` out × in, `input.bias` a vector, ...), in float32, with
 *
 *     __metadata__ = {"format": "reclink", "version": "1", "config": "<RecLinkConfig as JSON>", ...extra}
 *
 * Extra tensors and metadata strings (a trainer's optimizer and training state) ride along.
 * A file without that metadata, such as `safetensors.torch.save_file(model.state_dict())`
 * writes, loads too: its configuration is inferred from the tensors' shapes.
 */

/** What a checkpoint carries beside the model. */
export interface CheckpointExtras {
  /**
   * Tensors such as `optimizer.exp_avg.input.weight`. A name must not begin with a layer's
   * prefix (`input.`, `link.`, `rec.`, `output.`): those are the model's.
   */
  tensors?: ReadonlyMap<string, Matrix>;
  /** Strings for `__metadata__`, except the reserved `format`, `version` and `config`. */
  metadata?: Readonly<Record<string, string>>;
}

/** How to build the model a checkpoint loads into. */
export interface LoadCheckpointOptions extends ModelOptions {
  /**
   * Config fields that replace the file's; for a file without reclink metadata, the
   * fields its shapes cannot tell (cycles, outputActivation) and a link stride its
   * shapes leave ambiguous.
   */
  overrides?: Partial<RecLinkConfig>;
}

/** A loaded checkpoint. */
export interface Checkpoint {
  /** The model, with the file's weights bit for bit (float32 weights, float32 or float64 model). */
  net: RecLinkNet;
  /** The extra tensors; a vector (1-D tensor) is a 1 × n matrix. */
  extraTensors: Map<string, Matrix>;
  /** The extra metadata strings (for a file without reclink metadata: all of its metadata). */
  metadata: Record<string, string>;
}

const FORMAT = 'reclink';
const VERSION = '1';
const RESERVED_KEYS = ['format', 'version', 'config'];
const LAYERS = PARAMETER_LAYERS.map((layer) => layer.name);

/**
 * The bytes of a checkpoint of `net`'s weights (as float32), its config and `extras`. A
 * checkpoint holds finite numbers only: a tensor with a NaN or an infinity (or a value
 * beyond float32's range) is refused with a ReclinkError naming it and `target`.
 */
export function encodeCheckpoint(net: RecLinkNet, extras: CheckpointExtras = {}, target = 'a checkpoint'): Uint8Array {
  const tensors = new Map<string, TensorToWrite>();
  for (const p of net.parameters) tensors.set(p.name, matrixTensor(p.value, p.name.endsWith('.bias') ? [p.value.cols] : undefined));
  for (const [name, m] of extras.tensors ?? []) {
    if (isLayerName(name)) throw new ReclinkError(`extra tensor ${name} uses a layer's prefix (${LAYERS.join('., ')}.)`);
    tensors.set(name, matrixTensor(m));
  }
  for (const [name, { data }] of tensors) {
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new ReclinkError(`cannot write ${target}: tensor ${name} has ${data[bad]} at index ${bad}, expected finite numbers`);
  }
  const metadata = { ...extras.metadata };
  for (const key of RESERVED_KEYS) if (key in metadata) throw new ReclinkError(`extra metadata key ${key} is reserved, expected another name`);
  return serializeSafetensors(tensors, { ...metadata, format: FORMAT, version: VERSION, config: JSON.stringify(net.config) });
}

/** Decodes a checkpoint (or a plain safetensors file of the model's tensors) from its bytes; `source` names it in errors. */
export function decodeCheckpoint(bytes: Uint8Array, source: string, options: LoadCheckpointOptions = {}): Checkpoint {
  const { tensors, metadata } = parseSafetensors(bytes, source);
  const fail = (what: string): ReclinkError => new ReclinkError(`${source}: ${what}`);
  const { overrides = {}, ...modelOptions } = options;
  const isReclink = metadata.format === FORMAT;
  const fields = isReclink ? storedConfig(metadata, fail) : inferConfig(tensors, overrides.linkStride, fail);
  const config = resolveConfig({ ...checkedConfig(fields, fail), ...overrides });

  // Every check comes before the model is built, whose size then follows from the file's.
  const expected = new Map(parameterSpecs(config).map((p) => [p.name, fileShape(p)]));
  const extraTensors = new Map<string, Matrix>();
  for (const [name, tensor] of tensors) {
    if (expected.has(name)) continue;
    if (!isReclink || isLayerName(name)) throw fail(`unexpected tensor ${describe(name)}; the model has ${[...expected.keys()].join(', ')}`);
    extraTensors.set(name, extraMatrix(name, tensor, fail));
  }
  const values = new Map([...expected].map(([name, shape]) => [name, checkParameter(name, shape, tensors.get(name), fail)]));

  const net = new RecLinkNet(config, modelOptions);
  for (const p of net.parameters) {
    const value = values.get(p.name);
    if (!value) throw new InternalError(`parameterSpecs has no parameter ${p.name}`);
    p.value.data.set(value);
  }
  const extraMetadata = isReclink ? Object.fromEntries(Object.entries(metadata).filter(([key]) => !RESERVED_KEYS.includes(key))) : metadata;
  return { net, extraTensors, metadata: extraMetadata };
}

/** A parameter's shape in the file: a weight is out × in, a bias a vector (PyTorch's shapes). */
function fileShape(p: ParameterSpec): number[] {
  return p.kind === 'bias' ? [p.cols] : [p.rows, p.cols];
}

/** The values of parameter `name`, checked: present, of the expected shape, finite. */
function checkParameter(name: string, expected: number[], tensor: SafetensorsTensor | undefined, fail: (what: string) => ReclinkError): FloatArray {
  if (!tensor) throw fail(`missing tensor ${name}`);
  if (tensor.shape.join() !== expected.join()) {
    throw fail(`tensor ${name} has shape [${tensor.shape.join(', ')}], expected [${expected.join(', ')}]`);
  }
  const bad = tensor.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw fail(`tensor ${name} has ${tensor.data[bad]} at index ${bad}, expected finite weights`);
  return tensor.data;
}

/** The config fields a reclink checkpoint stores. */
function storedConfig(metadata: Record<string, string>, fail: (what: string) => ReclinkError): Partial<RecLinkConfig> {
  if (metadata.version !== VERSION) throw fail(`reclink checkpoint version ${describe(metadata.version)} is not supported, expected "${VERSION}"`);
  if (metadata.config === undefined) throw fail('reclink checkpoint without a config in __metadata__');
  let stored: unknown;
  try {
    stored = JSON.parse(metadata.config);
  } catch {
    throw fail('the config in __metadata__ is not valid JSON');
  }
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
    throw fail(`the config in __metadata__ is ${describe(stored)}, expected a JSON object`);
  }
  return Object.fromEntries(Object.entries(stored).filter(([key]) => key in DEFAULT_CONFIG));
}

/** `fields` completed by the defaults and checked: a field that cannot work is the file's fault. */
function checkedConfig(fields: Partial<RecLinkConfig>, fail: (what: string) => ReclinkError): RecLinkConfig {
  try {
    return resolveConfig(fields);
  } catch (error) {
    if (error instanceof ReclinkError) throw fail(`its ${error.message}`);
    throw error;
  }
}

function extraMatrix(name: string, tensor: SafetensorsTensor, fail: (what: string) => ReclinkError): Matrix {
  const { shape, data } = tensor;
  if (shape.length === 1) return { rows: 1, cols: shape[0], data };
  if (shape.length === 2) return { rows: shape[0], cols: shape[1], data };
  throw fail(`tensor ${describe(name)} has shape [${shape.join(', ')}], expected a vector or a matrix`);
}

function isLayerName(name: string): boolean {
  return LAYERS.some((layer) => name.startsWith(`${layer}.`));
}
