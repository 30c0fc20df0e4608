import type { ActivationName } from '../linalg/backend.js';
import { zeros, type Matrix } from '../linalg/matrix.js';
import { columnSums, product, productAtB } from '../linalg/products.js';
import type { RecLinkConfig } from '../model/config.js';
import { InternalError } from '../errors.js';

/**
 * How a backward pass is written: the right way, or with one of the catalogue's mistakes.
 * Each field is one choice of the derivation (docs/derivation.md, "Backward").
 */
export interface Way {
  /** δ_out = G_Y ⊙ g'(A_out); `missing`: δ_out = G_Y; `atOutput`: g' taken at Y = g(A_out). */
  outDerivative: 'right' | 'missing' | 'atOutput';
  /** Whether δ_link and δ_in keep their f'(A) factor. */
  linkDerivative: boolean;
  inDerivative: boolean;
  /** The cycles t whose δ_rec(t) lacks its f'(A_rec(t)) factor. */
  recDerivativeMissing: readonly number[];
  /** The cycles whose terms ∂E/∂W_rec and ∂E/∂b_rec sum: all, or the last or the first alone. */
  recTerms: 'every' | 'last' | 'first';
  /** The cycles whose paths G_in = Σ_t δ_rec(t) W_rec sums. */
  inPaths: 'every' | 'last' | 'first';
  /** Cycle t ≥ 2's input U(t) = Z_in + Z_rec(t−1), or `withoutZin`: Z_rec(t−1). */
  recInput: 'right' | 'withoutZin';
  /** ∂E/∂W_out = δ_outᵀ S, or `Zrec`: δ_outᵀ Z_rec(T), the link path left out of S. */
  outInput: 'S' | 'Zrec';
  /** A bias gradient sums δ over the batch (rows), or over the `units` (columns): one value a sample. */
  biasSum: 'batch' | 'units';
  /** ∂E/∂W_out = (Σ_n δ_out)ᵀ (mean_n S): the batch summed before the product (the exercise's 3.2 a). */
  batchSumFirst: boolean;
}

/** The backward pass as docs/derivation.md gives it. */
export const RIGHT_WAY: Readonly<Way> = Object.freeze({
  outDerivative: 'right',
  linkDerivative: true,
  inDerivative: true,
  recDerivativeMissing: [],
  recTerms: 'every',
  inPaths: 'every',
  recInput: 'right',
  outInput: 'S',
  biasSum: 'batch',
  batchSumFirst: false,
});

/**
 * The backward pass written `way`, in float64, from the forward pass and the parameters
 * (`bound`, by the language's names). Gives G_Y, d_out, G_S, d_link, d_rec1 … d_recT, G_in,
 * d_in and every required gradient, by the language's names.
 */
