import type { MathNode } from 'mathjs';
import { isLanguageFunction, isLanguageName, math, parseExpression } from './language.js';
import { boundNames, type NamesConfig } from './names.js';
import { sizeProblem } from './protocol.js';
import { fail } from './report.js';

/** One assignment of a derivation. */
export interface Statement {
  /** 1-based. */
  line: number;
  /** The name it assigns (a value, or a function `f(x) = …`). */
  name: string;
  node: MathNode;
  /** The names its right side reads, a function's own parameters aside. */
  reads: string[];
}

/**
 * Reads a derivation: one assignment `name = expression` a line, `#` comments, blank lines.
 * Throws a `DerivationError` with the line and column of the first problem: a syntax error,
 * a line that is not an assignment, a name that shadows a bound name or a function, a name
 * read before it is defined or never defined.
 */
export function parseDerivation(text: string, config: NamesConfig): Statement[] {
  const tooLarge = sizeProblem(new TextEncoder().encode(text).length);
  if (tooLarge) fail(null, null, tooLarge);
  const bound = new Map(boundNames(config).map((n) => [n.name, n.source]));
  const defined = new Map<string, number>();
  const statements: Statement[] = [];
  text.split(/\r?\n/).forEach((source, index) => {
    const line = index + 1;
    const node = parseLine(source, line);
    if (node === null) return;
    const statement = assignment(node, source, line);
    checkTarget(statement.name, source, line, bound);
    for (const name of statement.reads) {
      if (!defined.has(name) && !bound.has(name) && !isLanguageName(name) && name !== 'end') unknownName(name, source, line, config, text);
    }
    defined.set(statement.name, line);
    statements.push(statement);
  });
  return statements;
}

/** The line's expression, or null for a blank or comment line. */
function parseLine(source: string, line: number): MathNode | null {
  if (source.trim() === '' || source.trim().startsWith('#')) return null;
  let node: MathNode;
  try {
    node = parseExpression(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const char = /\(char (\d+)\)/.exec(message)?.[1];
    // math.js counts characters from 1 within the text it parsed: here, the line.
    fail(line, char === undefined ? null : Number(char), `syntax error: ${message.replace(/\s*\(char \d+\)/, '')}`);
  }
  return math.isConstantNode(node) && node.value === undefined ? null : node;
}

function assignment(node: MathNode, source: string, line: number): Statement {
  const start = source.search(/\S/) + 1;
  if (math.isAssignmentNode(node) && math.isSymbolNode(node.object) && node.index === null) {
    return { line, name: node.object.name, node, reads: readsOf(node.value, []) };
  }
  if (math.isFunctionAssignmentNode(node)) return { line, name: node.name, node, reads: readsOf(node.expr, [...node.params, node.name]) };
  if (math.isBlockNode(node)) fail(line, start, 'one assignment a line, expected `name = expression` without `;`');
  fail(line, start, 'expected an assignment `name = expression`');
}

/** The names an expression reads (function names included), those in `local` (a function's parameters, and itself) aside. */
function readsOf(node: MathNode, local: string[]): string[] {
  const names = node.filter((n) => math.isSymbolNode(n)).flatMap((n) => (math.isSymbolNode(n) ? [n.name] : []));
  return [...new Set(names)].filter((name) => !local.includes(name));
}

function checkTarget(name: string, source: string, line: number, bound: Map<string, string>): void {
  const column = columnOf(name, source);
  const tensor = bound.get(name);
  if (tensor !== undefined) fail(line, column, `\`${name}\` is bound (${tensor === 'X' ? 'the batch' : `the network's ${tensor}`}): give your result another name`);
  if (isLanguageFunction(name)) fail(line, column, `\`${name}\` is a function of the language: give your result another name`);
}

function unknownName(name: string, source: string, line: number, config: NamesConfig, text: string): never {
  const later = text.split(/\r?\n/).findIndex((other, i) => i >= line && new RegExp(`^\\s*${escaped(name)}\\s*(\\(|=(?!=))`).test(other));
  const cycle = /^[AZ]_rec(\d+)$|^d_rec(\d+)$/.exec(name);
  const hint =
    later >= 0
      ? ` (it is defined on line ${later + 1}, after this one)`
      : cycle && Number(cycle[1] ?? cycle[2]) > config.cycles
        ? ` (the network has T = ${config.cycles} cycle${config.cycles === 1 ? '' : 's'})`
        : name === 'b_link'
          ? ' (the network has no link bias: --link-bias gives it one)'
          : '';
  fail(line, columnOf(name, source), `unknown name \`${name}\`${hint}`);
}

/** 1-based column of the first whole-word `name` on the line (1 when it is not found). */
function columnOf(name: string, source: string): number {
  const match = new RegExp(`(?<![\\w.$])${escaped(name)}(?![\\w$])`).exec(source);
  return match ? match.index + 1 : 1;
}

function escaped(name: string): string {
  return name.replace(/[$]/g, '\\$&');
}
