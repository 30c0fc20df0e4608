import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every module the page and its worker import (type-only imports aside), with the chain that reaches it. */
function importGraph(entries: string[]): Map<string, string[]> {
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

describe('the page', () => {
  it('imports no file-system or Node-only code', () => {
    const graph = importGraph(['web/main.ts', 'web/worker.ts', 'web/check-worker.ts']);
    const nodeOnly = [...graph].filter(([module]) => /^node:|^(fs|path|os|url|child_process|pngjs|commander|cli-progress)$/.test(module));
    expect(nodeOnly.map(([module, chain]) => `${[...chain, module].join(' → ')}`)).toEqual([]);
    expect(graph.has(resolve('src/lab/session.ts'))).toBe(true); // the walk does follow the imports
    expect(graph.has(resolve('src/io/checkpoint-format.ts'))).toBe(true);
  });

  it("loads math.js only in the derivation checker's worker", () => {
    expect(importGraph(['web/main.ts']).has('mathjs')).toBe(false);
    expect(importGraph(['web/worker.ts']).has('mathjs')).toBe(false);
    expect(importGraph(['web/check-worker.ts']).has('mathjs')).toBe(true);
  });
});