export function backwardPass(bound: ReadonlyMap<string, Matrix>, config: Pick<RecLinkConfig, 'cycles' | 'linkBias' | 'outputActivation'>, way: Way): Map<string, Matrix> {
  const get = (name: string): Matrix => {
    const m = bound.get(name);
    if (!m) throw new InternalError(`backwardPass needs ${name}`);
    return m;
  };
  const T = config.cycles;
  const cycles = Array.from({ length: T }, (_, i) => i + 1);
  const out = new Map<string, Matrix>();
  const bias = (delta: Matrix): Matrix => (way.biasSum === 'batch' ? columnSums(delta) : rowSums(delta));

  const gY = map2(get('Y'), get('X'), (y, x) => 2 * (y - x));
  const dOut = way.outDerivative === 'missing' ? gY : times(gY, outputSlope(config.outputActivation, get('A_out'), get('Y'), way.outDerivative === 'atOutput'));
  const sForW = way.outInput === 'S' ? get('S') : get(`Z_rec${T}`);
  const dWOut = way.batchSumFirst ? productAtB(columnSums(dOut), scaled(columnSums(sForW), 1 / sForW.rows)) : productAtB(dOut, sForW);
  const gS = product(dOut, get('W_out'));
  const dLink = way.linkDerivative ? times(gS, reluSlope(get('A_link'))) : gS;

  const dRec = new Map<number, Matrix>();
  for (const t of [...cycles].reverse()) {
    const incoming = t === T ? gS : product(dRec.get(t + 1) as Matrix, get('W_rec'));
    dRec.set(t, way.recDerivativeMissing.includes(t) ? incoming : times(incoming, reluSlope(get(`A_rec${t}`))));
  }
  const input = (t: number): Matrix => (t === 1 ? get('Z_in') : way.recInput === 'withoutZin' ? get(`Z_rec${t - 1}`) : map2(get('Z_in'), get(`Z_rec${t - 1}`), (a, b) => a + b));
  const recTerms = pick(cycles, way.recTerms);
  const gIn = sum(pick(cycles, way.inPaths).map((t) => product(dRec.get(t) as Matrix, get('W_rec'))));
  const dIn = way.inDerivative ? times(gIn, reluSlope(get('A_in'))) : gIn;

  out.set('G_Y', gY).set('d_out', dOut).set('G_S', gS).set('d_link', dLink);
  for (const t of [...cycles].reverse()) out.set(`d_rec${t}`, dRec.get(t) as Matrix);
  out.set('G_in', gIn).set('d_in', dIn);
  out.set('dW_in', productAtB(dIn, get('X'))).set('db_in', bias(dIn));
  out.set('dW_link', productAtB(dLink, get('X_red')));
  if (config.linkBias) out.set('db_link', bias(dLink));
  out.set('dW_rec', sum(recTerms.map((t) => productAtB(dRec.get(t) as Matrix, input(t)))));
  out.set('db_rec', sum(recTerms.map((t) => bias(dRec.get(t) as Matrix))));
  out.set('dW_out', dWOut).set('db_out', bias(dOut));
  return out;
}

function pick(cycles: number[], which: 'every' | 'last' | 'first'): number[] {
  return which === 'every' ? cycles : which === 'last' ? cycles.slice(-1) : cycles.slice(0, 1);
}

/** g'(A_out) element-wise; `atOutput`: the same function applied to Y = g(A_out) instead. */
function outputSlope(g: ActivationName, a: Matrix, y: Matrix, atOutput: boolean): Matrix {
  const at = atOutput ? y : a;
  switch (g) {
    case 'relu':
      return reluSlope(at);
    case 'sigmoid':
      return map(at, (v) => sigmoid(v) * (1 - sigmoid(v)));
    case 'identity':
      return map(at, () => 1);
  }
}

function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

/** ReLU'(A): 1 where A > 0, else 0. */
function reluSlope(a: Matrix): Matrix {
  return map(a, (v) => (v > 0 ? 1 : 0));
}

function map(a: Matrix, f: (v: number) => number): Matrix {
  const c = zeros(a.rows, a.cols, 'float64');
  for (let i = 0; i < a.data.length; i++) c.data[i] = f(a.data[i]);
  return c;
}

function map2(a: Matrix, b: Matrix, f: (x: number, y: number) => number): Matrix {
  const c = zeros(a.rows, a.cols, 'float64');
  for (let i = 0; i < a.data.length; i++) c.data[i] = f(a.data[i], b.data[i]);
  return c;
}

function times(a: Matrix, b: Matrix): Matrix {
  return map2(a, b, (x, y) => x * y);
}

function scaled(a: Matrix, s: number): Matrix {
  return map(a, (v) => v * s);
}

function sum(terms: Matrix[]): Matrix {
  return terms.reduce((total, m) => map2(total, m, (x, y) => x + y));
}

/** Σ_k M[:, k] as a 1 × rows matrix: a sum over the units, one value a sample. */
function rowSums(m: Matrix): Matrix {
  const sums = zeros(1, m.rows, 'float64');
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) sums.data[i] += m.data[i * m.cols + j];
  return sums;
}
