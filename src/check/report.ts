import { ReclinkError } from '../errors.js';

/** A gradient below this relative error, max|Δ| / max|true|, is right. */
export const RIGHT_BELOW = 1e-6;

/** The verdict on one required gradient. */
export interface GradientVerdict {
  /** `dW_in`, `db_in`, … */
  name: string;
  /** The line that defines it (its last assignment), 1-based. */
  line: number;
  ok: boolean;
  /** max|learner − true| / max|true|; null when it has the wrong shape or entries that are not finite. */
  relativeError: number | null;
  /** In plain words: what is wrong and how to mend it; empty when right. */
  diagnosis: string;
}

/** The verdict on one line of the derivation. */
export interface LineVerdict {
  /** 1-based. */
  line: number;
  /** The name it assigns. */
  name: string;
  /**
   * Right or wrong when the name is a required gradient or an intermediate the trace knows
   * (G_Y, d_out, G_S, d_link, d_rec1 …, G_in, d_in); null for a name of the learner's own.
   */
  ok: boolean | null;
  /** As for a gradient; null for a name of the learner's own. */
  relativeError: number | null;
  /** For a known name, what is wrong (empty when right); for a name of the learner's own, what it holds (`4 × 75`). */
  note: string;
}

/** Why a derivation could not be checked, and where. */
export interface CheckFailure {
  /** 1-based, or null when the whole file is at fault (its size, the time it took). */
  line: number | null;
  /** 1-based, or null when the position within the line is not known. */
  column: number | null;
  message: string;
}

/** What the checker says about a derivation. */
export interface CheckReport {
  /** Every required gradient is right. */
  ok: boolean;
  /** In the order of `requiredGradients`; empty when the file could not be checked. */
  gradients: GradientVerdict[];
  /** One a statement, in order; empty when the file could not be read or evaluated. */
  lines: LineVerdict[];
  /** Why the file could not be checked, or null. */
  error: CheckFailure | null;
}

/**
 * A derivation that cannot be checked: a syntax error, an unknown name, a missing result, a
 * result that is not a matrix, a file too large or too slow. Exit code 2 on the command line.
 */
export class DerivationError extends ReclinkError {
  constructor(readonly failure: CheckFailure) {
    super(failure.message, 2);
    this.name = 'DerivationError';
  }
}

/** Throws a `DerivationError` at this place. */
export function fail(line: number | null, column: number | null, message: string): never {
  throw new DerivationError({ line, column, message });
}

/** The report of a derivation that could not be checked. */
export function failedReport(error: CheckFailure): CheckReport {
  return { ok: false, gradients: [], lines: [], error };
}

/** `3:9: message` (or `3: message`, or the message alone), as a compiler places an error. */
export function formatFailure({ line, column, message }: CheckFailure): string {
  const where = [line, column].filter((n) => n !== null).join(':');
  return where ? `${where}: ${message}` : message;
}
