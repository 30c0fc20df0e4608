import { ReclinkError } from '../errors.js';
import { checkDerivation } from './check.js';
import type { CheckAnswer, CheckRequest } from './protocol.js';

/** Checks a request; what it throws becomes an `error` answer. */
export function answer({ text, setting }: CheckRequest): CheckAnswer {
  try {
    return { type: 'report', report: checkDerivation(text, setting) };
  } catch (error) {
    return { type: 'error', message: error instanceof Error ? error.message : String(error), reclinkError: error instanceof ReclinkError };
  }
}
