import { Normalizer } from '../data/normalize.js';
import { ReclinkError } from '../errors.js';
import { deadOutputMask } from '../eval/dead-outputs.js';
import { errorQuantiles, sampleErrors, type ErrorQuantiles } from '../eval/scores.js';
import { firstRows, zeros, type Matrix } from '../linalg/matrix.js';
import type { RecLinkNet } from '../model/reclink-net.js';
import { BatchMatrix } from '../nn/batch-matrix.js';
import { forwardInBatches } from '../train/batches.js';
import { codeMap, type CodeMap } from './code-map.js';
import type { LabDataset } from './session.js';

/** Training samples whose errors give the quantiles a drawing is compared with (a bounded cost). */
export const QUANTILE_SAMPLES = 2000;
const BATCH = 256;
const RAW = Normalizer.fromJSON({ kind: 'none' });

/** What the Codes and Draw views show of the current weights; recomputed at a bounded rate. */
export interface ModelAnalysis {
  step: number;
  /** The validation samples' codes on a plane. */
  map: CodeMap;
  /** Quantiles of the per-sample SSE of the first `QUANTILE_SAMPLES` training samples. */
  quantiles: ErrorQuantiles;
  /** 1 for each output unit that never fires on the validation set (`deadOutputMask`); none with a sigmoid or identity output, whose gradient never vanishes. */
  dead: Uint8Array;
}

/**
 * The map of the validation codes (axes signed as in `previous`), the dead outputs, and the
 * training errors' quantiles; null when the weights' outputs overflow (weights a divergence
 * left: there is nothing to map).
 */
export function analyse(net: RecLinkNet, dataset: LabDataset, step: number, previous: CodeMap | null): ModelAnalysis | null {
  const x = dataset.validation;
  const h = net.config.hiddenSize;
  const codes = zeros(x.rows, h);
  const y = zeros(x.rows, x.cols);
  forwardInBatches(net, x, BATCH, new BatchMatrix(net.backend, x.cols, net.dtype), (output, start) => {
    codes.data.set(net.code.data, start * h);
    y.data.set(output.data, start * x.cols);
  });
  if (!y.data.every(Number.isFinite) || !codes.data.every(Number.isFinite)) return null;
  const map = codes.rows >= 2 ? codeMap(codes, dataset.validationLabels ?? null, previous) : codeMap(doubled(codes), null, previous);
  const train = firstRows(dataset.train, Math.min(QUANTILE_SAMPLES, dataset.train.rows));
  let quantiles: ErrorQuantiles;
  try {
    quantiles = errorQuantiles(sampleErrors(net, train, RAW));
  } catch (error) {
    if (error instanceof ReclinkError) return null; // a training sample's reconstruction overflows
    throw error;
  }
  return { step, map, quantiles, dead: net.config.outputActivation === 'relu' ? deadOutputMask(y) : new Uint8Array(y.cols) };
}

/** A single code twice (PCA needs two rows; the map is then one point at the origin). */
function doubled(codes: Matrix): Matrix {
  const m = zeros(2, codes.cols);
  m.data.set(codes.data, 0);
  m.data.set(codes.data, codes.cols);
  return m;
}
