import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileError } from './fs-errors.js';

/**
 * Makes the folder `path` and its missing parents, one at a time; a failure is one
 * ReclinkError naming the folder that could not be made. (Node's `mkdirSync(path,
 * { recursive: true })` never returns where mkdir fails with ENOENT though the parent
 * exists, as in /proc.)
 */
export function makeFolders(path: string): void {
  const missing: string[] = [];
  for (let folder = resolve(path); !existsSync(folder); folder = dirname(folder)) missing.unshift(folder);
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw fileError('write', folder, error);
    }
  }
}
