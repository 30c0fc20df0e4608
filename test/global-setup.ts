import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The command-line tests run the built program (`node bin/reclink.js`, which imports
// dist/) on the bundled data. `npm test` builds both first; when vitest runs alone, a stale
// or missing dist/ and a missing data/mnist15.bin are built here, once, before any test file starts.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export default function setup(): void {
  if (isStale(join(root, 'src'), join(root, 'dist', 'cli', 'main.js'))) {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root });
  }
  if (!existsSync(join(root, 'data', 'mnist15.bin'))) execFileSync(process.execPath, [join(root, 'dist', 'data', 'bundle-mnist.js')], { cwd: root });
}

function isStale(sources: string, built: string): boolean {
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const newer = (folder: string): boolean =>
    readdirSync(folder, { withFileTypes: true }).some((entry) => {
      const path = join(folder, entry.name);
      return entry.isDirectory() ? newer(path) : statSync(path).mtimeMs > builtAt;
    });
  return newer(sources);
}
