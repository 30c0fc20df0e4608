import { figure } from '../docs/figures.js';
import type { CheckReport } from './report.js';

/**
 * A report as text, one line each: every line of the derivation (✓ right, ✗ wrong, blank for
 * a name of the learner's own) with its note, then every required gradient with its relative
 * error and diagnosis, then a count. A report with an error has none of these.
 */
export function formatReport(report: CheckReport): string[] {
  const nameWidth = Math.max(0, ...report.lines.map((l) => l.name.length));
  const lineWidth = String(Math.max(0, ...report.lines.map((l) => l.line))).length;
  const mark = (ok: boolean | null): string => (ok === null ? ' ' : ok ? '✓' : '✗');
  const verdict = (ok: boolean | null, error: number | null, words: string): string => {
    const figures = ok === null || error === null ? '' : `relative error ${figure(error)}`;
    return `${mark(ok)} ${[figures, words].filter(Boolean).join(': ')}`;
  };
  const lines = report.lines.map((l) => `line ${String(l.line).padStart(lineWidth)}  ${l.name.padEnd(nameWidth)}  ${verdict(l.ok, l.relativeError, l.note)}`);
  const gradients = report.gradients.map((g) => `${g.name.padEnd(nameWidth)}  ${verdict(g.ok, g.relativeError, g.diagnosis)}`);
  return [...lines, '', ...gradients, '', countLine(report)];
}

/** `All 7 gradients are right.`, or `5 of 7 gradients are right.` */
export function countLine(report: CheckReport): string {
  const right = report.gradients.filter((g) => g.ok).length;
  return report.ok ? `All ${right} gradients are right.` : `${right} of ${report.gradients.length} gradients are right.`;
}
