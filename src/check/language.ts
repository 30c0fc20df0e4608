import { all, create, type MathJsInstance } from 'mathjs';
import type { Matrix } from '../linalg/matrix.js';
import { BOUND_FUNCTIONS } from './names.js';
import { ReclinkError } from '../errors.js';

/**
 * The formula language: math.js with f and g's functions added (`relu`, `drelu`, `sigmoid`,
 * `dsigmoid`, element-wise on numbers and matrices) and, as math.js's security notes advise
 * for untrusted input, the functions that change the instance or parse text disabled.
 */
export const math: MathJsInstance = create(all);

/** The parser, kept before `parse` is disabled inside expressions. */
export const parseExpression = math.parse;

/** Functions an expression may not call: they would change the language or parse text of their own. */
const DISABLED = ['import', 'createUnit', 'reviver', 'evaluate', 'parse', 'compile', 'simplify', 'simplifyConstant', 'simplifyCore', 'rationalize', 'derivative', 'resolve', 'config'];

const sigmoid = (a: number): number => 1 / (1 + Math.exp(-a));

/** The language's own functions; ReLU'(0) = 0 as in the model. */
const FUNCTIONS: Record<(typeof BOUND_FUNCTIONS)[number], (a: number) => number> = {
  relu: (a) => (a > 0 ? a : 0),
  drelu: (a) => (a > 0 ? 1 : 0),
  sigmoid,
  dsigmoid: (a) => sigmoid(a) * (1 - sigmoid(a)),
};

math.import(
  {
    ...Object.fromEntries(DISABLED.map((name) => [name, disabled(name)])),
    ...Object.fromEntries(Object.entries(FUNCTIONS).map(([name, f]) => [name, elementwise(name, f)])),
  },
  { override: true },
);

function disabled(name: string): () => never {
  return () => {
    throw new ReclinkError(`${name} is not available in a derivation`);
  };
}

/** `f` applied to a number, or to every entry of a matrix. */
function elementwise(name: string, f: (a: number) => number): (value: unknown) => unknown {
  const entry = (v: unknown): number => {
    if (typeof v !== 'number') throw new TypeError(`${name} expects numbers, got ${math.typeOf(v)}`);
    return f(v);
  };
  return (value) => {
    if (math.isCollection(value)) return math.map(value, entry);
    return entry(value);
  };
}

/** Whether `name` is a function of the language (math.js's or one of ours). */
export function isLanguageFunction(name: string): boolean {
  return Object.hasOwn(math, name) && typeof (math as unknown as Record<string, unknown>)[name] === 'function';
}

/** Whether `name` is something of math.js an expression can read: a function or a constant (`pi`, `e`). */
export function isLanguageName(name: string): boolean {
  return Object.hasOwn(math, name);
}

/** A matrix as math.js holds it: a dense matrix of rows × cols (a bias stays 1 × n). */
export function toMathMatrix(m: Matrix): unknown {
  const rows = Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return math.matrix(rows);
}

/** A value an expression gave, as the checker sees it. */
export type Value =
  /** A matrix or vector of numbers: `shape` is [rows, cols] or [n], `data` row-major. */
  | { kind: 'tensor'; shape: number[]; data: Float64Array }
  | { kind: 'number'; value: number }
  /** Anything else, described in words: `a function`, `true/false values`, `a complex number`. */
  | { kind: 'other'; description: string };

/** What a math.js value is, for the checker: a tensor of numbers, a number, or something else. */
export function valueOf(value: unknown): Value {
  if (typeof value === 'number') return { kind: 'number', value };
  if (!math.isCollection(value)) return { kind: 'other', description: describe(value) };
  const matrix = math.isMatrix(value) ? value : math.matrix(value);
  const shape = matrix.size();
  const entries = math.flatten(matrix.toArray()) as unknown[];
  const strange = entries.find((v) => typeof v !== 'number');
  if (strange !== undefined) return { kind: 'other', description: `a matrix of ${describe(strange)} entries` };
  if (shape.length > 2) return { kind: 'other', description: `an array of ${shape.length} dimensions (${shape.join(' × ')})` };
  return { kind: 'tensor', shape, data: Float64Array.from(entries as number[]) };
}

function describe(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'boolean') return 'true/false';
  if (value === undefined || value === null) return 'nothing';
  return `a ${math.typeOf(value)}`;
}
