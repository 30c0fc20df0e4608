import type { ReclinkError } from '../errors.js';
import type { RecLinkConfig } from '../model/config.js';
import type { SafetensorsTensor } from './safetensors.js';

/**
 * The config fields that the shapes of a plain safetensors file (no reclink metadata)
 * tell: `input.weight` is hiddenSize × inputSize, `link.weight` is hiddenSize × ⌈inputSize/s⌉
 * for the link stride s, and `link.bias` is there or not. The stride is the one s that gives
 * link.weight's width; when several do (they select different inputs), `overrides.linkStride`
 * must choose.
 */
export function inferConfig(
  tensors: ReadonlyMap<string, SafetensorsTensor>,
  overrides: Partial<RecLinkConfig>,
  fail: (what: string) => ReclinkError,
): Partial<RecLinkConfig> {
  const [hiddenSize, inputSize] = matrixShape(tensors, 'input.weight', 'hiddenSize, inputSize', fail);
  const [, width] = matrixShape(tensors, 'link.weight', 'hiddenSize, ceil(inputSize / linkStride)', fail);
  const strides = Array.from({ length: inputSize }, (_, i) => i + 1).filter((s) => Math.ceil(inputSize / s) === width);
  const linkStride = overrides.linkStride ?? strides[0];
  if (strides.length === 0) throw fail(`link.weight has ${width} columns, but no link stride s gives ceil(${inputSize} / s) = ${width}`);
  if (overrides.linkStride === undefined && strides.length > 1) {
    const range = `${strides[0]} to ${strides[strides.length - 1]}`;
    throw fail(`link.weight has ${width} columns, which every link stride from ${range} gives; set linkStride (--link-stride)`);
  }
  return { inputSize, hiddenSize, linkStride, linkBias: tensors.has('link.bias') };
}

function matrixShape(
  tensors: ReadonlyMap<string, SafetensorsTensor>,
  name: string,
  expected: string,
  fail: (what: string) => ReclinkError,
): [number, number] {
  const tensor = tensors.get(name);
  if (!tensor) throw fail(`missing tensor ${name}`);
  if (tensor.shape.length !== 2) throw fail(`tensor ${name} has shape [${tensor.shape.join(', ')}], expected [${expected}]`);
  return [tensor.shape[0], tensor.shape[1]];
}
