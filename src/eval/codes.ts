import type { Normalizer } from '../data/normalize.js';
import { ReclinkError } from '../errors.js';
import { zeros, type Matrix } from '../linalg/matrix.js';
import { checkSamples, type RecLinkNet } from '../model/reclink-net.js';
import { BatchMatrix } from '../nn/batch-matrix.js';
import { forwardInBatches } from '../train/batches.js';

/**
 * The code of every row of `x`: S = Z_rec(T) + Z_link, the output layer's input (N ×
 * hiddenSize, float32, in x's row order). `x` is in the data's units; the model's
 * `normalizer` (from its checkpoint) is applied first when given.
 *
 * @example
 * const codes = encode(net, dataset.x);   // N × 75, a sample's features a row
 */
export function encode(net: RecLinkNet, x: Matrix, normalizer?: Normalizer, batchSize = 256): Matrix {
  checkSamples('the data', x, net.config.inputSize);
  const input = normalizer ? normalizer.apply(x) : x;
  const h = net.config.hiddenSize;
  const codes = zeros(x.rows, h);
  forwardInBatches(net, input, batchSize, new BatchMatrix(net.backend, x.cols, net.dtype), (_y, start) => codes.data.set(net.code.data, start * h));
  const bad = codes.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new ReclinkError(`the code of sample ${Math.floor(bad / h)} is not finite (${codes.data[bad]}): the model's weights or the data are out of range`);
  return codes;
}
