import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from './cli-helpers.js';

// `npm run docs:api` writes the API documentation to docs/api (not committed); here TypeDoc
// builds it into a temporary folder with typedoc.json, which turns every warning (a public name
// whose type is not exported, a broken {@link}) into a failure.

const out = mkdtempSync(join(tmpdir(), 'reclink-api-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the API documentation', () => {
  it('builds with TypeDoc without a warning, one page set per entry point', () => {
    const typedoc = join(root, 'node_modules', 'typedoc', 'bin', 'typedoc');
    const run = spawnSync(process.execPath, [typedoc, '--out', out], { cwd: root, encoding: 'utf8' });
    expect(run.stdout + run.stderr).not.toMatch(/warning|error/i);
    expect(run.status).toBe(0);
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    for (const module of ['reclink', 'reclink/lab', 'reclink/check', 'reclink/bench']) expect(index).toContain(`>${module}<`);
  }, 120_000);
});
