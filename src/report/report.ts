import type { ErrorQuantiles } from '../eval/scores.js';
import type { Matrix } from '../linalg/matrix.js';
import type { RecLinkConfig } from '../model/config.js';
import type { EpochRecord } from '../train/events.js';
import { summarize, type SummaryRow } from '../model/summary.js';
import { encodePng, pairGrid, type GridOptions } from './grid.js';
import type { CodeMap } from '../lab/code-map.js';
import { codeMapChart } from './code-map-svg.js';
import { histogramChart } from './histogram.js';
import { escapeXml, lineChart } from './svg-chart.js';

/** What `renderReport` shows. */
export interface ReportInput {
  title: string;
  /** Why the run stopped before its end (it diverged, it was interrupted), shown in a box at the top; none for a run that ended. */
  notice?: string;
  config: RecLinkConfig;
  /** The run's settings (optimizer, learning rate, ...), shown as a table. */
  settings: Record<string, string | number | boolean>;
  history: EpochRecord[];
  /**
   * Test metrics, the dead outputs on the test samples (`deadOutputs`; null: not a ReLU output,
   * absent: not shown) and a few test samples with their reconstructions, drawn black to white
   * over `range` (default [0, 1]).
   */
  test: { mse: number; psnr: number; deadOutputs?: number | null; inputs: Matrix; outputs: Matrix; range?: GridOptions['range'] };
  /** Each training and test sample's SSE with the final weights, and the training errors' recorded quantiles. */
  errors?: { train: ArrayLike<number>; test: ArrayLike<number>; quantiles: ErrorQuantiles };
  /** The test samples' codes S on their first two principal components, as the lab's Codes view draws them. */
  codes?: CodeMap;
}

/**
 * A stand-alone HTML page (no script, no network): loss curves, MSE per pixel by epoch,
 * test digits beside their reconstructions, the configuration and the shapes table.
 */
export function renderReport(input: ReportInput): string {
  const { history, test } = input;
  const epochs = (pick: (e: EpochRecord) => number): [number, number][] => history.map((e) => [e.epoch, pick(e)]);
  const lossChart = lineChart(
    [
      { name: 'train', color: '#1f77b4', points: epochs((e) => e.trainLoss) },
      { name: 'validation', color: '#d62728', points: epochs((e) => e.valLoss) },
    ],
    { xLabel: 'epoch', yLabel: 'loss per sample', logY: true },
  );
  const mseChart = lineChart([{ name: 'validation', color: '#2ca02c', points: epochs((e) => e.valMse) }], { xLabel: 'epoch', yLabel: 'MSE per pixel' });
  const grid = Buffer.from(encodePng(pairGrid(test.inputs, test.outputs, { columns: 8, zoom: 4, range: test.range }))).toString('base64');
  const summary = summarize(input.config, 1);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(input.title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 960px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; } td, th { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
.metrics td:nth-child(2) { font-variant-numeric: tabular-nums; } img { image-rendering: pixelated; max-width: 100%; }
.notice { border: 2px solid #d62728; background: #fdecea; padding: 0.6em 1em; }
</style></head><body>
<h1>${escapeXml(input.title)}</h1>
${input.notice === undefined ? '' : `<p class="notice">${escapeXml(input.notice)}</p>\n`}<table class="metrics">
<tr><th>test MSE per pixel</th><td>${test.mse.toFixed(5)}</td></tr>
<tr><th>test PSNR</th><td>${test.psnr.toFixed(2)} dB</td></tr>
${test.deadOutputs === undefined ? '' : deadOutputsRow(test.deadOutputs, input.config)}<tr><th>epochs</th><td>${history.length}</td></tr>
</table>
<h2>Loss</h2>
${lossChart}
<h2>Validation MSE per pixel</h2>
${mseChart}
<h2>Test digits and their reconstructions</h2>
<p>Each pair: the input on the left, the network's reconstruction on the right.</p>
<img alt="test digits beside their reconstructions" src="data:image/png;base64,${grid}">
${input.errors ? errorSection(input.errors) : ''}
${input.codes ? codeSection(input.codes) : ''}
<h2>Settings</h2>
${keyValueTable({ ...input.config, ...input.settings })}
<h2>Shapes (the exercise's 3.1.1, per sample)</h2>
${shapeTable([...summary.parameters, ...summary.activations])}
<p>${summary.parameterCount.toLocaleString('en-US')} parameters.</p>
</body></html>
`;
}

function errorSection({ train, test, quantiles }: NonNullable<ReportInput['errors']>): string {
  const markers = Object.entries(quantiles.quantiles).map(([q, x]) => ({ label: `q ${q}`, x }));
  const chart = histogramChart(
    [
      { name: `training (${train.length})`, color: '#1f77b4', values: train },
      { name: `test (${test.length})`, color: '#d62728', values: test },
    ],
    markers,
    { xLabel: 'SSE of a sample' },
  );
  return `<h2>Reconstruction errors</h2>
<p>Each sample's sum-squared error, with the quantiles of the training samples' errors that <code>reclink score</code> flags above (default q 0.99 = ${quantiles.quantiles['0.99']?.toPrecision(4) ?? 'none'}).</p>
${chart}`;
}

function deadOutputsRow(dead: number | null, config: RecLinkConfig): string {
  const value = dead === null
    ? `not counted (${config.outputActivation} output)`
    : `${dead} of ${config.inputSize}: output units whose ReLU never fires on any test sample (each draws its pixel as one constant and gets no gradient)`;
  return `<tr><th>dead outputs</th><td>${escapeXml(value)}</td></tr>\n`;
}

function codeSection(codes: CodeMap): string {
  const [a, b] = codes.explained.map((v) => `${Math.round(100 * v)} %`);
  return `<h2>Codes</h2>
<p>Each test sample's code S (the output layer's input, ${codes.mean.length} numbers) projected onto the two directions along which the codes vary most: across, the first principal component (${a} of the variance); up, the second (${b}). Digits the network finds alike sit together.</p>
${codeMapChart(codes)}`;
}

function keyValueTable(rows: Record<string, string | number | boolean>): string {
  const body = Object.entries(rows).map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${escapeXml(String(v))}</td></tr>`);
  return `<table>${body.join('')}</table>`;
}

function shapeTable(rows: SummaryRow[]): string {
  const body = rows.map((r) => `<tr><td>${escapeXml(r.name)}</td><td>${r.shape[0]}×${r.shape[1]}</td><td>${escapeXml(r.description)}</td></tr>`);
  return `<table><tr><th>tensor</th><th>shape</th><th>what it is</th></tr>${body.join('')}</table>`;
}
