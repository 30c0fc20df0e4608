import type { ActivationName } from '../linalg/backend.js';
import type { Matrix } from '../linalg/matrix.js';
import { linkWidth, type RecLinkConfig } from '../model/config.js';
import type { RecLinkNet } from '../model/reclink-net.js';
import type { LossReduction } from '../nn/loss.js';

/** A matrix as rows of float64 numbers: m[row][column]. */
export type Rows = number[][];

/** Parameters by the names of docs/derivation.md; a weight is out × in, a bias a single row. */
export type ReferenceParameters = Record<string, Rows>;

/** Everything one scalar forward and backward pass computes. */
export interface ReferenceResult {
  loss: number;
  y: Rows;
  /** ∂E/∂parameter, by parameter name. */
  grads: Record<string, Rows>;
  /** ∂E/∂x. */
  inputGrad: Rows;
  /** The values in between, by the names of docs/derivation.md. */
  trace: ReferenceTrace;
}

/** The intermediate values of one scalar pass; lists hold cycle t = 1 … T at index t − 1. */
export interface ReferenceTrace {
  aIn: Rows;
  zIn: Rows;
  xRed: Rows;
  aLink: Rows;
  zLink: Rows;
  /** U(t) = Z_in + Z_rec(t − 1), the input of cycle t. */
  u: Rows[];
  aRec: Rows[];
  zRec: Rows[];
  s: Rows;
  aOut: Rows;
  deltaOut: Rows;
  /** G_S = ∂E/∂S. */
  gS: Rows;
  deltaLink: Rows;
  deltaRec: Rows[];
  deltaIn: Rows;
}

/**
 * The oracle: the scalar form of docs/derivation.md, index by index, in float64. Slow and plain on purpose:
 * it shares no code with the layers it checks.
 */
