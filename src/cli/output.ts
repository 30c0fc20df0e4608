/** Writes lines of text to standard output. */
export function print(...lines: string[]): void {
  process.stdout.write(lines.map((line) => `${line}\n`).join(''));
}

/** Writes `value` to standard output as indented JSON (the `--json` output of every command). */
export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}
