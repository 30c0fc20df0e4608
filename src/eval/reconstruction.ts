import type { Normalizer } from '../data/normalize.js';
import { zeros, type Matrix } from '../linalg/matrix.js';
import { checkSamples, type RecLinkNet } from '../model/reclink-net.js';
import { BatchMatrix } from '../nn/batch-matrix.js';
import { forwardInBatches } from '../train/batches.js';
import { ReclinkError } from '../errors.js';


/** How well reconstructions match their inputs, in the data's own units. */
export interface ReconstructionMetrics {
  samples: number;
  /** Σ (x − y)² over every sample and value. */
  sse: number;
  /** Squared error per value (per pixel): sse / (N · D). */
  mse: number;
  /** 10 · log10(peak² / mse), in dB (Infinity when mse is 0). */
  psnr: number;
  /** The peak of the PSNR: the width of `valueRange(x)`, 1 for data in [0, 1]. */
  peak: number;
}

/** A span of values: where data lies, for the PSNR's peak and for drawing it. */
export interface ValueRange {
  low: number;
  high: number;
}

/**
 * The model's reconstruction of every row of `x`, in x's units: x is normalised, run
 * through the network `batchSize` rows at a time, and the output is mapped back.
 */
export function reconstruct(net: RecLinkNet, x: Matrix, normalizer: Normalizer, batchSize = 256): Matrix {
  checkSamples('the data', x, net.config.inputSize);
  const input = normalizer.apply(x);
  const y = zeros(x.rows, x.cols);
  forwardInBatches(net, input, batchSize, new BatchMatrix(net.backend, x.cols, net.dtype), (output, start) => y.data.set(output.data, start * x.cols));
  return normalizer.invert(y);
}

/** SSE, MSE per value and PSNR of the reconstructions `y` of `x` (both N × D). */
export function reconstructionMetrics(x: Matrix, y: Matrix): ReconstructionMetrics {
  if (x.rows !== y.rows || x.cols !== y.cols) throw new ReclinkError(`reconstructions are ${y.rows}x${y.cols}, expected the inputs' ${x.rows}x${x.cols}`);
  let sse = 0;
  for (let i = 0; i < x.data.length; i++) sse += (x.data[i] - y.data[i]) ** 2;
  const mse = sse / x.data.length;
  const { low, high } = valueRange(x);
  const peak = high - low;
  return { samples: x.rows, sse, mse, psnr: 10 * Math.log10((peak * peak) / mse), peak };
}

/**
 * [0, 1] when every value of `x` lies in it (images as the bundled data stores them), else
 * [min, max] of x ([min, min + 1] for constant data).
 */
export function valueRange(x: Matrix): ValueRange {
  let min = Infinity, max = -Infinity;
  for (const v of x.data) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  if (min >= 0 && max <= 1) return { low: 0, high: 1 };
  return { low: min, high: max > min ? max : min + 1 };
}
