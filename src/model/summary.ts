import { linkWidth, type RecLinkConfig } from './config.js';
import { parameterSpecs } from './parameters.js';

/** One row of the summary: a tensor, its shape and what it is. */
export interface SummaryRow {
  name: string;
  /** rows × columns. */
  shape: [number, number];
  description: string;
}

/** The exercise's 3.1.1 table for a batch of N: every parameter and activation with its shape. */
export interface ModelSummary {
  batch: number;
  parameters: SummaryRow[];
  activations: SummaryRow[];
  /** Number of trainable scalars (45,375 with the defaults). */
  parameterCount: number;
}

/** The shapes of every parameter and activation of a network with `config`, for a batch of `batch`. */
export function summarize(config: RecLinkConfig, batch: number): ModelSummary {
  const { inputSize: D, hiddenSize: H, cycles: T, linkStride: s } = config;
  const R = linkWidth(config);
  const row = (name: string, rows: number, cols: number, description: string): SummaryRow => ({ name, shape: [rows, cols], description });
  const parameters = parameterSpecs(config).map((p) => {
    const description = p.kind === 'weight' && p.layer.note ? `${p.symbol}, ${p.layer.note}` : p.symbol;
    return p.kind === 'bias' ? row(p.name, p.cols, 1, description) : row(p.name, p.rows, p.cols, description);
  });
  const cycleRows = Array.from({ length: T }, (_, i) => [
    row(`A_rec.${i + 1}`, batch, H, `(Z_in + Z_rec(${i})) W_recᵀ + b_rec`),
    row(`Z_rec.${i + 1}`, batch, H, `f(A_rec(${i + 1}))`),
  ]).flat();
  const activations = [
    row('X', batch, D, 'input batch, one sample a row'),
    row('X_red', batch, R, `X K: inputs 0, ${s}, ${2 * s}, ...`),
    row('A_in', batch, H, 'X W_inᵀ + b_in'),
    row('Z_in', batch, H, 'f(A_in)'),
    row('A_link', batch, H, config.linkBias ? 'X_red W_linkᵀ + b_link' : 'X_red W_linkᵀ'),
    row('Z_link', batch, H, 'f(A_link)'),
    ...cycleRows,
    row('S', batch, H, `Z_rec(${T}) + Z_link`),
    row('A_out', batch, D, 'S W_outᵀ + b_out'),
    row('Y', batch, D, `${config.outputActivation}(A_out), the reconstruction`),
  ];
  const parameterCount = parameters.reduce((sum, p) => sum + p.shape[0] * p.shape[1], 0);
  return { batch, parameters, activations, parameterCount };
}

/** The summary as an aligned text table. */
export function formatSummary(summary: ModelSummary): string {
  const lines = (rows: SummaryRow[]): string[] => {
    const nameWidth = Math.max(...rows.map((r) => r.name.length));
    const shapeWidth = Math.max(...rows.map((r) => shapeText(r).length));
    return rows.map((r) => `  ${r.name.padEnd(nameWidth)}  ${shapeText(r).padStart(shapeWidth)}  ${r.description}`);
  };
  return [
    'Parameters',
    ...lines(summary.parameters),
    `  total: ${summary.parameterCount.toLocaleString('en-US')} parameters`,
    '',
    `Activations for a batch of N = ${summary.batch}`,
    ...lines(summary.activations),
  ].join('\n');
}

function shapeText(row: SummaryRow): string {
  return `${row.shape[0]}x${row.shape[1]}`;
}
