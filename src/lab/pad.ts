import { DEFAULT_QUANTILE, type ErrorQuantiles } from '../eval/scores.js';
import { formatNumber } from './view-data.js';

/** What the network makes of a drawing: its reconstruction, its code's place on the map, its error and how usual that error is. */
export interface DrawingResult {
  output: Float32Array;
  /** On the codes map, or null before a map exists. */
  point: [number, number] | null;
  /** Σ (x − y)², the drawing's squared reconstruction error. */
  sse: number;
  verdict: string;
  /** The error lies above the `DEFAULT_QUANTILE` of the training digits' errors. */
  unusual: boolean;
}

/**
 * The drawing's error against the training digits' error quantiles, in words: how many
 * training digits reconstruct better; above the 0.99 quantile it is called unusual.
 */
export function judgeError(sse: number, { quantiles }: ErrorQuantiles): { verdict: string; unusual: boolean } {
  const at = (q: number): number => quantiles[String(q)] ?? Infinity;
  const error = `error ${formatNumber(sse)}`;
  if (sse > at(DEFAULT_QUANTILE)) {
    return { verdict: `Unusual: ${error} is above ${formatNumber(at(DEFAULT_QUANTILE))}, the error that 99 % of training digits stay under. The network has not learnt anything like it.`, unusual: true };
  }
  if (sse > at(0.9)) return { verdict: `Rare: ${error} is above what 90 % of training digits reach (${formatNumber(at(0.9))}), within the worst 10 %.`, unusual: false };
  if (sse > at(0.5)) return { verdict: `Usual: ${error}, between the median (${formatNumber(at(0.5))}) and the 90 % mark (${formatNumber(at(0.9))}) of training digits.`, unusual: false };
  return { verdict: `Typical: ${error}, below the median error of training digits (${formatNumber(at(0.5))}).`, unusual: false };
}

/** The brush: full ink at the stroke, half ink on the four neighbours (a pen about two pixels wide on 15 × 15). */
const BRUSH: readonly [number, number, number][] = [[0, 0, 1], [1, 0, 0.5], [-1, 0, 0.5], [0, 1, 0.5], [0, -1, 0.5]];

/**
 * Inks the stroke from `from` to `to` (pixel coordinates, fractions allowed) on a `side` × `side`
 * image of values in [0, 1]: the brush at every pixel the segment crosses; ink only adds.
 */
export function paintStroke(pixels: Float32Array, side: number, from: [number, number], to: [number, number]): void {
  const steps = Math.max(1, Math.ceil(2 * Math.hypot(to[0] - from[0], to[1] - from[1])));
  for (let s = 0; s <= steps; s++) {
    const x = Math.floor(from[0] + ((to[0] - from[0]) * s) / steps);
    const y = Math.floor(from[1] + ((to[1] - from[1]) * s) / steps);
    for (const [dx, dy, ink] of BRUSH) {
      const px = x + dx, py = y + dy;
      if (px < 0 || py < 0 || px >= side || py >= side) continue;
      pixels[py * side + px] = Math.max(pixels[py * side + px], ink);
    }
  }
}
