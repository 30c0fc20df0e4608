import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../src/check/report.js';
import { replaceLine, RIGHT_T2 } from './check-helpers.js';
import { expectFailure, reclink } from './cli-helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'reclink-check-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

interface JsonReport extends CheckReport {
  setting: { network: { cycles: number; seed: number }; samples: number[]; digits: number[] };
  text?: string;
}

describe('reclink check', () => {
  it('exit 0 for a right file, with a ✓ beside each line and each gradient, checked on 4 bundled digits', () => {
    const run = reclink('check', file('right.txt', RIGHT_T2));
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^# Checked in float64 on the network with T = 2, H = 75, g = relu, no link bias, seed 0, and 4 bundled digits \(0, 2, 4, 7\)\.\n/);
    expect(run.stdout).toContain('line  2  G_Y      ✓ relative error 0\n');
    expect(run.stdout).toMatch(/\ndW_rec   ✓ relative error [\d.e−]+\n/);
    expect(run.stdout.trimEnd().endsWith('All 7 gradients are right.')).toBe(true);
  });

  it('exit 1 for a wrong one: the diagnosis on stdout, one line naming the wrong gradients on stderr', () => {
    const path = file('wrong.txt', replaceLine(RIGHT_T2, 'dW_rec', "d_rec2' * (Z_in + Z_rec1)"));
    const run = reclink('check', path);
    expect(run.status).toBe(1);
    // The size of the error depends on the seeded weights; the diagnosis does not.
    expect(run.stdout).toMatch(/dW_rec {3}✗ relative error 0\.\d+: only the last cycle's term δ_rec\(2\)ᵀ \(Z_in \+ Z_rec\(1\)\); W_rec is used in every cycle — add δ_rec\(1\)ᵀ Z_in/);
    expect(run.stderr).toBe(`reclink: ${path}: 1 of 7 gradients are wrong: dW_rec\n`);
  });

  it('--json: the report, the setting, and the flags that change the network', () => {
    const path = file('three.txt', RIGHT_T2);
    const run = reclink('check', path, '--json', '--cycles', '3', '--output-activation', 'sigmoid', '--seed', '5', '--batch', '3');
    expect(run.status).toBe(1); // written for T = 2 and a ReLU output
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report).toMatchObject({ ok: false, error: null, setting: { network: { cycles: 3, outputActivation: 'sigmoid', seed: 5 }, samples: [0, 3333, 6666] } });
    expect(report.lines.slice(0, 2).map((l) => [l.name, l.ok])).toEqual([['G_Y', true], ['d_out', false]]); // drelu where g is sigmoid

    const exercise = reclink('check', '--example', 'exercise', '--json', '--link-bias', '--hidden-size', '20');
    expect(exercise.status).toBe(1);
    const parsed = JSON.parse(exercise.stdout) as JsonReport;
    expect(parsed.setting).toMatchObject({ network: { cycles: 2, seed: 0, hiddenSize: 20, linkBias: true }, samples: [0, 2500, 5000, 7500] });
    expect(parsed.gradients.map((g) => [g.name, g.ok])).toEqual(['dW_in', 'db_in', 'dW_link', 'db_link', 'dW_rec', 'db_rec', 'dW_out', 'db_out'].map((n) => [n, false]));
    expect(Object.keys(parsed.gradients[0])).toEqual(['name', 'line', 'ok', 'relativeError', 'diagnosis']);
    expect(parsed.text).toContain('G_Y = 2 * (X - Y)');
    expect(parsed.lines[0]).toEqual({ line: 3, name: 'G_Y', ok: false, relativeError: 2, note: 'the sign is flipped (∂E/∂Y = 2 (Y − X), not 2 (X − Y))' });
  });

  it('--example correct prints a derivation that checks, with the report as comments: a file to start from', () => {
    const run = reclink('check', '--example', 'correct', '--cycles', '3');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("dW_rec = d_rec3' * (Z_in + Z_rec2) + d_rec2' * (Z_in + Z_rec1) + d_rec1' * Z_in");
    expect(run.stdout.split('\n').filter((l) => l.startsWith('# dW_'))).toHaveLength(4);
    const again = reclink('check', file('example.txt', run.stdout), '--cycles', '3');
    expect(again.status, again.stderr).toBe(0);
  });

  it('exit 2 when the file cannot be checked: one line with its place', () => {
    const syntax = file('syntax.txt', RIGHT_T2.replace('d_out = G_Y .* drelu(A_out)', 'd_out = G_Y .* drelu(A_out'));
    expectFailure(reclink('check', syntax), 2, `reclink: ${syntax}:3:27: syntax error: Parenthesis ) expected`);
    const unknown = file('unknown.txt', RIGHT_T2.replace('d_rec2 = G_S .* drelu(A_rec2)', 'd_rec2 = G_S .* drelu(A_rec3)'));
    expectFailure(reclink('check', unknown), 2, `reclink: ${unknown}:9:23: unknown name \`A_rec3\` (the network has T = 2 cycles)`);
    const missing = file('missing.txt', 'G_Y = 2 * (Y - X)\n');
    expectFailure(reclink('check', missing), 2, /^reclink: .*missing\.txt: missing results dW_in, db_in, dW_link, dW_rec, db_rec, dW_out, db_out: /);
    const big = file('big.txt', `${'#'.repeat(70_000)}\n`);
    expectFailure(reclink('check', big), 2, `reclink: ${big}: the derivation is 70,001 bytes, expected at most 65,536 (64 KB)`);
    const binary = file('binary.txt', '');
    writeFileSync(binary, Uint8Array.of(0x61, 0x20, 0x3d, 0x20, 0xff, 0xfe));
    expectFailure(reclink('check', binary), 2, `reclink: ${binary}: not UTF-8 text`);
    expectFailure(reclink('check', join(scratch, 'absent.txt')), 2, `reclink: cannot read ${join(scratch, 'absent.txt')}: no such file or directory`);
  });

  it('exit 2 for bad usage', () => {
    expectFailure(reclink('check'), 2, 'reclink: missing the derivation: expected a FILE, or --example exercise|correct');
    expectFailure(reclink('check', 'x.txt', '--example', 'correct'), 2, 'reclink: give a file or --example, not both (got x.txt and --example correct)');
    expectFailure(reclink('check', '--example', 'mine'), 2, /^reclink: option '--example <which>' argument 'mine' is invalid\. Allowed choices are correct, exercise\.$/);
    expectFailure(reclink('check', '--example', 'correct', '--batch', '1001'), 2, 'reclink: --batch is 1001, expected at most 1000');
    expectFailure(reclink('check', '--example', 'correct', '--cycles', '0'), 2, /^reclink: option '--cycles <T>' argument '0' is invalid/);
  });
});
