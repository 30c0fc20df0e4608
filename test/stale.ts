import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Whether `built` is missing or older than a file under any of `sources` (folders or files). */
export function isStale(built: string, ...sources: string[]): boolean {
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const newer = (path: string): boolean => {
    const info = statSync(path);
    if (!info.isDirectory()) return info.mtimeMs > builtAt;
    return readdirSync(path).some((name) => newer(join(path, name)));
  };
  return sources.some(newer);
}
