import type { Normalizer } from '../data/normalize.js';
import type { Matrix } from '../linalg/matrix.js';
import { checkSamples, type RecLinkNet } from '../model/reclink-net.js';
import { BatchMatrix } from '../nn/batch-matrix.js';
import { forwardInBatches } from '../train/batches.js';

// A dead output unit: its ReLU never fires, that is its pre-activation is ≤ 0 on every
// sample. It outputs 0 for all of them (its pixel is reconstructed as one constant value)
// and passes no gradient back from any of them, so it stays dead. ReLU(z) > 0 exactly when
// z > 0: the outputs tell whether the pre-activations were positive.

/** Sets `fired[k]` to 1 for every output unit k that is positive on some row of `y`. */
function markFired(y: Matrix, fired: Uint8Array): void {
  for (let i = 0; i < y.rows * y.cols; i++) if (y.data[i] > 0) fired[i % y.cols] = 1;
}

/**
 * The number of dead output units of `net` on the samples `x` (in the data's units; the
 * normaliser is applied as for `reconstruct`); `null` when the output activation is not
 * ReLU, where no output is stuck at one value.
 */
export function deadOutputs(net: RecLinkNet, x: Matrix, normalizer: Normalizer, batchSize = 256): number | null {
  checkSamples('the data', x, net.config.inputSize);
  if (net.config.outputActivation !== 'relu') return null;
  const fired = new Uint8Array(x.cols);
  forwardInBatches(net, normalizer.apply(x), batchSize, new BatchMatrix(net.backend, x.cols, net.dtype), (y) => markFired(y, fired));
  return fired.length - countDead(fired);
}

/** The dead output units on `y`, a model's reconstructions (N × D, a sample a row): 1 where every sample's output is ≤ 0, else 0. */
export function deadOutputMask(y: Matrix): Uint8Array {
  const fired = new Uint8Array(y.cols);
  markFired(y, fired);
  return fired.map((f) => 1 - f);
}

/** How many units a 0/1 mask marks. */
export function countDead(mask: Uint8Array): number {
  let count = 0;
  for (const m of mask) count += m;
  return count;
}
