import { PNG } from 'pngjs';
import type { Matrix } from '../linalg/matrix.js';
import { ReclinkError } from '../errors.js';

/** A greyscale picture, one byte a pixel, row-major. */
export interface GreyImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** How `pairGrid` lays the tiles out. */
export interface GridOptions {
  /** Pairs per row of the grid (default 8). */
  columns?: number;
  /** Screen pixels per image pixel (default 4). */
  zoom?: number;
  /** The values drawn black and white (default 0 and 1); values beyond them are clamped. */
  range?: { low: number; high: number };
}

const GAP = 2;
const PAIR_GAP = 8;
const BACKGROUND = 96;

/**
 * Each sample's input beside its reconstruction, as square tiles of side √D, grey levels
 * from `range` (clamped). Pairs run left to right, `columns` to a row.
 */
export function pairGrid(inputs: Matrix, outputs: Matrix, options: GridOptions = {}): GreyImage {
  const side = Math.round(Math.sqrt(inputs.cols));
  if (side * side !== inputs.cols) throw new ReclinkError(`cannot draw samples of ${inputs.cols} values as square images`);
  const columns = Math.min(options.columns ?? 8, inputs.rows);
  const zoom = options.zoom ?? 4;
  const { low, high } = options.range ?? { low: 0, high: 1 };
  const level = (v: number): number => Math.round(255 * Math.min(1, Math.max(0, (v - low) / (high - low))));
  const tile = side * zoom;
  const pairWidth = 2 * tile + GAP;
  const rows = Math.ceil(inputs.rows / columns);
  const width = columns * pairWidth + (columns + 1) * PAIR_GAP;
  const height = rows * tile + (rows + 1) * PAIR_GAP;
  const canvas: Canvas = { pixels: new Uint8Array(width * height).fill(BACKGROUND), width, side, zoom, level };
  for (let n = 0; n < inputs.rows; n++) {
    const left = PAIR_GAP + (n % columns) * (pairWidth + PAIR_GAP);
    const top = PAIR_GAP + Math.floor(n / columns) * (tile + PAIR_GAP);
    drawTile(canvas, inputs, n, left, top);
    drawTile(canvas, outputs, n, left + tile + GAP, top);
  }
  return { width, height, pixels: canvas.pixels };
}

/** Where tiles are drawn: the image, the tiles' side in samples, the zoom and the grey level of a value. */
interface Canvas {
  pixels: Uint8Array;
  width: number;
  side: number;
  zoom: number;
  level: (v: number) => number;
}

/** Draws row `n` of `m` as a tile with its top left corner at (left, top). */
function drawTile({ pixels, width, side, zoom, level }: Canvas, m: Matrix, n: number, left: number, top: number): void {
  for (let y = 0; y < side * zoom; y++) {
    for (let x = 0; x < side * zoom; x++) {
      pixels[(top + y) * width + left + x] = level(m.data[n * m.cols + Math.floor(y / zoom) * side + Math.floor(x / zoom)]);
    }
  }
}

/** The image encoded as an 8-bit greyscale PNG. */
export function encodePng(image: GreyImage): Uint8Array {
  const png = new PNG({ width: image.width, height: image.height, colorType: 0 });
  for (let i = 0; i < image.pixels.length; i++) {
    const v = image.pixels[i];
    png.data[4 * i] = png.data[4 * i + 1] = png.data[4 * i + 2] = v;
    png.data[4 * i + 3] = 255;
  }
  return PNG.sync.write(png, { colorType: 0, inputColorType: 6 });
}
