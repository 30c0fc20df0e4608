/** The most characters of a value from a file that an error message quotes. */
export const MAX_QUOTED_LENGTH = 80;

/**
 * A value from a file as a short one-line text for an error message: numbers as JavaScript
 * prints them (NaN, Infinity), anything else as JSON (so that newlines and quotes are
 * escaped), `missing` for undefined; cut after `MAX_QUOTED_LENGTH` characters with "...".
 * Only what is shown is rendered: a megabyte-long string or a list nested 10,000 deep costs
 * no more than a short one, so hostile input can neither flood the line nor the stack.
 */
export function describe(value: unknown): string {
  const text = render(value, MAX_QUOTED_LENGTH + 1);
  return text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH)}...` : text;
}

/** `value` rendered exactly up to `room` characters; past them it may be cut anywhere. */
function render(value: unknown, room: number): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value.slice(0, room));
  if (typeof value !== 'object' || value === null) return String(value);
  if (Array.isArray(value)) return list('[', ']', value, room, (item, left) => render(item, left));
  const entries = value instanceof Map ? value.entries() : ownEntries(value);
  return list('{', '}', entries, room, ([key, item], left) => `${render(String(key), left)}:${render(item, left)}`);
}

/** Items between brackets, rendered until `room` is used up (each level nests in less room, so depth is bounded too). */
function list<T>(open: string, close: string, items: Iterable<T>, room: number, show: (item: T, room: number) => string): string {
  let text = open;
  for (const item of items) {
    if (text.length > room) return text;
    text += `${text === open ? '' : ','}${show(item, room - text.length)}`;
  }
  return text + close;
}

/** An object's own entries, one at a time (a file's object may have a million keys). */
function* ownEntries(object: object): Generator<[string, unknown]> {
  for (const key in object) if (Object.hasOwn(object, key)) yield [key, (object as Record<string, unknown>)[key]];
}
