import type { Normalizer } from '../data/normalize.js';
import type { Matrix } from '../linalg/matrix.js';
import { checkSamples, type RecLinkNet } from '../model/reclink-net.js';
import { BatchMatrix } from '../nn/batch-matrix.js';
import { forwardInBatches } from '../train/batches.js';

/**
 * The number of dead output units of `net` on the samples `x` (in the data's units; the
 * normaliser is applied as for `reconstruct`): output units whose ReLU never fires, that is
 * whose pre-activation is ≤ 0 on every sample: the unit outputs 0 for all of them (its pixel
 * is reconstructed as one constant value) and passes no gradient back from any of them.
 * `null` when the output activation is not ReLU, where no output is stuck at one value.
 */
export function deadOutputs(net: RecLinkNet, x: Matrix, normalizer: Normalizer, batchSize = 256): number | null {
  checkSamples('the data', x, net.config.inputSize);
  if (net.config.outputActivation !== 'relu') return null;
  const fired = new Uint8Array(x.cols);
  forwardInBatches(net, normalizer.apply(x), batchSize, new BatchMatrix(net.backend, x.cols, net.dtype), (y) => {
    // ReLU(z) > 0 exactly when z > 0: the output tells whether the pre-activation was positive.
    for (let i = 0; i < y.data.length; i++) if (y.data[i] > 0) fired[i % y.cols] = 1;
  });
  return fired.length - fired.reduce((sum, f) => sum + f, 0);
}
