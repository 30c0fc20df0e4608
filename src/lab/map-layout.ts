/** Ten colours, one a digit label (0–9), told apart also by people with the common colour-vision deficiencies (Tableau 10). */
export const DIGIT_COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#79706e'] as const;
/** The colour of samples without a label. */
export const UNLABELLED_COLOUR = '#4e79a7';

/** The colour of sample `n` on the map. */
export function pointColour(labels: Uint8Array | null, n: number): string {
  return labels ? DIGIT_COLOURS[labels[n] % DIGIT_COLOURS.length] : UNLABELLED_COLOUR;
}

/** Map coordinates to screen coordinates in a `width` × `height` box: the points' bounds fill it, less `margin`, y pointing up. */
export interface MapFrame {
  toScreen(x: number, y: number): [number, number];
}

/** The frame that fits `points` (x0, y0, x1, y1, …) and any `extra` points into the box. */
export function mapFrame(points: ArrayLike<number>, extra: readonly [number, number][], width: number, height: number, margin: number): MapFrame {
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  const include = (x: number, y: number): void => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  };
  for (let i = 0; i + 1 < points.length; i += 2) include(points[i], points[i + 1]);
  for (const [x, y] of extra) include(x, y);
  if (minX > maxX) [minX, maxX, minY, maxY] = [-1, 1, -1, 1];
  const spanX = maxX - minX || 1, spanY = maxY - minY || 1;
  const sx = (width - 2 * margin) / spanX, sy = (height - 2 * margin) / spanY;
  return { toScreen: (x, y) => [margin + (x - minX) * sx, height - margin - (y - minY) * sy] };
}

/** The sample whose point lies nearest the screen position (sx, sy), within `radius`; null when none does. */
export function nearestPoint(points: ArrayLike<number>, frame: MapFrame, sx: number, sy: number, radius: number): number | null {
  let best: number | null = null, bestDistance = radius * radius;
  for (let n = 0; 2 * n + 1 < points.length; n++) {
    const [px, py] = frame.toScreen(points[2 * n], points[2 * n + 1]);
    const d = (px - sx) ** 2 + (py - sy) ** 2;
    if (d <= bestDistance) [best, bestDistance] = [n, d];
  }
  return best;
}
