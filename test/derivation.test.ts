import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DERIVATION_PATH, derivationMarkdown, exampleFiles } from '../src/docs/derivation.js';

const root = fileURLToPath(new URL('..', import.meta.url));
let generated = '';

describe('docs/derivation.md', () => {
  beforeAll(() => {
    generated = derivationMarkdown();
  });

  it('is what the generator writes today', () => {
    const committed = readFileSync(DERIVATION_PATH, 'utf8');
    expect(generated, 'docs/derivation.md is stale: run `npm run docs`').toBe(committed);
  });

  it('links the example derivations, as the generator writes them today', () => {
    for (const { path, text } of exampleFiles()) {
      const name = path.slice(path.lastIndexOf('/') + 1);
      expect(generated).toContain(`](${name})`);
      expect(readFileSync(path, 'utf8'), `docs/${name} is stale: run \`npm run docs\``).toBe(text);
    }
  });

  it('names files that exist and code that they declare', () => {
    const files = [...generated.matchAll(/`(src\/[\w/.-]+\.ts)`/g)].map((m) => m[1]);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect(existsSync(join(root, file)), file).toBe(true);

    const references = [...generated.matchAll(/`(src\/[\w/.-]+\.ts)` `(\w+)(?:\.(\w+))?`/g)];
    expect(references.length).toBeGreaterThan(10);
    for (const [, file, name, member] of references) {
      const source = readFileSync(join(root, file), 'utf8');
      if (member === undefined) {
        expect(source, `${file} ${name}`).toMatch(new RegExp(`\\b${name}\\(`));
      } else {
        expect(source, `${file} ${name}`).toMatch(new RegExp(`class ${name}\\b`));
        expect(source, `${file} ${name}.${member}`).toMatch(new RegExp(`^  ${member}\\(`, 'm'));
      }
    }
  });
});
