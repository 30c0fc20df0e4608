import { describe, expect, it } from 'vitest';
import { checkDerivation } from '../src/check/check.js';
import { MAX_DERIVATION_BYTES } from '../src/check/protocol.js';
import { checkInThread } from '../src/check/run.js';
import type { CheckFailure, CheckReport } from '../src/check/report.js';
import { Random } from '../src/random.js';
import { checked, replaceLine, RIGHT_T2, setting } from './check-helpers.js';

const relu = setting(2);

/** The failure of a derivation that cannot be checked. */
function failure(text: string, on = relu): CheckFailure {
  const report = checkDerivation(text, on);
  expect(report.gradients).toEqual([]);
  expect(report.error).not.toBeNull();
  return report.error as CheckFailure;
}

/** RIGHT_T2 with `line` (1-based) replaced. */
function withLine(line: number, text: string): string {
  const lines = RIGHT_T2.split('\n');
  lines[line - 1] = text;
  return lines.join('\n');
}

describe('reclink check: a file that cannot be checked says where and why', () => {
  it('a syntax error: its line and column', () => {
    expect(failure(withLine(3, 'd_out = G_Y .* (drelu(A_out)'))).toEqual({ line: 3, column: 29, message: 'syntax error: Parenthesis ) expected' });
    expect(failure(withLine(4, "dW_out = d_out' * * S"))).toMatchObject({ line: 4, column: 19, message: expect.stringMatching(/^syntax error: Value expected/) });
    expect(failure(withLine(5, 'db_out = sum(d_out, 1))'))).toMatchObject({ line: 5, column: 23 });
  });

  it('a line that is not one assignment', () => {
    expect(failure(withLine(4, "d_out' * S"))).toEqual({ line: 4, column: 1, message: 'expected an assignment `name = expression`' });
    expect(failure(withLine(4, "  a = 1; dW_out = d_out' * S"))).toEqual({ line: 4, column: 3, message: 'one assignment a line, expected `name = expression` without `;`' });
    expect(failure(withLine(4, 'dW_out[1, 1] = 3')).message).toBe('expected an assignment `name = expression`');
  });

  it('an unknown name: where it is, and why when that can be told', () => {
    expect(failure(withLine(9, 'd_rec2 = G_S .* drelu(A_rec3)'))).toEqual({ line: 9, column: 23, message: 'unknown name `A_rec3` (the network has T = 2 cycles)' });
    expect(failure(withLine(2, 'G_Y = 2 * (Y - X) + 0 * d_out'))).toEqual({ line: 2, column: 25, message: 'unknown name `d_out` (it is defined on line 3, after this one)' });
    expect(failure(withLine(8, "dW_link = d_link' * X_red + 0 * b_link")).message).toBe('unknown name `b_link` (the network has no link bias: --link-bias gives it one)');
    expect(failure(withLine(8, 'dW_link = foo(d_link)')).message).toBe('unknown name `foo`');
    expect(failure(withLine(8, 'dW_link = 5 cm')).message).toBe('unknown name `cm`');
  });

  it('a name that shadows a bound name or a function', () => {
    expect(failure(withLine(2, 'W_in = 2 * (Y - X)'))).toEqual({ line: 2, column: 1, message: "`W_in` is bound (the network's input.weight): give your result another name" });
    expect(failure(withLine(2, 'X = 2 * Y')).message).toBe('`X` is bound (the batch): give your result another name');
    expect(failure(withLine(2, '  drelu = 2 * (Y - X)'))).toEqual({ line: 2, column: 3, message: '`drelu` is a function of the language: give your result another name' });
    expect(failure(withLine(2, 'sum(a) = a')).message).toBe('`sum` is a function of the language: give your result another name');
  });

  it("math.js's functions that would change the language or parse text are disabled", () => {
    for (const call of ['evaluate("1 + 1")', 'parse("1")', 'import({})', 'createUnit("apple")', 'simplify("x + x")', 'derivative("x^2", "x")', 'compile("1")', 'config({})']) {
      const name = call.slice(0, call.indexOf('('));
      expect(failure(withLine(2, `G_Y = ${call}`))).toEqual({ line: 2, column: null, message: `${name} is not available in a derivation` });
    }
  });

  it('an error while evaluating: its line, in one line of math.js words', () => {
    expect(failure(withLine(4, 'dW_out = d_out * S'))).toEqual({ line: 4, column: null, message: 'Dimension mismatch in multiplication. Matrix A columns (225) must match Matrix B rows (4)' });
    expect(failure(withLine(4, 'dW_out = S(1)')).message).toBe("'S' is not a function");
    expect(failure(withLine(4, 'f(x) = f(x)\ndW_out = f(1)')).message).toMatch(/^Maximum call stack size exceeded/);
  });

  it('a required result missing, or not a matrix or vector', () => {
    expect(failure(replaceLine(RIGHT_T2, 'dW_in', 'd_in').replace('dW_in = d_in', 'dW_inn = d_in'))).toEqual({
      line: null,
      column: null,
      message: 'missing result dW_in: a derivation must define dW_in, db_in, dW_link, dW_rec, db_rec, dW_out, db_out',
    });
    expect(failure(replaceLine(RIGHT_T2, 'dW_in', 'sum(d_in)'))).toEqual({ line: 15, column: 1, message: '`dW_in` is a number, expected a matrix 75 × 225' });
    expect(failure(replaceLine(RIGHT_T2, 'db_in', 'sum(d_in, 1) > 0')).message).toBe('`db_in` is a matrix of true/false entries, expected a matrix 1 × 75 (or a vector of 75)');
    expect(failure(replaceLine(RIGHT_T2, 'dW_in', '"dW"')).message).toBe('`dW_in` is a string, expected a matrix 75 × 225');
    expect(failure(replaceLine(RIGHT_T2, 'dW_in', 'ones(2, 2, 2)')).message).toBe('`dW_in` is an array of 3 dimensions (2 × 2 × 2), expected a matrix 75 × 225');
  });

  it('a file over 64 KB', () => {
    const padding = (bytes: number): string => `${'#'.repeat(bytes - RIGHT_T2.length - 1)}\n`;
    expect(failure(padding(MAX_DERIVATION_BYTES + 1) + RIGHT_T2)).toEqual({ line: null, column: null, message: 'the derivation is 65,537 bytes, expected at most 65,536 (64 KB)' });
    expect(checked(padding(MAX_DERIVATION_BYTES) + RIGHT_T2, relu).ok).toBe(true);
  });
});

