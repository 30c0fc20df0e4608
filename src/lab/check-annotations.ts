import { countLine } from '../check/format.js';
import type { CheckReport } from '../check/report.js';
import { figure } from '../docs/figures.js';

/** What the lab shows beside one line of a derivation. */
export interface LineAnnotation {
  /** `right` ✓, `wrong` ✗, `error`: the line that could not be checked; `free`: a name of the learner's own; `none`: nothing to say. */
  kind: 'right' | 'wrong' | 'error' | 'free' | 'none';
  text: string;
}

/**
 * One annotation a line of the text (`lineCount` lines): ✓ or ✗ with the diagnosis beside each
 * line a report judged (a required gradient's line carries its full diagnosis), the shape of a
 * name of the learner's own, and the error on the line that stopped the check.
 */
export function annotateLines(report: CheckReport, lineCount: number): LineAnnotation[] {
  const annotations: LineAnnotation[] = Array.from({ length: lineCount }, () => ({ kind: 'none', text: '' }));
  const place = (line: number, annotation: LineAnnotation): void => {
    if (line >= 1 && line <= lineCount) annotations[line - 1] = annotation;
  };
  const diagnoses = new Map(report.gradients.map((g) => [g.line, g.diagnosis]));
  for (const l of report.lines) {
    if (l.ok === null) place(l.line, { kind: 'free', text: l.note });
    else if (l.ok) place(l.line, { kind: 'right', text: `✓ right (relative error ${figure(l.relativeError ?? 0)})` });
    else place(l.line, { kind: 'wrong', text: `✗ ${l.relativeError === null ? '' : `relative error ${figure(l.relativeError)}: `}${diagnoses.get(l.line) ?? l.note}` });
  }
  const { error } = report;
  if (error?.line != null) place(error.line, { kind: 'error', text: `✗ ${error.column === null ? '' : `column ${error.column}: `}${error.message}` });
  return annotations;
}

/** One sentence under the editor: the count of right gradients, or why the derivation could not be checked. */
export function reportSummary(report: CheckReport): string {
  const { error } = report;
  if (error === null) return countLine(report);
  if (error.line === null) return `Not checked: ${error.message}.`;
  return `Not checked: line ${error.line}${error.column === null ? '' : `, column ${error.column}`}: ${error.message}.`;
}
