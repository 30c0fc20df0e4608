import type { Backend } from '../linalg/backend.js';
import type { Matrix } from '../linalg/matrix.js';
import { Random } from '../random.js';
import { samplesPerSecond, type MeasureOptions } from './measure.js';

/** This network's products at batch 256: forward and input gradients, C (+)= A·B. */
const SHAPES: readonly [m: number, k: number, n: number][] = [
  [256, 225, 75],
  [256, 75, 225],
  [256, 75, 75],
];

/** The best GFLOP/s of the backend's matrix product (A·B, accumulating) on this network's shapes. */
export function matmulPeak(backend: Backend, options: MeasureOptions): number {
  const random = Random.fromSeed(3);
  const matrix = (rows: number, cols: number): Matrix => {
    const m = backend.alloc(rows, cols, 'float32');
    for (let i = 0; i < m.data.length; i++) m.data[i] = random.uniformIn(-1, 1);
    return m;
  };
  const budget = { ...options, budgetMs: options.budgetMs / SHAPES.length };
  return Math.max(
    ...SHAPES.map(([m, k, n]) => {
      const a = matrix(m, k), b = matrix(k, n), c = matrix(m, n);
      // "Samples" here are multiply-adds: rate · 2 = FLOP/s.
      return (2 * samplesPerSecond(() => backend.matmulAB(a, b, c, true), m * k * n, budget)) / 1e9;
    }),
  );
}
