import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../src/linalg/backend.js';
import { zeros, type DType, type Matrix } from '../src/linalg/matrix.js';
import { backendFor } from '../src/linalg/js-backend.js';
import { Random } from '../src/random.js';
import { BACKENDS } from './backends.js';
import { randomMatrix, relativeError } from './helpers.js';

// Every backend (JS, WebAssembly on one thread and on two) runs the same checks against naive
// float64 loops. The WebAssembly kernels work in tiles of 4 × 8 rows and columns and vectors of 4
// floats: the odd sizes below leave remainders of every length. (In float64 `backendFor` hands the
// WebAssembly backend's work to the JS one, as a float64 model does.)

/** Shapes (m, k, n): 1×1, N = 1, odd and prime sizes around the tiles, the network's own. */
const shapes: [number, number, number][] = [
  [1, 1, 1], [1, 225, 75], [1, 75, 225], [3, 5, 7], [17, 1, 13], [2, 31, 1], [5, 9, 33], [9, 33, 17], [7, 3, 11],
  [16, 75, 75], [37, 225, 75], [64, 75, 225],
];

const at = (m: Matrix, i: number, j: number): number => m.data[i * m.cols + j];

function naive(rows: number, cols: number, entry: (i: number, j: number) => number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = entry(i, j);
  return out;
}

function dot(k: number, term: (p: number) => number): number {
  let s = 0;
  for (let p = 0; p < k; p++) s += term(p);
  return s;
}

