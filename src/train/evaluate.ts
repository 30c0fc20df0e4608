import type { Matrix } from '../linalg/matrix.js';
import { checkSamples, type RecLinkNet } from '../model/reclink-net.js';
import { BatchMatrix } from '../nn/batch-matrix.js';
import { forwardInBatches } from './batches.js';

/** How well a model reconstructs a data set. */
export interface Evaluation {
  /** Sum-squared error per sample, E / N. */
  loss: number;
  /** Squared error per pixel, E / (N · inputSize). */
  mse: number;
}

/**
 * The reconstruction error of `data` (N × inputSize), computed `batchSize` rows at a time
 * through `buffer` (a batch matrix in the model's backend; one is made when not given).
 */
export function evaluate(net: RecLinkNet, data: Matrix, batchSize: number, buffer = new BatchMatrix(net.backend, data.cols, net.dtype)): Evaluation {
  checkSamples('data', data, net.config.inputSize);
  let sum = 0;
  forwardInBatches(net, data, batchSize, buffer, () => {
    sum += net.loss('sum');
  });
  return { loss: sum / data.rows, mse: sum / (data.rows * data.cols) };
}
