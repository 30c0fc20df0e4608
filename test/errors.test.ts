import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Normalizer } from '../src/data/normalize.js';
import { selectSamples } from '../src/data/split.js';
import { InternalError, ReclinkError } from '../src/errors.js';
import { encodeCheckpoint } from '../src/io/checkpoint-format.js';
import { jsBackend } from '../src/linalg/js-backend.js';
import { zeros } from '../src/linalg/matrix.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { Dense } from '../src/nn/dense.js';

// What a user of the library can cause is a ReclinkError (one line, what is wrong and what was
// expected); what only a bug can cause is an InternalError, whose message says "bug:".

function thrown(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

describe('errors', () => {
  it('the library throws no plain Error: each is a ReclinkError or an InternalError', () => {
    const plain = sources('src').filter((file) => /\bnew Error\(/.test(readFileSync(file, 'utf8')));
    expect(plain).toEqual([]);
  });

  it('misuse through the public API is a ReclinkError', () => {
    const dense = new Dense({ name: 'd.weight', value: zeros(2, 3, 'float64'), grad: zeros(2, 3, 'float64') }, null, 'relu', jsBackend, 'float64');
    const net = new RecLinkNet({ hiddenSize: 6, seed: 0 });
    const data = { x: zeros(2, 225), source: 'two zero samples' };
    const misuses = [
      () => dense.backward(zeros(1, 2, 'float64'), null),
      () => net.lastInput(),
      () => Normalizer.fit('minmax', zeros(0, 225)),
      () => selectSamples(data, [2]),
      () => encodeCheckpoint(net, { metadata: { config: '{}' } }),
    ];
    for (const misuse of misuses) expect(thrown(misuse)).toBeInstanceOf(ReclinkError);
  });

  it('an InternalError says it is a bug', () => {
    const error = new InternalError('the trainer took no step');
    expect(error.message).toBe('bug: the trainer took no step');
    expect(error).not.toBeInstanceOf(ReclinkError);
  });
});
