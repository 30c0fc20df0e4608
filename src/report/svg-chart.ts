/** One line of a chart. */
export interface Series {
  name: string;
  color: string;
  /** [x, y] points; non-finite y values are left out. */
  points: [number, number][];
}

/** The charts' size and margins, in SVG units. */
export const WIDTH = 640, HEIGHT = 320, LEFT = 64, RIGHT = 16, TOP = 16, BOTTOM = 40;

/**
 * A self-contained SVG line chart (no library, no network), with axes, ticks and a legend.
 * `logY` plots log10(y) (for losses spanning decades), labelled with the real values.
 */
export function lineChart(series: Series[], options: { xLabel: string; yLabel: string; logY?: boolean }): string {
  const toY = (v: number): number => (options.logY ? Math.log10(v) : v);
  const points = series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(toY(y)));
  if (points.length === 0) return `<p>No data to plot.</p>`;
  const [x0, x1] = extent(points.map(([x]) => x));
  const [y0, y1] = extent(points.map(([, y]) => toY(y)));
  const sx = (x: number): number => LEFT + ((x - x0) / (x1 - x0 || 1)) * (WIDTH - LEFT - RIGHT);
  const sy = (y: number): number => HEIGHT - BOTTOM - ((y - y0) / (y1 - y0 || 1)) * (HEIGHT - TOP - BOTTOM);
  const yTicks = (options.logY ? logTicks(y0, y1) : ticks(y0, y1)).map((v) => {
    const label = options.logY ? formatNumber(10 ** v) : formatNumber(v);
    return `<line x1="${LEFT - 4}" x2="${WIDTH - RIGHT}" y1="${sy(v)}" y2="${sy(v)}" stroke="#ddd"/><text x="${LEFT - 6}" y="${sy(v) + 4}" text-anchor="end">${label}</text>`;
  });
  const xTicks = ticks(x0, x1).map((v) => `<text x="${sx(v)}" y="${HEIGHT - BOTTOM + 16}" text-anchor="middle">${formatNumber(v)}</text>`);
  const lines = series.map((s) => {
    const path = s.points.filter(([, y]) => Number.isFinite(toY(y))).map(([x, y]) => `${sx(x).toFixed(1)},${sy(toY(y)).toFixed(1)}`);
    return `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${path.join(' ')}"/>`;
  });
  return chartSvg({ xLabel: options.xLabel, yLabel: options.yLabel, xTicks, yTicks, legend: series }, lines);
}

/** What surrounds a chart's marks: tick labels (SVG text), axis titles and the legend's names and colours. */
export interface ChartFrame {
  xLabel: string;
  yLabel: string;
  xTicks: string[];
  yTicks: string[];
  legend: readonly { name: string; color: string }[];
}

/** A self-contained SVG chart: `frame`'s ticks, axes, titles and legend around `marks` (lines, steps, markers). */
export function chartSvg(frame: ChartFrame, marks: readonly string[]): string {
  const legend = frame.legend.map((s, i) => `<text x="${WIDTH - RIGHT - 4}" y="${TOP + 14 + 16 * i}" text-anchor="end" fill="${s.color}">${escapeXml(s.name)}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    ...frame.yTicks,
    ...frame.xTicks,
    `<line x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${HEIGHT - BOTTOM}" stroke="#333"/>`,
    `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${HEIGHT - BOTTOM}" y2="${HEIGHT - BOTTOM}" stroke="#333"/>`,
    `<text x="${(LEFT + WIDTH - RIGHT) / 2}" y="${HEIGHT - 6}" text-anchor="middle">${escapeXml(frame.xLabel)}</text>`,
    `<text x="14" y="${(TOP + HEIGHT - BOTTOM) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(TOP + HEIGHT - BOTTOM) / 2})">${escapeXml(frame.yLabel)}</text>`,
    ...marks,
    ...legend,
    '</svg>',
  ].join('\n');
}

/** Escapes text for XML and HTML. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function extent(values: number[]): [number, number] {
  return [Math.min(...values), Math.max(...values)];
}

/** About five round tick values covering [low, high]. */
export function ticks(low: number, high: number): number[] {
  if (high === low) return [low];
  const step = 10 ** Math.floor(Math.log10((high - low) / 5));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => (high - low) / s <= 6) ?? 10 * step;
  const out: number[] = [];
  for (let v = Math.ceil(low / nice) * nice; v <= high + nice * 1e-9; v += nice) out.push(v);
  return out;
}

/** log10 of the values 1, 2 and 5 × 10ᵏ within [10^low, 10^high]; plain ticks when fewer than two. */
function logTicks(low: number, high: number): number[] {
  const out: number[] = [];
  for (let k = Math.floor(low); k <= Math.ceil(high); k++) {
    for (const m of [1, 2, 5]) {
      const v = Math.log10(m) + k;
      if (v >= low - 1e-9 && v <= high + 1e-9) out.push(v);
    }
  }
  return out.length >= 2 ? out : ticks(low, high);
}

/** A tick label: three significant digits, exponent form for very large or small values. */
export function formatNumber(v: number): string {
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(3)));
}
