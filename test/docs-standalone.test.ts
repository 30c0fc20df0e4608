// The repository stands alone: its documents and sources cite only what it holds.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './cli-helpers.js';

const DOCUMENTS = ['README.md', 'bench/README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const SOURCE_FOLDERS = ['src', 'web', 'assembly'];
const SOURCE_FILES = ['bench/torch_peer.py'];

/** What points outside the repository: the team's notes beside it, their names, or the tracker. */
const OUTSIDE = [/\.\.\/shared/, /\bSPEC\b/, /PERF\.md/, /STYLE\.md/, /INTEROP\.md/, /\bissue/i];

function filesUnder(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|py|md|html|css)$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

function outsideReferences(file: string): string[] {
  return readFileSync(join(root, file), 'utf8')
    .split('\n')
    .flatMap((line, i) => (OUTSIDE.some((pattern) => pattern.test(line)) ? [`${file}:${i + 1}: ${line.trim()}`] : []));
}

describe('the repository stands alone', () => {
  it('README, bench/README.md and docs/ cite nothing outside the repository', () => {
    expect(DOCUMENTS.flatMap(outsideReferences)).toEqual([]);
    expect(DOCUMENTS).toContain('docs/pytorch-peer.md');
  });

  it('every relative link in them leads to a file of the repository', () => {
    const broken = DOCUMENTS.flatMap((file) => {
      const links = [...readFileSync(join(root, file), 'utf8').matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]);
      return links
        .filter((link) => !/^[a-z]+:/.test(link))
        .filter((link) => {
          const target = resolve(root, dirname(file), link);
          return relative(root, target).startsWith('..') || !existsSync(target);
        })
        .map((link) => `${file}: ${link}`);
    });
    expect(broken).toEqual([]);
  });

  it('comments and help texts of the sources cite docs/, not notes outside the repository', () => {
    const files = [...SOURCE_FOLDERS.flatMap(filesUnder), ...SOURCE_FILES];
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap(outsideReferences)).toEqual([]);
  });
});
