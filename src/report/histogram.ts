import { BOTTOM, chartSvg, escapeXml, formatNumber, HEIGHT, LEFT, RIGHT, ticks, TOP, WIDTH } from './svg-chart.js';

/** One distribution of a histogram: its values, drawn as the fraction of them in each bin. */
export interface HistogramSeries {
  name: string;
  color: string;
  values: ArrayLike<number>;
}

/** A labelled vertical line (a threshold). */
export interface Marker {
  label: string;
  x: number;
}

/**
 * How many of `values` fall in each of `bins` equal bins over [low, high]; a value at
 * `high` counts in the last bin, values outside are left out.
 */
export function binCounts(values: ArrayLike<number>, low: number, high: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  const width = (high - low) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= low && v <= high)) continue;
    counts[Math.min(bins - 1, Math.floor((v - low) / width))]++;
  }
  return counts;
}

/**
 * A self-contained SVG histogram: each series as a step outline of the fraction of its
 * values per bin (so series of different sizes compare), over [0, the largest value], with
 * dashed labelled markers.
 */
export function histogramChart(series: HistogramSeries[], markers: Marker[], options: { xLabel: string; bins?: number }): string {
  const bins = options.bins ?? 40;
  const high = Math.max(...series.flatMap((s) => Array.from(s.values)), ...markers.map((m) => m.x));
  if (!(high > 0) || !Number.isFinite(high)) return '<p>No data to plot.</p>';
  const fractions = series.map((s) => binCounts(s.values, 0, high, bins).map((c) => c / Math.max(1, s.values.length)));
  const top = Math.max(...fractions.flat());
  const sx = (x: number): number => LEFT + (x / high) * (WIDTH - LEFT - RIGHT);
  const sy = (y: number): number => HEIGHT - BOTTOM - (y / top) * (HEIGHT - TOP - BOTTOM);
  const steps = fractions.map((f, i) => {
    const points = f.flatMap((y, b) => [`${sx((b * high) / bins).toFixed(1)},${sy(y).toFixed(1)}`, `${sx(((b + 1) * high) / bins).toFixed(1)},${sy(y).toFixed(1)}`]);
    return `<polyline fill="none" stroke="${series[i].color}" stroke-width="2" points="${sx(0)},${sy(0)} ${points.join(' ')} ${sx(high)},${sy(0)}"/>`;
  });
  const lines = markers.map(
    (m, i) =>
      `<line x1="${sx(m.x).toFixed(1)}" x2="${sx(m.x).toFixed(1)}" y1="${TOP}" y2="${HEIGHT - BOTTOM}" stroke="#555" stroke-dasharray="4 3"/>` +
      `<text x="${(sx(m.x) + 3).toFixed(1)}" y="${TOP + 12 + 14 * (i % 4)}" fill="#555">${escapeXml(m.label)}</text>`,
  );
  const yTicks = ticks(0, top).map((v) => `<text x="${LEFT - 6}" y="${sy(v) + 4}" text-anchor="end">${formatNumber(v)}</text>`);
  const xTicks = ticks(0, high).map((v) => `<text x="${sx(v)}" y="${HEIGHT - BOTTOM + 16}" text-anchor="middle">${formatNumber(v)}</text>`);
  return chartSvg({ xLabel: options.xLabel, yLabel: 'fraction of samples', xTicks, yTicks, legend: series }, [...steps, ...lines]);
}
