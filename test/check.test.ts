import { describe, expect, it } from 'vitest';
import { backwardPass, RIGHT_WAY } from '../src/check/backward.js';
import { exampleDerivation } from '../src/check/examples.js';
import { RIGHT_BELOW } from '../src/check/report.js';
import { truthOf } from '../src/check/truth.js';
import { relativeError } from '../src/check/compare.js';
import type { ActivationName } from '../src/linalg/backend.js';
import { checked, diagnosisOf, replaceLine, RIGHT_T2, setting, wrongGradients } from './check-helpers.js';
import { importGraph } from './import-graph.js';

describe('reclink check: right derivations pass', () => {
  it('a hand-written T = 2 derivation: every gradient and every known intermediate right', () => {
    const report = checked(RIGHT_T2, setting(2));
    expect(report.ok).toBe(true);
    expect(report.gradients.map((g) => g.name)).toEqual(['dW_in', 'db_in', 'dW_link', 'dW_rec', 'db_rec', 'dW_out', 'db_out']);
    for (const g of report.gradients) expect(g.relativeError, g.name).toBeLessThan(1e-12);
    expect(report.lines).toHaveLength(15);
    expect(report.lines.every((l) => l.ok === true)).toBe(true);
  });

  it('other ways of writing it: transpose(), ones() for the batch sum, a bias as a vector or a row, helper names and functions', () => {
    let text = replaceLine(RIGHT_T2, 'dW_out', 'transpose(d_out) * S');
    text = replaceLine(text, 'db_out', 'ones(1, size(X)[1]) * d_out'); // 1 × 225, not a vector
    text = replaceLine(text, 'dW_rec', "d_rec2' * U2 + d_rec1' * Z_in").replace('dW_rec =', 'U2 = Z_in + Z_rec1\ndW_rec =');
    text = replaceLine(text, 'd_in', 'mask(A_in) .* G_in').replace('d_in =', 'mask(a) = a > 0\nd_in =');
    const report = checked(text, setting(2));
    expect(report.ok).toBe(true);
    expect(report.lines.find((l) => l.name === 'U2')).toMatchObject({ ok: null, note: '4 × 75' });
  });

  for (const cycles of [1, 2, 3, 4]) {
    for (const g of ['relu', 'sigmoid', 'identity'] as ActivationName[]) {
      it(`T = ${cycles}, g = ${g}, with and without a link bias`, () => {
        for (const linkBias of [false, true]) {
          const report = checked(exampleDerivation('correct', { cycles, outputActivation: g, linkBias }), setting(cycles, g, linkBias));
          expect(report.ok, JSON.stringify(report.gradients.filter((r) => !r.ok))).toBe(true);
          expect(report.gradients.some((r) => r.name === 'db_link')).toBe(linkBias);
        }
      });
    }
  }

  it('sigmoid written out as Y .* (1 - Y); a float32 network (as the lab trains) is checked in float64', () => {
    const text = replaceLine(RIGHT_T2, 'd_out', 'G_Y .* Y .* (1 - Y)');
    expect(checked(text, setting(2, 'sigmoid')).ok).toBe(true);
    expect(checked(RIGHT_T2, setting(2, 'relu', false, 'float32')).ok).toBe(true);
  });

  it("the catalogue's backward pass, written the right way, is the model's (the basis of every diagnosis)", () => {
    for (const [cycles, g] of [[1, 'relu'], [3, 'sigmoid'], [2, 'identity']] as const) {
      const truth = truthOf(setting(cycles, g, true));
      const computed = backwardPass(truth.bound, truth.config, RIGHT_WAY);
      for (const [name, expected] of truth.expected) {
        expect(relativeError((computed.get(name) ?? expected).data, expected.data), name).toBeLessThan(1e-12);
        expect(computed.has(name), name).toBe(true);
      }
    }
  });
});

