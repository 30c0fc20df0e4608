import { ReclinkError } from '../errors.js';
import { zeros } from '../linalg/matrix.js';
import { checkColumns, checkFinite32, checkSampleCount } from './checks.js';
import type { Dataset } from './dataset.js';

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/**
 * Parses CSV text: a sample a row, `inputSize` comma-separated numbers. The first row is a
 * header, and skipped, when it is not all numbers; blank lines at the end are allowed.
 * Errors name `file` and the 1-based line.
 */
export function parseCsv(text: string, inputSize: number, file: string): Dataset {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) {
    throw new ReclinkError(`${file}: empty file, expected a sample a row of ${inputSize} comma-separated numbers`);
  }
  const first = isHeader(lines[0]) ? 1 : 0;
  const samples = lines.length - first;
  if (samples === 0) throw new ReclinkError(`${file}: only a header, expected samples below it`);
  checkSampleCount(file, samples, inputSize);
  const x = zeros(samples, inputSize);
  for (let i = first; i < lines.length; i++) {
    const fields = lines[i].split(',');
    const line = `line ${i + 1}`;
    if (lines[i].trim() === '') throw new ReclinkError(`${file}: ${line} is blank, expected ${inputSize} comma-separated numbers`);
    checkColumns(file, line, fields.length, inputSize);
    const offset = (i - first) * inputSize;
    fields.forEach((field, j) => (x.data[offset + j] = parseField(field.trim(), file, `${line}, column ${j + 1}`)));
  }
  return { x, source: file };
}

/** A header is a first row with a field that is neither a number nor NaN or an infinity. */
function isHeader(line: string): boolean {
  return line.split(',').some((field) => !NUMBER.test(field.trim()) && !NON_FINITE.test(field.trim()));
}

function parseField(field: string, file: string, where: string): number {
  if (NUMBER.test(field)) {
    const value = Number(field);
    checkFinite32(file, where, value);
    return value;
  }
  const shown = JSON.stringify(field.length > 24 ? `${field.slice(0, 24)}…` : field);
  const expected = NON_FINITE.test(field) ? 'a finite number' : 'a number';
  throw new ReclinkError(`${file}: ${where} is ${shown}, expected ${expected}`);
}
