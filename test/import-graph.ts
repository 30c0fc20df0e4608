import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

/** Every module these entries import (type-only imports aside), with the chain that reaches it. */
export function importGraph(entries: string[]): Map<string, string[]> {
  const reached = new Map<string, string[]>();
  const visit = (file: string, chain: string[]): void => {
    if (reached.has(file)) return;
    reached.set(file, chain);
    if (!file.endsWith('.ts')) return;
    const text = readFileSync(file, 'utf8');
    const statements = text.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm);
    for (const [, specifier] of statements) {
      const target = specifier.startsWith('.') ? resolve(dirname(file), specifier.replace(/\.js$/, '.ts')) : specifier;
      visit(target, [...chain, relative(process.cwd(), file)]);
    }
  };
  for (const entry of entries) visit(resolve(entry), []);
  return reached;
}
