import { ReclinkError } from '../errors.js';

/**
 * A file-system failure as one ReclinkError line: `cannot read x.npy: no such file or
 * directory`. Node's messages read `ENOENT: no such file or directory, open 'x.npy'`;
 * the path is already in our line, so only the description is kept.
 */
export function fileError(action: 'read' | 'write', path: string, error: unknown): ReclinkError {
  const message = error instanceof Error ? error.message : String(error);
  const description = message.replace(/^[A-Z_]+: /, '').replace(/, \w+( '.*')?$/s, '');
  return new ReclinkError(`cannot ${action} ${path}: ${description}`);
}
