import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { backwardEquations, forwardEquations } from '../src/lab/equations.js';
import { resolveConfig } from '../src/model/config.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { traceModel } from '../src/model/trace.js';
import { Random } from '../src/random.js';
import { randomMatrix } from './helpers.js';

describe('the derivation view equations', () => {
  it.each([
    { cycles: 1, linkBias: false },
    { cycles: 2, linkBias: false },
    { cycles: 3, linkBias: true },
  ])('name every traced tensor exactly once and render in KaTeX (%o)', (fields) => {
    const config = resolveConfig({ ...fields, inputSize: 12, hiddenSize: 4 });
    const equations = [...forwardEquations(config), ...backwardEquations(config)];
    const named = equations.flatMap((e) => e.tensors);
    const trace = traceModel(new RecLinkNet(config), randomMatrix(2, 12, Random.fromSeed(1), 'float32', 0, 1));
    expect([...named].sort()).toEqual([...trace.tensors.keys(), 'X', 'E'].sort());
    for (const e of equations) expect(() => katex.renderToString(e.tex, { throwOnError: true })).not.toThrow();
  });

  it('writes one line a cycle, back through time in the backward pass', () => {
    const config = resolveConfig({ cycles: 3 });
    const rec = (list: { tensors: string[] }[]): string[] => list.flatMap((e) => e.tensors).filter((n) => n.includes('rec.'));
    expect(rec(forwardEquations(config))).toEqual(['A_rec.1', 'Z_rec.1', 'A_rec.2', 'Z_rec.2', 'A_rec.3', 'Z_rec.3']);
    expect(rec(backwardEquations(config))).toEqual(['delta_rec.3', 'delta_rec.2', 'delta_rec.1', 'grad.rec.weight', 'grad.rec.bias']);
    expect(forwardEquations(config)[1].tex).toContain('K_{3j,\\,j} = 1');
  });
});
