import uPlot from 'uplot';
import { Cadence } from '../../src/lab/cadence.js';
import { chartSummary } from '../../src/lab/loss-curves.js';
import type { LabSnapshot } from '../../src/lab/protocol.js';
import { formatNumber, pairAt, pairTiles, tileGrid } from '../../src/lab/view-data.js';
import { drawImage, el } from '../dom.js';
import type { PageActions, PageState, View } from './view.js';

const COLUMNS = 8;
/** Milliseconds between two redraws of the chart while training, at least. */
const CHART_MS = 250;
const ZOOM = 4;

/** Loss curves and validation digits beside their reconstructions, live. */
export function trainView(actions: PageActions): View {
  const chartBox = el('div', { class: 'chart', id: 'loss-chart', role: 'img', 'aria-labelledby': 'chart-summary' });
  const summary = el('p', { class: 'muted', id: 'chart-summary' }, 'No losses yet.');
  const empty = el('p', { class: 'empty' }, 'No steps yet. Press Train (Space) and the loss appears here.');
  const marks = el('ol', { class: 'marks', id: 'chart-marks', 'aria-label': 'settings changes in this run' });
  const canvas = el('canvas', { id: 'reconstructions', class: 'pixels', role: 'img', 'aria-label': 'validation digits, each above its reconstruction' });
  const caption = el('figcaption', {}, 'Rows alternate: validation digits (inputs X), then their reconstructions Y. Click a digit to inspect it.');
  const panel = el(
    'section',
    {},
    el('h2', {}, 'Training'),
    el('p', { class: 'lead' }, 'Loss per sample, E / N, on a log scale: the training batch at every step, the validation set once an epoch.'),
    el('div', { class: 'chart-frame' }, chartBox, empty),
    summary,
    marks,
    el('h3', {}, 'Reconstructions'),
    el('figure', { class: 'recon' }, canvas, caption),
  );
  let chart: uPlot | null = null;
  /** Redraws of the chart while training: 4 a second, fewer when thousands of points make one slow. */
  const redraws = new Cadence(CHART_MS);
  let drawn: LabSnapshot | null = null;

  canvas.addEventListener('click', (event) => {
    if (drawn === null) return;
    const box = canvas.getBoundingClientRect();
    const sample = pairAt((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height, drawn.inputs.rows, COLUMNS);
    if (sample === null) return;
    actions.send({ type: 'inspect', sample });
    actions.show('sample');
  });

  new ResizeObserver(() => chart?.setSize(chartSize(chartBox))).observe(chartBox);

  return {
    id: 'train',
    title: 'Training',
    panel,
    update(state: PageState) {
      const { curves, snapshot } = state;
      empty.hidden = curves.steps.length > 1;
      chart ??= createChart(chartBox, () => state.curves.marks);
      const now = performance.now();
      if (!state.status?.running || redraws.due(now)) {
        chart.setData(curves.data);
        queueMicrotask(() => redraws.ran(now, performance.now())); // after uPlot's own microtask, which draws
      }
      summary.textContent = chartSummary(curves);
      if (marks.childElementCount !== curves.marks.length) marks.replaceChildren(...curves.marks.map((m) => el('li', {}, `step ${m.step.toLocaleString('en-US')}: ${m.label}`)));
      if (snapshot && snapshot !== drawn) {
        drawn = snapshot;
        drawImage(canvas, tileGrid(pairTiles(snapshot.inputs, snapshot.outputs, COLUMNS), { columns: COLUMNS, scale: 'grey', gap: 1 }), ZOOM);
        const shown = snapshot.inputs.rows;
        caption.textContent = `Rows alternate: ${shown} validation digit${shown === 1 ? '' : 's'} (inputs X), up to ${COLUMNS} a row, then their reconstructions Y. Click a digit to inspect it.`;
      }
    },
  };
}

function chartSize(box: HTMLElement): { width: number; height: number } {
  return { width: Math.max(200, box.clientWidth), height: 300 };
}

function createChart(box: HTMLElement, marks: () => readonly { step: number; label: string }[]): uPlot {
  const options: uPlot.Options = {
    ...chartSize(box),
    scales: { x: { time: false }, y: { distr: 3 } },
    series: [
      { label: 'step' },
      { label: 'train', stroke: '#2563eb', width: 1, spanGaps: true, points: { show: false } },
      { label: 'validation', stroke: '#dc2626', width: 2, spanGaps: true, points: { show: fewValidationPoints, size: 6 } },
    ],
    legend: { live: false }, // labels only: the values are in the summary under the chart (a live legend shows "--" until hovered)
    axes: [{ label: 'step' }, { label: 'loss per sample', values: (_u, splits) => splits.map((v: number | null) => (v === null ? '' : formatNumber(v))), size: yAxisSize }],
    cursor: { drag: { x: true, y: false } },
    hooks: { draw: [(u) => drawMarks(u, marks())] },
  };
  return new uPlot(options, [[], [], []], box);
}

/** Validation markers only while they stay apart (on small data every step ends an epoch, and they merge into a bar). */
function fewValidationPoints(u: uPlot): boolean {
  let measured = 0;
  for (const v of u.data[2]) if (v !== null && v !== undefined) measured++;
  return measured <= u.bbox.width / (12 * devicePixelRatio);
}

/** The y axis's width: room for its longest label (`3.67e+23` after a divergence) beside the axis title. */
function yAxisSize(_u: uPlot, values: string[] | null): number {
  const longest = Math.max(4, ...(values ?? []).map((v) => v.length));
  return 30 + 8 * longest;
}

/** Each settings change as a dashed vertical line at its step, numbered as in the list under the chart. */
function drawMarks(u: uPlot, marks: readonly { step: number; label: string }[]): void {
  const { ctx, bbox } = u;
  ctx.save();
  ctx.strokeStyle = '#7c3aed';
  ctx.fillStyle = '#7c3aed';
  ctx.lineWidth = devicePixelRatio;
  ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
  ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
  marks.forEach((mark, i) => {
    const x = Math.round(u.valToPos(mark.step, 'x', true));
    if (x < bbox.left || x > bbox.left + bbox.width) return;
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
    ctx.fillText(String(i + 1), x + 3 * devicePixelRatio, bbox.top + 12 * devicePixelRatio);
  });
  ctx.restore();
}