describe('reclink check: a result of the wrong shape, or not finite, is wrong (not unreadable)', () => {
  it('names its shape and the one expected', () => {
    const report = checked(replaceLine(RIGHT_T2, 'dW_in', 'ones(3, 3)'), relu);
    expect(report.gradients.find((g) => g.name === 'dW_in')).toMatchObject({ ok: false, relativeError: null, diagnosis: 'it is 3 × 3, expected 75 × 225' });
    const vector = checked(replaceLine(RIGHT_T2, 'db_in', 'sum(d_in, 1)\'').replace("sum(d_in, 1)'", "transpose([sum(d_in, 1)])"), relu);
    expect(vector.gradients.find((g) => g.name === 'db_in')?.diagnosis).toMatch(/^transposed: it is 75 × 1, expected 1 × 75 \(or a vector of 75\)/);
  });

  it('NaN or infinite entries', () => {
    const report = checked(replaceLine(RIGHT_T2, 'dW_in', "d_in' * X * NaN"), relu);
    expect(report.gradients.find((g) => g.name === 'dW_in')).toMatchObject({ ok: false, relativeError: null, diagnosis: expect.stringMatching(/^it has entries that are not finite/) });
  });
});

describe('reclink check in a worker thread: stopped when it takes too long or too much memory', () => {
  it('gives the same report as in this thread', async () => {
    const request = { text: RIGHT_T2, setting: relu };
    expect(await checkInThread(request)).toEqual(checkDerivation(request.text, request.setting));
  });

  it('stops an evaluation over the time limit', async () => {
    // About a minute of math.js products, stopped after 0.2 s: the limit is what ends it.
    const report = await checkInThread({ text: 'a = ones(1500, 1500) * ones(1500, 1500)\n', setting: relu }, { timeLimitMs: 200 });
    expect(report.error).toEqual({ line: null, column: null, message: 'the evaluation took longer than 0.2 s and was stopped: a smaller batch, or fewer or smaller products, check faster' });
  });

  it('stops an evaluation that fills its heap', async () => {
    const report = await checkInThread({ text: 'a = ones(30000, 30000)\n', setting: relu }, { timeLimitMs: 120_000 });
    expect(report.error?.message).toBe('the evaluation needed more than 512 MB and was stopped');
  });
});

describe('reclink check: random edits of a right file never crash it', () => {
  const alphabet = ["'", '*', '.*', '(', ')', '=', '+', '-', ',', ' ', '\n', '#', '1', 'X', 'd_out', 'W_rec', 'sum', ';', '[', ']', ':', '"', '^', 'end', 'é', '\t'];

  /** One random edit: delete, insert, duplicate or swap. */
  function edit(text: string, random: Random): string {
    const at = random.int(text.length + 1);
    switch (random.int(4)) {
      case 0:
        return text.slice(0, at) + text.slice(at + 1 + random.int(8));
      case 1:
        return text.slice(0, at) + alphabet[random.int(alphabet.length)] + text.slice(at);
      case 2: {
        const lines = text.split('\n');
        const i = random.int(lines.length);
        return [...lines.slice(0, i), lines[i], ...lines.slice(i)].join('\n');
      }
      default: {
        const lines = text.split('\n');
        const [i, j] = [random.int(lines.length), random.int(lines.length)];
        [lines[i], lines[j]] = [lines[j], lines[i]];
        return lines.join('\n');
      }
    }
  }

  it('300 files of 1 to 4 edits (seed 7): a report, or an error of one line with its place', () => {
    const random = Random.fromSeed(7);
    const outcomes = { checked: 0, failed: 0 };
    for (let i = 0; i < 300; i++) {
      let text = RIGHT_T2;
      for (let k = 0, edits = 1 + random.int(4); k < edits; k++) text = edit(text, random);
      let report: CheckReport;
      try {
        report = checkDerivation(text, relu);
      } catch (error) {
        throw new Error(`the checker threw on ${JSON.stringify(text)}: ${String(error)}`);
      }
      if (report.error) {
        outcomes.failed++;
        const { line, column, message } = report.error;
        expect(message, text).toMatch(/^[^\n]+$/);
        if (line !== null) expect(line).toBeGreaterThanOrEqual(1);
        if (line !== null) expect(line).toBeLessThanOrEqual(text.split('\n').length);
        if (column !== null) expect(column).toBeGreaterThanOrEqual(1);
      } else {
        outcomes.checked++;
        expect(report.gradients).toHaveLength(7);
        for (const g of report.gradients) expect(g.ok || g.diagnosis.length > 0, `${g.name} in ${text}`).toBe(true);
      }
      for (const g of report.gradients) expect(g.relativeError === null || Number.isFinite(g.relativeError)).toBe(true);
    }
    // Both kinds occur, so that both paths were exercised.
    expect(outcomes.checked).toBeGreaterThan(20);
    expect(outcomes.failed).toBeGreaterThan(20);
  });
});
