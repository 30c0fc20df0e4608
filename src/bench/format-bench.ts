import { UNSTEADY_SPREAD } from './measure.js';
import { FLOPS_PER_SAMPLE, type BenchReport, type BenchResult } from './run-bench.js';

const MODES = [
  { mode: 'train', title: 'Training (forward + backward + SGD update), samples/s' },
  { mode: 'infer', title: 'Inference (forward), samples/s' },
] as const;

/** The mark of a cell whose rounds differ by more than 2×, and of every ratio that uses one. */
const UNSTEADY_MARK = '?';

/**
 * The report as text: one table of samples/s per mode (a column per implementation), then
 * reclink's faster WebAssembly row against every peer: GFLOP/s, the fraction of the
 * kernel's peak measured in the same run, and the ratio to each peer. Unsteady cells (and
 * the ratios that use them) are marked `?`, with a note under the tables.
 */
export function formatBench(report: BenchReport): string {
  const { environment: env, peak } = report;
  const impls = [...new Set(report.results.map((r) => r.impl))];
  const peers = impls.filter((i) => !i.startsWith('reclink-'));
  const versions = Object.entries(env.versions).map(([name, v]) => `${name} ${v}`).join(', ');
  const lines = [
    `reclink bench, ${env.date}: Node ${env.node}${versions ? `, ${versions}` : ''}; ${env.cpu}, ${env.cores} cores`,
    `Matrix-product peak of reclink's kernel in this run: ${peak.map((p) => `${p.gflops.toFixed(1)} GFLOP/s with ${p.threads} thread${p.threads > 1 ? 's' : ''} (${p.kernels})`).join(', ')}`,
  ];
  for (const { mode, title } of MODES) {
    const batches = [...new Set(report.results.filter((r) => r.mode === mode).map((r) => r.batch))];
    lines.push('', title);
    lines.push(...table(['batch', ...impls], batches.map((batch) => [String(batch), ...impls.map((impl) => rate(find(report.results, impl, batch, mode)))])));
    lines.push('', `reclink (its faster wasm row) against the peers, ${mode}`);
    const header = ['batch', 'reclink', 'samples/s', 'GFLOP/s', '% of peak', ...peers.map((p) => `× ${p}`)];
    lines.push(...table(header, batches.map((batch) => comparison(report, batch, mode, peers))));
  }
  const unsteady = report.results.filter((r) => r.unsteady);
  if (unsteady.length > 0) lines.push('', ...unsteadyNotes(unsteady));
  if (report.notes.length > 0) lines.push('', ...report.notes);
  return lines.join('\n');
}

function unsteadyNotes(cells: BenchResult[]): string[] {
  const range = (r: BenchResult): string => `${r.impl} ${r.mode} at batch ${r.batch}: ${count(Math.min(...r.rounds))} to ${count(Math.max(...r.rounds))} samples/s`;
  return [
    `${UNSTEADY_MARK} marks a cell whose rounds differ by more than ${UNSTEADY_SPREAD}× (the machine was busy while it ran) and the ratios that use it; measure again before reading them:`,
    ...cells.map((r) => `  ${range(r)}`),
  ];
}

function comparison(report: BenchReport, batch: number, mode: 'train' | 'infer', peers: string[]): string[] {
  const best = report.results
    .filter((r) => r.mode === mode && r.batch === batch && r.impl.startsWith('reclink-wasm'))
    .reduce((a, b) => (b.samplesPerSec > a.samplesPerSec ? b : a));
  const threads = Number(/(\d+)t$/.exec(best.impl)?.[1] ?? 1);
  const kernels = best.impl.startsWith('reclink-wasm-relaxed') ? 'relaxed' : 'plain';
  const peak = report.peak.find((p) => p.threads === threads && p.kernels === kernels)?.gflops ?? NaN;
  const gflops = (best.samplesPerSec * FLOPS_PER_SAMPLE[mode]) / 1e9;
  const ratios = peers.map((p) => {
    const peer = find(report.results, p, batch, mode);
    return peer ? `${(best.samplesPerSec / peer.samplesPerSec).toFixed(1)}×${mark(best.unsteady || peer.unsteady)}` : '–';
  });
  return [String(batch), best.impl, rate(best), gflops.toFixed(1), `${Math.round((100 * gflops) / peak)}%`, ...ratios];
}

function find(results: BenchResult[], impl: string, batch: number, mode: string): BenchResult | undefined {
  return results.find((r) => r.impl === impl && r.batch === batch && r.mode === mode);
}

function rate(result: BenchResult | undefined): string {
  return result ? `${count(result.samplesPerSec)}${mark(result.unsteady)}` : '–';
}

function count(samplesPerSec: number): string {
  return Math.round(samplesPerSec).toLocaleString('en-US');
}

function mark(unsteady: boolean): string {
  return unsteady ? UNSTEADY_MARK : '';
}

/** Right-aligned columns under a header. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  return [line(header), ...rows.map(line)];
}
