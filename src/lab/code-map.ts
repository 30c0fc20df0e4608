import { PCA } from 'ml-pca';
import type { Matrix } from '../linalg/matrix.js';

/**
 * The codes S of a set of samples on a plane: their first two principal components (PCA
 * by `ml-pca`, centred, not scaled, from the covariance matrix). The axes are kept to place new codes on the same map.
 */
export interface CodeMap {
  /** x0, y0, x1, y1, …: each sample's place, in its row order. */
  points: Float32Array;
  /** The samples' digit labels, or null for data without labels. */
  labels: Uint8Array | null;
  /** The share of the codes' variance along each axis (0 when the codes do not vary). */
  explained: [number, number];
  /** The codes' mean and the two axes (unit vectors), hiddenSize each. */
  mean: Float64Array;
  axes: [Float64Array, Float64Array];
}

/**
 * The map of `codes` (N × H, N ≥ 2). Each axis's sign follows `previous` (an axis flips
 * sign from one fit to the next at random), so that a map redrawn as training goes does
 * not mirror itself.
 */
export function codeMap(codes: Matrix, labels: Uint8Array | null, previous: CodeMap | null = null): CodeMap {
  const rows = Array.from({ length: codes.rows }, (_, n) => Array.from(codes.data.subarray(n * codes.cols, (n + 1) * codes.cols)));
  // From the H × H covariance: a fifth of the time of an SVD of the N × H codes (N = 2000, H = 75).
  const pca = new PCA(rows, { center: true, scale: false, method: 'covarianceMatrix' });
  const vectors = pca.getEigenvectors();
  const axis = (j: number): Float64Array => {
    const v = Float64Array.from({ length: codes.cols }, (_, i) => (j < vectors.columns ? vectors.get(i, j) : 0));
    const before = previous?.axes[j];
    if (before && before.length === v.length && dot(before, v) < 0) v.forEach((x, i) => (v[i] = -x));
    return v;
  };
  const variance = pca.getExplainedVariance();
  const share = (j: number): number => (Number.isFinite(variance[j]) ? variance[j] : 0);
  const mean = Float64Array.from({ length: codes.cols }, (_, i) => {
    let sum = 0;
    for (let n = 0; n < codes.rows; n++) sum += codes.data[n * codes.cols + i];
    return sum / codes.rows;
  });
  const map: CodeMap = { points: new Float32Array(2 * codes.rows), labels, explained: [share(0), share(1)], mean, axes: [axis(0), axis(1)] };
  for (let n = 0; n < codes.rows; n++) map.points.set(project(map, codes.data.subarray(n * codes.cols, (n + 1) * codes.cols)), 2 * n);
  return map;
}

/** Where a code (hiddenSize numbers) falls on `map`. */
export function project(map: CodeMap, code: ArrayLike<number>): [number, number] {
  const along = (axis: Float64Array): number => {
    let sum = 0;
    for (let i = 0; i < axis.length; i++) sum += (code[i] - map.mean[i]) * axis[i];
    return sum;
  };
  return [along(map.axes[0]), along(map.axes[1])];
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}
