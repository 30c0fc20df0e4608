/**
 * A Python literal as NPY headers write them: a dict with string keys whose values are
 * strings, integers, True/False/None, tuples and lists (both become arrays), or dicts.
 */
export type PythonValue = string | number | boolean | null | PythonValue[] | PythonDict;

/** A Python dict literal's entries, in order. */
export type PythonDict = Map<string, PythonValue>;

const MAX_DEPTH = 32;
const NAMES: ReadonlyMap<string, PythonValue> = new Map([['True', true], ['False', false], ['None', null]]);

/**
 * Parses `text` as a Python dict literal (the subset `ast.literal_eval` gives NPY headers);
 * null when it is not one. Integers beyond 2^53 come out inexact: callers check ranges.
 */
export function parsePythonDict(text: string): PythonDict | null {
  const parser = new LiteralParser(text);
  try {
    const value = parser.value(0);
    parser.end();
    return value instanceof Map ? value : null;
  } catch (error) {
    if (error instanceof LiteralSyntaxError) return null;
    throw error;
  }
}

class LiteralSyntaxError extends Error {}

class LiteralParser {
  private position = 0;

  constructor(private readonly text: string) {}

  value(depth: number): PythonValue {
    if (depth > MAX_DEPTH) throw new LiteralSyntaxError();
    this.skipSpace();
    const c = this.text[this.position];
    if (c === '{') return this.dict(depth);
    if (c === '(') return this.sequence(')', depth);
    if (c === '[') return this.sequence(']', depth);
    if (c === "'" || c === '"') return this.string();
    const match = /^(-?\d+|[A-Za-z_]\w*)/.exec(this.text.slice(this.position, this.position + 64));
    if (!match) throw new LiteralSyntaxError();
    this.position += match[0].length;
    if (/^-?\d/.test(match[0])) return Number(match[0]);
    const name = NAMES.get(match[0]);
    if (name === undefined) throw new LiteralSyntaxError();
    return name;
  }

  end(): void {
    this.skipSpace();
    if (this.position !== this.text.length) throw new LiteralSyntaxError();
  }

  private dict(depth: number): PythonDict {
    const entries: PythonDict = new Map();
    this.items('}', () => {
      const key = this.value(depth + 1);
      if (typeof key !== 'string') throw new LiteralSyntaxError();
      this.expect(':');
      entries.set(key, this.value(depth + 1));
    });
    return entries;
  }

  /** A tuple or a list; `(x)` without a comma is x itself, as in Python. */
  private sequence(close: ')' | ']', depth: number): PythonValue {
    const values: PythonValue[] = [];
    const commas = this.items(close, () => values.push(this.value(depth + 1)));
    return close === ')' && values.length === 1 && commas === 0 ? values[0] : values;
  }

  /**
   * Comma-separated items after an opening bracket, up to `close` (a trailing comma is
   * allowed); returns the number of commas.
   */
  private items(close: string, item: () => void): number {
    this.position++; // the opening bracket
    let commas = 0;
    for (;;) {
      this.skipSpace();
      if (this.text[this.position] === close) break;
      item();
      this.skipSpace();
      if (this.text[this.position] === ',') {
        this.position++;
        commas++;
      } else if (this.text[this.position] !== close) {
        throw new LiteralSyntaxError();
      }
    }
    this.position++;
    return commas;
  }

  /** A quoted string without escapes (NPY headers have none). */
  private string(): string {
    const quote = this.text[this.position];
    const end = this.text.indexOf(quote, this.position + 1);
    if (end < 0) throw new LiteralSyntaxError();
    const content = this.text.slice(this.position + 1, end);
    if (content.includes('\\') || content.includes('\n')) throw new LiteralSyntaxError();
    this.position = end + 1;
    return content;
  }

  private expect(c: string): void {
    this.skipSpace();
    if (this.text[this.position] !== c) throw new LiteralSyntaxError();
    this.position++;
  }

  private skipSpace(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position])) this.position++;
  }
}
