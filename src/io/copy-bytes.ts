/**
 * A copy of `bytes[begin, end)` in a buffer of its own: aligned for any typed array, and
 * never a view of a larger buffer (a Node Buffer's `slice` is a view, often of a shared pool).
 */
export function copyBytes(bytes: Uint8Array, begin: number, end: number): ArrayBuffer {
  const copy = new Uint8Array(end - begin);
  copy.set(bytes.subarray(begin, end));
  return copy.buffer;
}
