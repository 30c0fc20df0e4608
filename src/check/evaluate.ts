import type { Matrix } from '../linalg/matrix.js';
import { toMathMatrix, valueOf, type Value } from './language.js';
import type { Statement } from './parse.js';
import { fail } from './report.js';

/** A statement and the value it assigned. */
export interface Evaluated {
  statement: Statement;
  value: Value;
}

/** Longest message of math.js's that a failure repeats (some print a whole matrix). */
const MESSAGE_CHARACTERS = 200;

/**
 * Evaluates the statements in order, in float64, into one scope that starts with the bound
 * names. An error of math.js (shapes that do not fit, a function given the wrong arguments)
 * becomes a `DerivationError` on its line.
 */
export function evaluateDerivation(statements: readonly Statement[], bound: ReadonlyMap<string, Matrix>): Evaluated[] {
  const scope = new Map<string, unknown>([...bound].map(([name, m]) => [name, toMathMatrix(m)]));
  return statements.map((statement) => {
    try {
      return { statement, value: valueOf(statement.node.compile().evaluate(scope)) };
    } catch (error) {
      fail(statement.line, null, shortMessage(error));
    }
  });
}

function shortMessage(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).split('\n')[0].replace(/;? *its value is:?$/, '');
  return text.length > MESSAGE_CHARACTERS ? `${text.slice(0, MESSAGE_CHARACTERS)}…` : text;
}
