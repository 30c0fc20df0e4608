/**
 * An error caused by what the user gave (a file, a flag, a configuration), as opposed to
 * a bug. Its message is one line that names what is wrong and what was expected; the
 * command line prints it without a stack trace and exits with `exitCode`.
 */
export class ReclinkError extends Error {
  constructor(
    message: string,
    /** 1: bad input (a file, data); 2: bad usage (a flag, a configuration). */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'ReclinkError';
  }
}

/**
 * A failure that only a bug in reclink can cause (an invariant broken), never what a user
 * gave: its message starts with `bug:`.
 */
export class InternalError extends Error {
  constructor(message: string) {
    super(`bug: ${message}`);
    this.name = 'InternalError';
  }
}
