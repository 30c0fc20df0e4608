import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

// The command-line tests run the built program (`node bin/reclink.js`, which imports
// dist/) on the bundled data, and the lab's end-to-end test the built page (dist/web/).
// `npm test` builds them all first; when vitest runs alone, a stale or missing dist/ or
// dist/web/ and a missing data/mnist15.bin are built here, once, before any test file starts.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export default async function setup(): Promise<void> {
  if (isStale(join(root, 'src'), join(root, 'dist', 'cli', 'main.js'))) {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root });
  }
  if (!existsSync(join(root, 'data', 'mnist15.bin'))) execFileSync(process.execPath, [join(root, 'dist', 'data', 'bundle-mnist.js')], { cwd: root });
  const page = join(root, 'dist', 'web', 'index.html');
  if (['web', 'src', 'vite.config.ts', join('data', 'mnist15.bin'), join('dist', 'reclink.wasm')].some((source) => isStale(join(root, source), page))) {
    await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  }
}

/** Whether `built` is missing or older than `sources` (a file, or any file in a folder). */
function isStale(sources: string, built: string): boolean {
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const newer = (path: string): boolean =>
    statSync(path).isDirectory() ? readdirSync(path).some((name) => newer(join(path, name))) : statSync(path).mtimeMs > builtAt;
  return newer(sources);
}
