import { CsvError, parse } from 'csv-parse/sync';
import { ReclinkError } from '../errors.js';
import { describe } from '../io/describe.js';
import { zeros, type Matrix } from '../linalg/matrix.js';
import { checkColumns, checkFinite32, checkSampleCount } from './checks.js';
import type { Dataset } from './dataset.js';

const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;
const NAME_START = /^[\p{L}_]/u;
/** Words that stand for a missing or non-finite value: never a column's name. */
const NOT_NAMES = new Set(['nan', 'inf', 'infinity', 'null', 'none', 'na', 'n/a']);

/**
 * Parses CSV text (read by csv-parse: quoted fields, CRLF, a BOM): a sample a row,
 * `inputSize` comma-separated decimal numbers. A first row that holds a name (text that
 * starts with a letter or "_" and is not NaN, an infinity, null, none or NA) is a header, and
 * skipped, if it holds names only, and an error otherwise; any other first row is a sample.
 * Blank lines at the end are allowed. Errors name `file`, the 1-based line and the column.
 */
export function parseCsv(text: string, inputSize: number, file: string): Dataset {
  const rows = new SampleRows(inputSize, file);
  try {
    // Each record is taken as it is read, then dropped (on_record returns null): a large file
    // is never held whole as strings.
    parse(text, { bom: true, trim: true, relax_column_count: true, on_record: (fields: string[], { lines }) => rows.take(fields, lines) });
  } catch (error) {
    throw error instanceof CsvError ? syntaxError(error, file, rows.line) : error;
  }
  return { x: rows.matrix(), source: file };
}

/** The samples of a CSV file, record by record. */
class SampleRows {
  /** The line where the next record starts (a quoted field may span lines). */
  line = 1;
  private readonly rows: Float32Array[] = [];
  /** The first blank line since the last sample: an error if another sample follows. */
  private blank: number | undefined;
  private header = false;

  constructor(
    private readonly inputSize: number,
    private readonly file: string,
  ) {}

  /** Takes the record that ends on line `end`; null, so that csv-parse keeps nothing. */
  take(fields: string[], end: number): null {
    const start = this.line;
    this.line = end + 1;
    if (fields.length === 1 && fields[0] === '') {
      this.blank ??= start;
    } else if (this.blank !== undefined) {
      throw new ReclinkError(`${this.file}: line ${this.blank} is blank, expected ${this.inputSize} comma-separated numbers`);
    } else if (start === 1 && fields.some(isName)) {
      checkHeader(fields, this.file);
      this.header = true;
    } else {
      this.rows.push(parseRow(fields, this.inputSize, this.file, start));
    }
    return null;
  }

  /** The samples taken, one a row. */
  matrix(): Matrix {
    const { rows, inputSize, file } = this;
    if (rows.length === 0) {
      throw new ReclinkError(this.header ? `${file}: only a header, expected samples below it` : `${file}: empty file, expected a sample a row of ${inputSize} comma-separated numbers`);
    }
    checkSampleCount(file, rows.length, inputSize);
    const x = zeros(rows.length, inputSize);
    rows.forEach((row, i) => x.data.set(row, i * inputSize));
    return x;
  }
}

function parseRow(fields: string[], inputSize: number, file: string, line: number): Float32Array {
  checkColumns(file, `line ${line}`, fields.length, inputSize);
  return Float32Array.from(fields, (field, j) => parseField(field, file, `line ${line}, column ${j + 1}`));
}

/** Throws unless a first row with a name in it has names only (a header), naming a field that is not one. */
function checkHeader(fields: string[], file: string): void {
  const other = fields.findIndex((field) => !isName(field));
  if (other < 0) return;
  const name = fields.findIndex(isName);
  throw new ReclinkError(
    `${file}: line 1 is neither a header nor a sample: column ${other + 1} is ${describe(fields[other])}, not a name, ` +
      `and column ${name + 1} is ${describe(fields[name])}, not a number`,
  );
}

function isName(field: string): boolean {
  return NAME_START.test(field) && !NOT_NAMES.has(field.toLowerCase());
}

function parseField(field: string, file: string, where: string): number {
  const value = decimalNumber(field);
  if (value !== undefined) {
    checkFinite32(file, where, value);
    return value;
  }
  throw new ReclinkError(`${file}: ${where} is ${describe(field)}, expected ${NON_FINITE.test(field) ? 'a finite number' : 'a number'}`);
}

/**
 * The value of a decimal number such as -1.5e3, .5 or 2.; undefined for anything else. Only
 * digits, '.', 'e', 'E', '+' and '-' may appear (Number alone would also read "", hex,
 * binary, octal and Infinity); Number's grammar then decides, in time linear in the length.
 */
function decimalNumber(field: string): number | undefined {
  if (field === '' || /[^0-9.eE+-]/.test(field)) return undefined;
  const value = Number(field);
  return Number.isNaN(value) ? undefined : value;
}

/** A CSV syntax error (a stray or unclosed quote) as one line; `line` is where the failing record starts. */
function syntaxError(error: CsvError, file: string, line: number): ReclinkError {
  const column = typeof error.column === 'number' ? `, column ${error.column + 1}` : '';
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') return new ReclinkError(`${file}: line ${line} opens a quoted field that is never closed`);
  if (error.code === 'INVALID_OPENING_QUOTE') return new ReclinkError(`${file}: line ${line}${column} has a quote inside a field, expected quotes only around a whole field`);
  if (error.code === 'CSV_INVALID_CLOSING_QUOTE' || error.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE') {
    return new ReclinkError(`${file}: line ${line}${column} has characters after a closing quote, expected a comma or the end of the line`);
  }
  return new ReclinkError(`${file}: line ${line} is not valid CSV (${error.code})`);
}
