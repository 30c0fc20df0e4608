import type { Matrix } from '../linalg/matrix.js';
import { InternalError } from '../errors.js';
import { parameterSymbol } from '../model/parameters.js';

/** The shape of a tensor, its norm and a few entries: what the derivation view prints beside an equation. */
export interface TensorStats {
  rows: number;
  cols: number;
  /** Frobenius norm √(Σ m²). */
  norm: number;
  /** The column of `entries`' first value, in row 0. */
  firstColumn: number;
  /** Consecutive entries of row 0 from the middle of the row (an image's corner is all zeros). */
  entries: number[];
}

/** Shape, norm and `count` entries of row 0 of `m` from its middle column. */
export function tensorStats(m: Matrix, count = 4): TensorStats {
  let sumOfSquares = 0;
  for (const v of m.data) sumOfSquares += v * v;
  const firstColumn = Math.max(0, Math.min(Math.floor(m.cols / 2), m.cols - count));
  const entries = Array.from(m.data.subarray(firstColumn, Math.min(m.cols, firstColumn + count)));
  return { rows: m.rows, cols: m.cols, norm: Math.sqrt(sumOfSquares), firstColumn, entries };
}

/** A number for people: 4 significant digits, exponent form below 0.001 and from 100,000. */
export function formatNumber(v: number): string {
  const magnitude = Math.abs(v);
  if (magnitude === 0 || !Number.isFinite(v)) return String(v);
  return magnitude >= 1e-3 && magnitude < 1e5 ? String(Number(v.toPrecision(4))) : v.toExponential(2);
}

/** Width and height of the near-square image that holds `n` values row by row (15 × 15 for 225, 9 × 9 for 75). */
export function imageShape(n: number): [number, number] {
  const width = Math.ceil(Math.sqrt(n));
  return [width, Math.ceil(n / width)];
}

/**
 * A matrix cut into vectors to draw as tiles: each row (a sample; or a row of `W_in`, what an
 * input unit looks for in the image) or each column (of `W_out`: what a hidden unit paints
 * into the reconstruction).
 */
export function tilesOf(m: Matrix, along: 'rows' | 'columns'): Float32Array[] {
  const { rows, cols, data } = m;
  if (along === 'rows') return Array.from({ length: rows }, (_, i) => Float32Array.from(data.subarray(i * cols, (i + 1) * cols)));
  return Array.from({ length: cols }, (_, j) => Float32Array.from({ length: rows }, (_, i) => data[i * cols + j]));
}

/**
 * How values become colours:
 * - `grey`: images in [0, 1], black to white (clamped);
 * - `diverging`: signed values, blue below zero, white at zero, red above, each tile scaled
 *   by its own largest magnitude (so a tile shows its pattern, not its size).
 */
export type ColorScale = 'grey' | 'diverging';

/** An RGBA picture, 4 bytes a pixel, row-major: what `ImageData` takes. */
export interface RgbaImage {
  width: number;
  height: number;
  pixels: Uint8ClampedArray;
}

/** How `tileGrid` lays tiles out. */
export interface TileGridOptions {
  /** Tiles per row. */
  columns: number;
  scale: ColorScale;
  /** Pixels between tiles (default 1). */
  gap?: number;
}

const BACKGROUND = [236, 239, 243] as const;

/** Equal-length vectors drawn as near-square tiles (`imageShape`) in a grid, one pixel a value. */
export function tileGrid(tiles: readonly ArrayLike<number>[], options: TileGridOptions): RgbaImage {
  const gap = options.gap ?? 1;
  const length = tiles.length === 0 ? 0 : tiles[0].length;
  const [tileWidth, tileHeight] = imageShape(length);
  const columns = Math.max(1, Math.min(options.columns, tiles.length));
  const rows = Math.ceil(tiles.length / columns);
  const width = columns * tileWidth + (columns - 1) * gap;
  const height = rows * tileHeight + Math.max(0, rows - 1) * gap;
  const pixels = new Uint8ClampedArray(4 * width * height);
  for (let i = 0; i < pixels.length; i += 4) pixels.set([...BACKGROUND, 255], i);
  tiles.forEach((tile, t) => {
    if (tile.length !== length) throw new InternalError(`tile ${t} has ${tile.length} values, expected ${length}`);
    const left = (t % columns) * (tileWidth + gap);
    const top = Math.floor(t / columns) * (tileHeight + gap);
    const color = colorMap(tile, options.scale);
    for (let k = 0; k < length; k++) {
      const offset = 4 * ((top + Math.floor(k / tileWidth)) * width + left + (k % tileWidth));
      pixels.set(color(tile[k]), offset);
    }
  });
  return { width, height, pixels };
}

