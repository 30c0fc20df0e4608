import type { ReclinkError } from '../errors.js';
import type { RecLinkConfig } from '../model/config.js';
import type { SafetensorsTensor } from './safetensors-format.js';

/**
 * The config fields that the shapes of a plain safetensors file (no reclink metadata)
 * tell: `input.weight` is hiddenSize × inputSize, `link.weight` is hiddenSize × ⌈inputSize/s⌉
 * for the link stride s, and `link.bias` is there or not. The stride is the one s that gives
 * link.weight's width; when several do (they select different inputs), `linkStride` must
 * choose (it is then checked against the width with the other shapes).
 */
export function inferConfig(
  tensors: ReadonlyMap<string, SafetensorsTensor>,
  linkStride: number | undefined,
  fail: (what: string) => ReclinkError,
): Partial<RecLinkConfig> {
  const [hiddenSize, inputSize] = matrixShape(tensors, 'input.weight', 'hiddenSize, inputSize', fail);
  const [, width] = matrixShape(tensors, 'link.weight', 'hiddenSize, ceil(inputSize / linkStride)', fail);
  const linkBias = tensors.has('link.bias');
  if (linkStride !== undefined) return { inputSize, hiddenSize, linkStride, linkBias };
  // ⌈D/s⌉ = w  ⇔  D/w ≤ s < D/(w − 1): a run of strides, possibly empty.
  const smallest = Math.ceil(inputSize / width);
  const largest = width === 1 ? inputSize : Math.ceil(inputSize / (width - 1)) - 1;
  if (Math.ceil(inputSize / smallest) !== width) {
    throw fail(`link.weight has ${width} columns, but no link stride s gives ceil(${inputSize} / s) = ${width}`);
  }
  if (largest > smallest) {
    throw fail(`link.weight has ${width} columns, which every link stride from ${smallest} to ${largest} gives; set linkStride (--link-stride)`);
  }
  return { inputSize, hiddenSize, linkStride: smallest, linkBias };
}

/** The shape of a matrix the inference needs; a dimension of 0 tells nothing. */
function matrixShape(
  tensors: ReadonlyMap<string, SafetensorsTensor>,
  name: string,
  expected: string,
  fail: (what: string) => ReclinkError,
): [number, number] {
  const tensor = tensors.get(name);
  if (!tensor) throw fail(`missing tensor ${name}`);
  const { shape } = tensor;
  if (shape.length !== 2 || shape[0] === 0 || shape[1] === 0) throw fail(`tensor ${name} has shape [${shape.join(', ')}], expected [${expected}]`);
  return [shape[0], shape[1]];
}
