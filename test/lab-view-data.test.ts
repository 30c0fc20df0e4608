import { describe, expect, it } from 'vitest';
import { fromValues } from '../src/linalg/matrix.js';
import { formatNumber, groupByLayer, imageShape, pairAt, pairTiles, tensorLabel, tensorStats, tileGrid, tilesOf, clampSample } from '../src/lab/view-data.js';

const pixel = (image: { width: number; pixels: Uint8ClampedArray }, x: number, y: number): number[] => Array.from(image.pixels.subarray(4 * (y * image.width + x), 4 * (y * image.width + x) + 4));

describe('view data', () => {
  it('gives the shape, the norm and four entries from the middle of row 0', () => {
    const m = fromValues(2, 10, Array.from({ length: 20 }, (_, i) => i - 5));
    const stats = tensorStats(m);
    expect(stats).toMatchObject({ rows: 2, cols: 10, firstColumn: 5, entries: [0, 1, 2, 3] });
    expect(stats.norm).toBeCloseTo(Math.sqrt(Array.from(m.data).reduce((s, v) => s + v * v, 0)), 4);
    expect(tensorStats(fromValues(1, 3, [7, 8, 9]))).toMatchObject({ firstColumn: 0, entries: [7, 8, 9] });
    expect(tensorStats(fromValues(1, 1, [42]))).toMatchObject({ norm: 42, entries: [42] });
  });

  it('lays n values out as a near-square image', () => {
    expect(imageShape(225)).toEqual([15, 15]);
    expect(imageShape(75)).toEqual([9, 9]);
    expect(imageShape(10)).toEqual([4, 3]);
    expect(imageShape(1)).toEqual([1, 1]);
  });

  it('cuts a matrix into its rows or its columns', () => {
    const m = fromValues(2, 3, [1, 2, 3, 4, 5, 6]);
    expect(tilesOf(m, 'rows').map((t) => Array.from(t))).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(tilesOf(m, 'columns').map((t) => Array.from(t))).toEqual([[1, 4], [2, 5], [3, 6]]);
  });

  it('draws grey images clamped to [0, 1] in a grid with gaps', () => {
    const image = tileGrid([[0, 0.5, 1, 2], [-1, 0, 0, 0], [1, 1, 1, 1]], { columns: 2, scale: 'grey', gap: 1 });
    expect([image.width, image.height]).toEqual([5, 5]);
    expect(pixel(image, 0, 0)).toEqual([0, 0, 0, 255]);
    expect(pixel(image, 1, 0)).toEqual([128, 128, 128, 255]);
    expect(pixel(image, 1, 1)).toEqual([255, 255, 255, 255]); // 2 is clamped to white
    expect(pixel(image, 3, 0)).toEqual([0, 0, 0, 255]); // −1 is clamped to black
    expect(pixel(image, 2, 0)).toEqual([236, 239, 243, 255]); // the gap
    expect(pixel(image, 0, 3)).toEqual([255, 255, 255, 255]); // third tile, second row
    expect(pixel(image, 3, 3)).toEqual([236, 239, 243, 255]); // no fourth tile
    expect(() => tileGrid([[1, 2], [1]], { columns: 2, scale: 'grey' })).toThrow('tile 1 has 1 values, expected 2');
  });

  it('draws signed values red and blue, each tile scaled to its own largest magnitude', () => {
    const image = tileGrid([[2, -1, 0, -2], [0.5, 0, 0, 0]], { columns: 2, scale: 'diverging', gap: 0 });
    expect(pixel(image, 0, 0)).toEqual([255, 0, 0, 255]);
    expect(pixel(image, 1, 0)).toEqual([128, 128, 255, 255]);
    expect(pixel(image, 0, 1)).toEqual([255, 255, 255, 255]);
    expect(pixel(image, 1, 1)).toEqual([0, 0, 255, 255]);
    expect(pixel(image, 2, 0)).toEqual([255, 0, 0, 255]); // 0.5 is this tile's largest
    expect(pixel(tileGrid([[0, 0]], { columns: 1, scale: 'diverging' }), 0, 0)).toEqual([255, 255, 255, 255]);
  });

  it('puts each row of inputs above the row of their reconstructions, and finds the sample under a point', () => {
    const x = fromValues(3, 1, [1, 2, 3]), y = fromValues(3, 1, [10, 20, 30]);
    expect(pairTiles(x, y, 2).map((t) => t[0])).toEqual([1, 2, 10, 20, 3, 30]);
    // 3 samples, 2 a row: grid rows are inputs 0-1, outputs 0-1, input 2, output 2
    expect(pairAt(0.1, 0.1, 3, 2)).toBe(0);
    expect(pairAt(0.9, 0.3, 3, 2)).toBe(1);
    expect(pairAt(0.2, 0.9, 3, 2)).toBe(2);
    expect(pairAt(0.8, 0.6, 3, 2)).toBeNull();
    expect(pairAt(1.2, 0.1, 3, 2)).toBeNull();
  });

  it('prints numbers with four significant digits and names tensors as SPEC does', () => {
    expect([0, 1234.567, 0.012345, 1e-5, -250000, Number.NaN].map(formatNumber)).toEqual(['0', '1235', '0.01235', '1.00e-5', '-2.50e+5', 'NaN']);
    expect(['A_rec.2', 'delta_out', 'delta_rec.1', 'grad.rec.weight', 'grad.output.bias', 'G_in', 'X_red'].map(tensorLabel)).toEqual([
      'A_rec(2)', 'δ_out', 'δ_rec(1)', '∂E/∂W_rec', '∂E/∂b_out', 'G_in', 'X_red',
    ]);
  });

  it('groups traced tensors by the part of the network they belong to, cycle by cycle', () => {
    const forward = ['X', 'A_in', 'Z_in', 'X_red', 'A_link', 'Z_link', 'A_rec.1', 'Z_rec.1', 'A_rec.2', 'Z_rec.2', 'S', 'A_out', 'Y'];
    expect(groupByLayer(forward).map((g) => `${g.layer}: ${g.names.join(' ')}`)).toEqual([
      'input: X', 'input layer: A_in Z_in', 'link layer: X_red A_link Z_link', 'cycle 1: A_rec.1 Z_rec.1', 'cycle 2: A_rec.2 Z_rec.2', 'output layer: S A_out Y',
    ]);
    const backward = ['G_Y', 'delta_out', 'G_S', 'delta_link', 'delta_rec.2', 'delta_rec.1', 'G_in', 'delta_in'];
    expect(groupByLayer(backward).map((g) => g.layer)).toEqual(['output layer', 'link layer', 'cycle 2', 'cycle 1', 'input layer']);
  });

  it('clamps the sample chooser to the samples there are, rounding, and keeps the current one for text', () => {
    expect(clampSample('12', 2000, 3)).toBe(12);
    expect(clampSample('5000', 2000, 3)).toBe(1999);
    expect(clampSample('-4', 2000, 3)).toBe(0);
    expect(clampSample('2.4', 2000, 3)).toBe(2);
    expect(clampSample('abc', 2000, 3)).toBe(3);
    expect(clampSample('', 2000, 7)).toBe(7);
  });
});
