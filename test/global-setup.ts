import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './cli-helpers.js';
import { isStale } from './stale.js';

// Several suites run the built package: the command line (dist/), data-parallel replicas
// (dist/train/replica-worker.js and dist/check/thread.js, which worker threads load even from the sources), the WebAssembly backend
// (dist/reclink.wasm), the bundled data (data/mnist15.bin) and the lab (dist/web/). `npm test`
// builds them all first; when vitest runs alone, this runs the same build, once, before any
// test file starts, if any of them is missing or older than its sources.
const OUTPUTS = ['dist/cli/main.js', 'dist/train/replica-worker.js', 'dist/check/thread.js', 'dist/reclink.wasm', 'data/mnist15.bin', 'dist/web/index.html'];
const SOURCES = ['src', 'assembly', 'web', 'package.json', 'vite.config.ts'];

export default function setup(): void {
  const sources = SOURCES.map((path) => join(root, path));
  if (OUTPUTS.some((output) => isStale(join(root, output), ...sources))) {
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  }
}
