import type { Matrix } from '../linalg/matrix.js';
import { describeExpected, describeValue, entriesShaped, finiteOrNull, relativeError } from './compare.js';
import { Diagnoser } from './diagnose.js';
import type { Evaluated } from './evaluate.js';
import { requiredGradients } from './names.js';
import { RIGHT_BELOW, type CheckFailure, type CheckReport, type GradientVerdict, type LineVerdict } from './report.js';
import type { Truth } from './truth.js';

/**
 * Judges an evaluated derivation against the truth: every line that assigns a known name
 * (an intermediate of the trace or a required gradient), then every required gradient, with
 * a diagnosis and, for a wrong one, the first line it depends on that departs from the truth.
 * A required result missing, or not a matrix or vector, makes it a report with an error (and
 * the lines judged).
 */
export function judge(evaluated: readonly Evaluated[], truth: Truth): CheckReport {
  const diagnoser = new Diagnoser(truth);
  const lines = evaluated.map((e) => lineVerdict(e, truth, diagnoser));
  const lastLine = new Map(evaluated.map((e, i) => [e.statement.name, i]));
  const error = unreadableResult(evaluated, lastLine, truth);
  if (error) return { ok: false, gradients: [], lines, error };
  const depends = dependencies(evaluated);
  const gradients = requiredGradients(truth.config).map(({ name }): GradientVerdict => {
    const index = lastLine.get(name) as number;
    const verdict = lines[index];
    const ok = verdict.ok === true;
    const diagnosis = ok ? '' : `${verdict.note}${departure(index, depends, lines)}`;
    return { name, line: verdict.line, ok, relativeError: verdict.relativeError, diagnosis };
  });
  return { ok: gradients.every((g) => g.ok), gradients, lines, error: null };
}

/** The first required result that is missing, or is neither a matrix nor a vector (nor a number standing for 1 × 1). */
function unreadableResult(evaluated: readonly Evaluated[], lastLine: Map<string, number>, truth: Truth): CheckFailure | null {
  const required = requiredGradients(truth.config).map((g) => g.name);
  const missing = required.filter((name) => !lastLine.has(name));
  if (missing.length > 0) {
    return { line: null, column: null, message: `missing result${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: a derivation must define ${required.join(', ')}` };
  }
  for (const name of required) {
    const { statement, value } = evaluated[lastLine.get(name) as number];
    const expected = truth.expected.get(name) as Matrix;
    if (value.kind !== 'tensor' && entriesShaped(value, expected) === null) {
      return { line: statement.line, column: 1, message: `\`${name}\` is ${describeValue(value)}, expected a matrix ${describeExpected(expected)}` };
    }
  }
  return null;
}

function lineVerdict({ statement, value }: Evaluated, truth: Truth, diagnoser: Diagnoser): LineVerdict {
  const { line, name } = statement;
  const expected = truth.expected.get(name);
  if (!expected) return { line, name, ok: null, relativeError: null, note: describeValue(value) };
  const data = entriesShaped(value, expected);
  const error = data ? relativeError(data, expected.data) : NaN;
  const ok = error <= RIGHT_BELOW;
  const note = ok ? '' : diagnoser.diagnose(name, value);
  return { line, name, ok, relativeError: finiteOrNull(error), note };
}

/** For each statement, the earlier statements whose values it reads, directly or not (indices, in order). */
function dependencies(evaluated: readonly Evaluated[]): number[][] {
  const latest = new Map<string, number>();
  const result: number[][] = [];
  evaluated.forEach(({ statement }, i) => {
    const direct = statement.reads.flatMap((name) => (latest.has(name) ? [latest.get(name) as number] : []));
    result.push([...new Set([...direct, ...direct.flatMap((d) => result[d])])].sort((a, b) => a - b));
    latest.set(statement.name, i);
  });
  return result;
}

/** Where a wrong result's mistake starts: the first known line it reads that departs from the truth. */
function departure(index: number, depends: number[][], lines: readonly LineVerdict[]): string {
  const known = depends[index].filter((d) => lines[d].ok !== null);
  const first = known.find((d) => lines[d].ok === false);
  if (first === undefined) return known.length > 0 ? `. Every known intermediate it reads is right: the mistake is on line ${lines[index].line}` : '';
  const { line, name, note } = lines[first];
  return lines[index].note.includes(note) ? `. It starts on line ${line} (${name})` : `. The first wrong line it reads: line ${line} (${name}: ${note})`;
}
