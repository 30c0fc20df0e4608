const MAX_LENGTH = 40;

/**
 * A value from a file as a short one-line text for an error message: JSON (so that
 * newlines and quotes are escaped), cut after 40 characters, so that hostile input
 * can neither flood nor break the line.
 */
export function describe(value: unknown): string {
  const text = value === undefined ? 'missing' : JSON.stringify(value);
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}...` : text;
}