export function referencePass(config: RecLinkConfig, p: ReferenceParameters, x: Rows, reduction: LossReduction = 'sum'): ReferenceResult {
  const N = x.length, D = config.inputSize, H = config.hiddenSize, R = linkWidth(config), T = config.cycles, s = config.linkStride;
  const f = activation('relu'), g = activation(config.outputActivation);
  const bLink = p['link.bias'];

  // Forward. a_in[n][j] = Σ_i w_in[j][i] x[n][i] + b_in[j]
  const aIn = affine(x, p['input.weight'], p['input.bias']);
  const zIn = map(aIn, f.value);
  const xRed = table(N, R, (n, j) => x[n][s * j]);
  const aLink = affine(xRed, p['link.weight'], bLink);
  const zLink = map(aLink, f.value);
  const u: Rows[] = [], aRec: Rows[] = [], zRec: Rows[] = [];
  for (let t = 0; t < T; t++) {
    u[t] = table(N, H, (n, i) => zIn[n][i] + (t > 0 ? zRec[t - 1][n][i] : 0));
    aRec[t] = affine(u[t], p['rec.weight'], p['rec.bias']);
    zRec[t] = map(aRec[t], f.value);
  }
  const S = table(N, H, (n, j) => zRec[T - 1][n][j] + zLink[n][j]);
  const aOut = affine(S, p['output.weight'], p['output.bias']);
  const y = map(aOut, g.value);
  const scale = reduction === 'sum' ? 1 : 1 / (N * D);
  const loss = scale * sum(N, (n) => sum(D, (k) => (x[n][k] - y[n][k]) ** 2));

  // Backward. δ_out[n][k] = 2 (y − x) g'(a_out)
  const dOut = table(N, D, (n, k) => 2 * scale * (y[n][k] - x[n][k]) * g.slope(aOut[n][k], y[n][k]));
  const gS = table(N, H, (n, j) => sum(D, (k) => dOut[n][k] * p['output.weight'][k][j]));
  const dLink = table(N, H, (n, j) => gS[n][j] * f.slope(aLink[n][j], zLink[n][j]));
  const dRec: Rows[] = [];
  for (let t = T - 1; t >= 0; t--) {
    const gZ = t === T - 1 ? gS : table(N, H, (n, i) => sum(H, (j) => dRec[t + 1][n][j] * p['rec.weight'][j][i]));
    dRec[t] = table(N, H, (n, j) => gZ[n][j] * f.slope(aRec[t][n][j], zRec[t][n][j]));
  }
  const gIn = table(N, H, (n, i) => sum(T, (t) => sum(H, (j) => dRec[t][n][j] * p['rec.weight'][j][i])));
  const dIn = table(N, H, (n, j) => gIn[n][j] * f.slope(aIn[n][j], zIn[n][j]));

  const grads: Record<string, Rows> = {
    'input.weight': table(H, D, (j, i) => sum(N, (n) => dIn[n][j] * x[n][i])),
    'input.bias': [Array.from({ length: H }, (_, j) => sum(N, (n) => dIn[n][j]))],
    'link.weight': table(H, R, (j, i) => sum(N, (n) => dLink[n][j] * xRed[n][i])),
    'rec.weight': table(H, H, (j, i) => sum(T, (t) => sum(N, (n) => dRec[t][n][j] * u[t][n][i]))),
    'rec.bias': [Array.from({ length: H }, (_, j) => sum(T, (t) => sum(N, (n) => dRec[t][n][j])))],
    'output.weight': table(D, H, (k, j) => sum(N, (n) => dOut[n][k] * S[n][j])),
    'output.bias': [Array.from({ length: D }, (_, k) => sum(N, (n) => dOut[n][k]))],
  };
  if (bLink) grads['link.bias'] = [Array.from({ length: H }, (_, j) => sum(N, (n) => dLink[n][j]))];
  const inputGrad = table(N, D, (n, i) => {
    const direct = sum(H, (j) => dIn[n][j] * p['input.weight'][j][i]);
    const viaLink = i % s === 0 ? sum(H, (j) => dLink[n][j] * p['link.weight'][j][i / s]) : 0;
    return direct + viaLink;
  });
  const trace = { aIn, zIn, xRed, aLink, zLink, u, aRec, zRec, s: S, aOut, deltaOut: dOut, gS, deltaLink: dLink, deltaRec: dRec, deltaIn: dIn };
  return { loss, y, grads, inputGrad, trace };
}

/** a[n][j] = Σ_i w[j][i] x[n][i] + b[0][j] (no bias when `b` is undefined): a layer's pre-activation. */
export function affine(x: Rows, w: Rows, b?: Rows): Rows {
  return table(x.length, w.length, (n, j) => sum(w[j].length, (i) => w[j][i] * x[n][i]) + (b ? b[0][j] : 0));
}

/** A matrix as float64 rows. */
export function toRows(m: Matrix): Rows {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}

/** The model's parameters as the reference takes them. */
export function referenceParameters(net: RecLinkNet): ReferenceParameters {
  return Object.fromEntries(net.parameters.map((p) => [p.name, toRows(p.value)]));
}

interface ScalarActivation {
  value(a: number): number;
  /** f'(a), given a and z = f(a). */
  slope(a: number, z: number): number;
}

function activation(name: ActivationName): ScalarActivation {
  switch (name) {
    case 'relu':
      return { value: (a) => (a > 0 ? a : 0), slope: (a) => (a > 0 ? 1 : 0) };
    case 'sigmoid':
      return { value: (a) => 1 / (1 + Math.exp(-a)), slope: (_a, z) => z * (1 - z) };
    case 'identity':
      return { value: (a) => a, slope: () => 1 };
  }
}

/** A rows × cols table whose entry [r][c] is `at(r, c)`. */
export function table(rows: number, cols: number, at: (r: number, c: number) => number): Rows {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => at(r, c)));
}

function map(m: Rows, fn: (v: number) => number): Rows {
  return m.map((row) => row.map(fn));
}

/** Σ_{i < count} term(i). */
export function sum(count: number, term: (i: number) => number): number {
  let total = 0;
  for (let i = 0; i < count; i++) total += term(i);
  return total;
}
