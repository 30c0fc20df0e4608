// Numbers as the documentation prints them.

/** 2 significant digits (3 with `digits`), a true minus sign; 0 as 0. */
export function figure(x: number, digits = 2): string {
  if (x === 0) return '0';
  const magnitude = Math.abs(x);
  const text = magnitude >= 1e-3 && magnitude < 10 ** digits ? x.toPrecision(digits) : x.toExponential(digits - 1);
  return text.replace('-', '−');
}

/** An error as the power of ten above it: `< 1e-8`. Stable when the last digits move. */
export function bound(error: number): string {
  return error === 0 ? '0' : `< 1e${Math.floor(Math.log10(error)) + 1}`;
}

export function shape([rows, cols]: [number, number]): string {
  return `${rows} × ${cols}`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}