type Rgba = [number, number, number, number];

function colorMap(tile: ArrayLike<number>, scale: ColorScale): (v: number) => Rgba {
  if (scale === 'grey') {
    return (v) => {
      const g = Math.round(255 * Math.min(1, Math.max(0, v)));
      return [g, g, g, 255];
    };
  }
  let largest = 0;
  for (let k = 0; k < tile.length; k++) largest = Math.max(largest, Math.abs(tile[k]));
  return (v) => {
    const t = largest > 0 && Number.isFinite(v) ? Math.max(-1, Math.min(1, v / largest)) : 0;
    const fade = Math.round(255 * (1 - Math.abs(t)));
    return t >= 0 ? [255, fade, fade, 255] : [fade, fade, 255, 255];
  };
}

/**
 * Samples beside their reconstructions, for `tileGrid` with `columns` tiles a row: each row
 * of inputs is followed by the row of their reconstructions.
 */
export function pairTiles(inputs: Matrix, outputs: Matrix, columns: number): Float32Array[] {
  const x = tilesOf(inputs, 'rows');
  const y = tilesOf(outputs, 'rows');
  const tiles: Float32Array[] = [];
  for (let first = 0; first < x.length; first += columns) tiles.push(...x.slice(first, first + columns), ...y.slice(first, first + columns));
  return tiles;
}

/**
 * The sample under a point of a `pairTiles` grid of `count` samples, the point given as
 * fractions (0 to 1) of the grid's width and height; null between or past the samples.
 */
export function pairAt(fx: number, fy: number, count: number, columns: number): number | null {
  const perRow = Math.min(columns, count);
  const gridRows = 2 * Math.ceil(count / perRow);
  const column = Math.floor(fx * perRow);
  const row = Math.floor(fy * gridRows);
  if (column < 0 || column >= perRow || row < 0 || row >= gridRows) return null;
  const sample = Math.floor(row / 2) * perRow + column;
  return sample < count ? sample : null;
}

/** A trace name as docs/derivation.md writes it: `A_rec.2` → `A_rec(2)`, `delta_out` → `δ_out`, `grad.rec.weight` → `∂E/∂W_rec`. */
export function tensorLabel(name: string): string {
  if (name.startsWith('grad.')) return `∂E/∂${parameterSymbol(name.slice(5)) ?? name.slice(5)}`;
  return name.replace(/^delta_/, 'δ_').replace(/\.(\d+)$/, '($1)');
}

/** The part of the network a traced tensor belongs to: `input layer`, `link layer`, `cycle 2`, `output layer` (X: `input`). */
function layerOf(name: string): string {
  const cycle = /rec\.(\d+)$/.exec(name);
  if (cycle) return `cycle ${cycle[1]}`;
  if (name === 'X') return 'input';
  if (/_in$/.test(name)) return 'input layer';
  if (/(_red|_link)$/.test(name)) return 'link layer';
  return 'output layer';
}

/** Trace names grouped by `layerOf`, consecutive names of one part together, in order. */
export function groupByLayer(names: readonly string[]): { layer: string; names: string[] }[] {
  const groups: { layer: string; names: string[] }[] = [];
  for (const name of names) {
    const layer = layerOf(name);
    const last = groups[groups.length - 1];
    if (last?.layer === layer) last.names.push(name);
    else groups.push({ layer, names: [name] });
  }
  return groups;
}

/**
 * The sample the chooser's text asks for, within 0 … count − 1: rounded to an integer and
 * clamped; `fallback` for text that is not a number.
 */
export function clampSample(text: string, count: number, fallback: number): number {
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value)) return fallback;
  return Math.min(Math.max(0, Math.round(value)), Math.max(0, count - 1));
}
