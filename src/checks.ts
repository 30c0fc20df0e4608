import { ReclinkError } from './errors.js';
import { describe } from './io/describe.js';

// Checks of hyperparameters and options: a value that cannot work is a usage error (exit
// code 2) that names it and says what was expected.

/** `value` if it is a finite number in [min, max) ([min, max] when `closed`). */
export function checkNumber(name: string, value: unknown, min: number, max = Infinity, closed = false): number {
  const inRange = typeof value === 'number' && Number.isFinite(value) && value >= min && (closed ? value <= max : value < max);
  if (!inRange) {
    const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}${closed ? ']' : ')'}`;
    fail(name, value, `a finite number ${range}`);
  }
  return value;
}

/** `value` if it is a finite number > 0. */
export function checkPositive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(name, value, 'a finite number > 0');
  return value;
}

/** `value` if it is an integer ≥ `min` (and ≤ `max` when given). */
export function checkInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(name, value, max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`);
  }
  return value;
}

function fail(name: string, value: unknown, expected: string): never {
  throw new ReclinkError(`${name} is ${show(value)}, expected ${expected}`, 2);
}

/**
 * A value as a message shows it: numbers as JavaScript prints them (NaN, Infinity), the rest
 * as JSON, cut short (values may come from a file: see `describe`).
 */
export const show = describe;