describe('reclink check: each mistake of the catalogue, injected into a right file, is named', () => {
  const relu = setting(2);

  /** The wrong gradients of `text`, and the diagnosis of `name`. */
  function injected(text: string, name: string, on = relu): { wrong: string[]; diagnosis: string } {
    const report = checked(text, on);
    const diagnosis = diagnosisOf(report, name);
    expect(diagnosis, 'one mistake, not scaled as well').not.toContain('; and ');
    return { wrong: wrongGradients(report), diagnosis };
  }

  it('the sign flipped: every gradient, from the line of G_Y', () => {
    const { wrong, diagnosis } = injected(replaceLine(RIGHT_T2, 'G_Y', '2 * (X - Y)'), 'dW_in');
    expect(wrong).toHaveLength(7);
    expect(diagnosis).toMatch(/^the sign is flipped .*\. It starts on line 2 \(G_Y\)$/);
  });

  it('a factor 2 missing', () => {
    const { wrong, diagnosis } = injected(replaceLine(RIGHT_T2, 'G_Y', 'Y - X'), 'dW_rec');
    expect(wrong).toHaveLength(7);
    expect(diagnosis).toMatch(/^a factor 2 is missing/);
  });

  it('transposed: a weight gradient of the wrong orientation, square or not', () => {
    const out = injected(replaceLine(RIGHT_T2, 'dW_out', "S' * d_out"), 'dW_out');
    expect(out.wrong).toEqual(['dW_out']);
    expect(out.diagnosis).toMatch(/^transposed: it is 75 × 225, expected 225 × 75/);
    expect(injected(replaceLine(RIGHT_T2, 'dW_rec', "(d_rec2' * (Z_in + Z_rec1) + d_rec1' * Z_in)'"), 'dW_rec').diagnosis).toMatch(/^transposed/);
  });

  it("only the last cycle's term, or only the first, in dW_rec and db_rec", () => {
    const last = injected(replaceLine(RIGHT_T2, 'dW_rec', "d_rec2' * (Z_in + Z_rec1)"), 'dW_rec');
    expect(last.wrong).toEqual(['dW_rec']);
    expect(last.diagnosis).toMatch(/^only the last cycle's term δ_rec\(2\)ᵀ \(Z_in \+ Z_rec\(1\)\); W_rec is used in every cycle — add δ_rec\(1\)ᵀ Z_in\. Every known intermediate it reads is right: the mistake is on line 11$/);
    expect(injected(replaceLine(RIGHT_T2, 'db_rec', 'sum(d_rec1, 1)'), 'db_rec').diagnosis).toMatch(/^only the first cycle's term Σ_n δ_rec\(1\); b_rec is used in every cycle — add Σ_n δ_rec\(2\)/);
    const three = exampleDerivation('correct', { cycles: 3, outputActivation: 'relu', linkBias: false });
    const thirdOnly = injected(replaceLine(three, 'dW_rec', "d_rec3' * (Z_in + Z_rec2)"), 'dW_rec', setting(3));
    expect(thirdOnly.diagnosis).toContain("add δ_rec(1)ᵀ Z_in + δ_rec(2)ᵀ (Z_in + Z_rec(1))");
  });

  it("only the last cycle's path, or only the first, through G_in into the input layer", () => {
    const last = injected(replaceLine(RIGHT_T2, 'G_in', 'd_rec2 * W_rec'), 'dW_in');
    expect(last.wrong).toEqual(['dW_in', 'db_in']);
    expect(last.diagnosis).toMatch(/^G_in takes only the last cycle's path δ_rec\(2\) W_rec; Z_in enters every cycle — G_in = \(δ_rec\(1\) \+ δ_rec\(2\)\) W_rec\. It starts on line 13 \(G_in\)$/);
    expect(injected(replaceLine(RIGHT_T2, 'G_in', 'd_rec1 * W_rec'), 'db_in').diagnosis).toMatch(/^G_in takes only the first cycle's path δ_rec\(1\) W_rec/);
  });

  it("Z_in left out of a later cycle's input", () => {
    const { wrong, diagnosis } = injected(replaceLine(RIGHT_T2, 'dW_rec', "d_rec2' * Z_rec1 + d_rec1' * Z_in"), 'dW_rec');
    expect(wrong).toEqual(['dW_rec']);
    expect(diagnosis).toMatch(/^Z_in is left out of a later cycle's input/);
  });

  it("the activation's derivative missing, at each layer", () => {
    const out = injected(replaceLine(RIGHT_T2, 'd_out', 'G_Y'), 'dW_in');
    expect(out.wrong).toHaveLength(7);
    expect(out.diagnosis).toMatch(/^the output activation's derivative is missing: .*`G_Y \.\* drelu\(A_out\)`\. It starts on line 3 \(d_out\)$/);
    const link = injected(replaceLine(RIGHT_T2, 'd_link', 'G_S'), 'dW_link');
    expect(link.wrong).toEqual(['dW_link']);
    expect(link.diagnosis).toMatch(/^the link layer's derivative is missing/);
    const noRec = replaceLine(replaceLine(RIGHT_T2, 'd_rec2', 'G_S'), 'd_rec1', 'd_rec2 * W_rec');
    expect(injected(noRec, 'dW_rec').diagnosis).toMatch(/^the recurrent layer's derivative is missing: every cycle's/);
    expect(injected(replaceLine(RIGHT_T2, 'd_rec1', 'd_rec2 * W_rec'), 'db_rec').diagnosis).toMatch(/^the recurrent layer's derivative is missing in cycle 1: /);
    const input = injected(replaceLine(RIGHT_T2, 'd_in', 'G_in'), 'db_in');
    expect(input.wrong).toEqual(['dW_in', 'db_in']);
    expect(input.diagnosis).toMatch(/^the input layer's derivative is missing/);
  });

  it("the output activation's derivative taken at Z = Y instead of at A_out (sigmoid)", () => {
    const sigmoid = replaceLine(RIGHT_T2, 'd_out', 'G_Y .* dsigmoid(A_out)');
    expect(checked(sigmoid, setting(2, 'sigmoid')).ok).toBe(true);
    const { wrong, diagnosis } = injected(replaceLine(sigmoid, 'd_out', 'G_Y .* dsigmoid(Y)'), 'dW_out', setting(2, 'sigmoid'));
    expect(wrong).toHaveLength(7);
    expect(diagnosis).toMatch(/^the output activation's derivative is taken at Y = g\(A_out\) instead of at A_out/);
  });

  it('the link path left out of S', () => {
    const { wrong, diagnosis } = injected(replaceLine(RIGHT_T2, 'dW_out', "d_out' * Z_rec2"), 'dW_out');
    expect(wrong).toEqual(['dW_out']);
    expect(diagnosis).toMatch(/^the link path is left out of S: S = Z_rec\(2\) \+ Z_link/);
  });

  it('a bias summed over the wrong axis, with or without a link bias', () => {
    const { wrong, diagnosis } = injected(replaceLine(RIGHT_T2, 'db_in', 'sum(d_in, 2)'), 'db_in');
    expect(wrong).toEqual(['db_in']);
    expect(diagnosis).toBe("summed over the wrong axis: a bias gradient sums δ over the batch, `sum(d, 1)`, one value a unit; this sums over the units, one value a sample. Every known intermediate it reads is right: the mistake is on line 16");
    const withBias = exampleDerivation('correct', { cycles: 2, outputActivation: 'relu', linkBias: true });
    expect(injected(replaceLine(withBias, 'db_link', "sum(d_link', 1)"), 'db_link', setting(2, 'relu', true)).diagnosis).toMatch(/^summed over the wrong axis/);
  });

  it("the exercise's own formulas: each wrong gradient named, the sign first", () => {
    const report = checked(exampleDerivation('exercise', { cycles: 2, outputActivation: 'relu', linkBias: false }), relu);
    expect(report.ok).toBe(false);
    const diagnosis = Object.fromEntries(report.gradients.map((g) => [g.name, g.diagnosis]));
    expect(diagnosis.dW_out).toMatch(/^δ_out is summed over the batch before the product.*; and the sign is flipped/);
    expect(diagnosis.dW_link).toMatch(/^the link layer's derivative is missing.*; and the sign is flipped/);
    expect(diagnosis.dW_rec).toMatch(/^only the last cycle's term.*; and the sign is flipped/);
    expect(diagnosis.dW_in).toMatch(/^G_in takes only the last cycle's path.*; and the sign is flipped/);
    expect(diagnosis.db_out).toMatch(/^the sign is flipped.*It starts on line 3 \(G_Y\)$/);
  });

  it('a wrong value no mistake explains is still wrong, with its relative error', () => {
    const report = checked(replaceLine(RIGHT_T2, 'dW_link', "d_link' * X_red + 0.001 * W_link"), relu);
    const gradient = report.gradients.find((g) => g.name === 'dW_link');
    expect(gradient?.ok).toBe(false);
    expect(gradient?.relativeError).toBeGreaterThan(RIGHT_BELOW);
    expect(gradient?.diagnosis).toBe('not the true value, and no mistake of the catalogue explains it. Every known intermediate it reads is right: the mistake is on line 8');
  });
});

describe('reclink check: math.js loads only where a derivation is evaluated', () => {
  it('not with the library or the command line (it takes a second to load): only in the checking thread', () => {
    expect(importGraph(['src/index.ts']).has('mathjs')).toBe(false);
    expect(importGraph(['src/cli/main.ts']).has('mathjs')).toBe(false);
    expect(importGraph(['src/check/thread.ts']).has('mathjs')).toBe(true);
  });
});