describe.each(BACKENDS)('the $name backend', ({ create }) => {
  let created: Backend;
  beforeAll(async () => {
    created = await create();
  });
  afterAll(async () => {
    await created.close();
  });

  describe.each(['float32', 'float64'] as DType[])('%s', (dtype) => {
    let backend: Backend;
    beforeAll(() => {
      backend = backendFor(created, dtype);
    });
    const tolerance = dtype === 'float32' ? 1e-5 : 1e-13;
    const alloc = (m: Matrix): Matrix => {
      const copy = backend.alloc(m.rows, m.cols, dtype);
      copy.data.set(m.data);
      return copy;
    };
    const random = Random.fromSeed(11);
    const rand = (r: number, c: number): Matrix => alloc(randomMatrix(r, c, random, dtype));

    it.each(shapes)('matrix products %i×%i×%i, overwrite and accumulate', (m, k, n) => {
      const a = rand(m, k), bt = rand(n, k), at_ = rand(k, m), b = rand(k, n), c0 = rand(m, n);
      const cases: [string, (c: Matrix, acc: boolean) => void, (i: number, j: number) => number][] = [
        ['A·Bᵀ', (c, acc) => backend.matmulABt(a, bt, c, acc), (i, j) => dot(k, (p) => at(a, i, p) * at(bt, j, p))],
        ['Aᵀ·B', (c, acc) => backend.matmulAtB(at_, b, c, acc), (i, j) => dot(k, (p) => at(at_, p, i) * at(b, p, j))],
        ['A·B', (c, acc) => backend.matmulAB(a, b, c, acc), (i, j) => dot(k, (p) => at(a, i, p) * at(b, p, j))],
      ];
      for (const [name, run, entry] of cases) {
        const c = alloc(c0);
        run(c, false);
        expect(relativeError(c.data, naive(m, n, entry)), name).toBeLessThan(tolerance);
        run(c, true);
        expect(relativeError(c.data, naive(m, n, (i, j) => 2 * entry(i, j))), `${name} +=`).toBeLessThan(tolerance);
      }
    });

    it.each([[1, 1], [5, 7], [3, 33], [9, 13], [64, 225]])('bias add and column sums %i×%i', (rows, cols) => {
      const a = rand(rows, cols), bias = rand(1, cols), sums = rand(1, cols);
      const columnSums = naive(1, cols, (_, j) => dot(rows, (i) => at(a, i, j)));
      const expectedSums = naive(1, cols, (_, j) => at(sums, 0, j) + columnSums[j]);
      const expectedBiased = naive(rows, cols, (i, j) => at(a, i, j) + at(bias, 0, j));
      backend.columnSums(a, sums, true);
      expect(relativeError(sums.data, expectedSums), 'added').toBeLessThan(tolerance);
      backend.columnSums(a, sums, false);
      expect(relativeError(sums.data, columnSums), 'written').toBeLessThan(tolerance);
      backend.addRowVector(a, bias);
      expect(relativeError(a.data, expectedBiased)).toBeLessThan(tolerance);
    });

    it.each([[1, 1, 1], [4, 225, 3], [3, 10, 3], [2, 7, 7], [5, 8, 1], [3, 33, 4], [2, 31, 5]])('gather and scatter %i×%i, stride %i', (rows, cols, stride) => {
      const x = rand(rows, cols), width = Math.ceil(cols / stride);
      const red = alloc(zeros(rows, width, dtype));
      backend.gatherColumns(x, stride, red);
      expect(Array.from(red.data)).toEqual(Array.from(naive(rows, width, (i, j) => at(x, i, stride * j))));
      const g = alloc(x);
      backend.scatterAddColumns(red, stride, g);
      expect(Array.from(g.data)).toEqual(Array.from(naive(rows, cols, (i, j) => at(x, i, j) * (j % stride === 0 ? 2 : 1))));
    });

    // Element-wise kernels: 21, 6, 15 and 36 elements leave 1, 2, 3 and 0 after the vectors of 4.
    it.each([[3, 7], [2, 3], [5, 3]])('activations and their derivatives, with ReLU\'(0) = 0, %i×%i', (rows, cols) => {
      const a = alloc(randomMatrix(rows, cols, random, dtype, -3, 3));
      a.data[0] = 0;
      const g = rand(rows, cols), z = alloc(zeros(rows, cols, dtype)), d = alloc(zeros(rows, cols, dtype));
      const checks = {
        relu: [(v: number) => Math.max(v, 0), (v: number) => (v > 0 ? 1 : 0)],
        sigmoid: [(v: number) => 1 / (1 + Math.exp(-v)), (v: number) => Math.exp(-v) / (1 + Math.exp(-v)) ** 2],
        identity: [(v: number) => v, () => 1],
      } as const;
      for (const [name, [f, slope]] of Object.entries(checks) as [keyof typeof checks, readonly [(v: number) => number, (v: number) => number]][]) {
        backend.activate(name, a, z);
        expect(relativeError(z.data, Array.from(a.data, f)), name).toBeLessThan(tolerance);
        backend.activationBackward(name, a, z, g, d);
        expect(relativeError(d.data, Array.from(a.data, (v, i) => g.data[i] * slope(v))), `${name}'`).toBeLessThan(tolerance * 10);
      }
      backend.activationBackward('relu', a, z, g, d);
      expect(d.data[0]).toBe(0);
    });

    it.each([[4, 9], [3, 7], [2, 3], [5, 3]])('squared error, its gradient, norms, add and scale, %i×%i', (rows, cols) => {
      const y = rand(rows, cols), t = rand(rows, cols), grad = alloc(zeros(rows, cols, dtype)), sum = alloc(zeros(rows, cols, dtype));
      const diffs = Array.from(y.data, (v, i) => v - t.data[i]);
      expect(backend.squaredError(y, t)).toBeCloseTo(diffs.reduce((s, d) => s + d * d, 0), 4);
      backend.squaredErrorGradient(y, t, 2, grad);
      expect(relativeError(grad.data, diffs.map((d) => 2 * d))).toBeLessThan(tolerance);
      expect(backend.sumOfSquares(grad)).toBeCloseTo(diffs.reduce((s, d) => s + 4 * d * d, 0), 3);
      backend.add(y, t, sum);
      expect(relativeError(sum.data, Array.from(y.data, (v, i) => v + t.data[i]))).toBeLessThan(tolerance);
      backend.scale(sum, -0.5);
      expect(relativeError(sum.data, Array.from(y.data, (v, i) => -0.5 * (v + t.data[i])))).toBeLessThan(tolerance);
      backend.zero(sum);
      expect(sum.data.every((v) => v === 0)).toBe(true);
    });
  });
});
