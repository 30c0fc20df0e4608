import { CommanderError } from 'commander';
import { ReclinkError } from '../errors.js';

/** How the command line ends: the exit code and, on failure, the one line for stderr. */
export interface Outcome {
  exitCode: number;
  /** `reclink: <what is wrong>`, or null on success. */
  line: string | null;
}

/** Training stopped by Ctrl-C (SIGINT): exit code 130 (128 + 2, as a shell reports it), one line saying where the checkpoint is. */
export class Interrupted extends Error {
  readonly exitCode = 130;
}

const HELP_CODES = ['commander.helpDisplayed', 'commander.help', 'commander.version'];

/**
 * The outcome of an error thrown while parsing or running a command: exit 2 for usage
 * errors (commander's, a bad flag value, a config that cannot work), 1 for bad input (a
 * file) and for anything unexpected, 130 for an interrupted run; always a single line,
 * never a stack trace.
 */
export function outcomeOf(error: unknown): Outcome {
  if (error instanceof CommanderError) {
    if (HELP_CODES.includes(error.code) && error.exitCode === 0) return { exitCode: 0, line: null };
    if (error.code === 'commander.help') return failure(2, 'missing command: expected train, eval, reconstruct, encode, score, export, summary, init, trace, check, lab or bench (see reclink --help)');
    return failure(2, error.message.replace(/^error: /, ''));
  }
  if (error instanceof ReclinkError || error instanceof Interrupted) return failure(error.exitCode, error.message);
  return failure(1, `unexpected error: ${error instanceof Error ? error.message : String(error)}`);
}

function failure(exitCode: number, message: string): Outcome {
  return { exitCode, line: `reclink: ${message.trim().replace(/\s*\n\s*/g, ' ')}` };
}
