import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importGraph } from './import-graph.js';

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
