// Builds dist/reclink.wasm from assembly/ when it is missing or older than its sources
// (the tests' global setup; `npm run build` always rebuilds it).
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = fileURLToPath(new URL('..', import.meta.url));
const output = `${root}dist/reclink.wasm`;

/** Compiles assembly/ unless dist/reclink.wasm is newer than every source of it. */
export default async function buildWasmIfStale(): Promise<void> {
  const sources = readdirSync(`${root}assembly`).map((name) => `${root}assembly/${name}`);
  const newestSource = Math.max(...sources.map((path) => statSync(path).mtimeMs));
  if (modified(output) > newestSource) return;
  const { error, stderr } = await asc.main(['--config', `${root}assembly/asconfig.json`, '--target', 'release']);
  if (error) throw new Error(`building reclink.wasm failed: ${error.message}\n${stderr.toString()}`);
}

function modified(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -Infinity;
  }
}
