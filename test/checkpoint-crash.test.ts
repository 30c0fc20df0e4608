import { spawn } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../src/io/checkpoint.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { ended, printed, root } from './cli-helpers.js';
import { firstBitDifference, temporaryFolder } from './io-helpers.js';

const dir = temporaryFolder('crash');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Models of 1.5 million weights: a 6 MB checkpoint, written 1 MB a call. */
const CONFIG = { hiddenSize: 1000 };
const CHUNK = 1 << 20;

/**
 * A program that saves the model of seed 1 to `path`, then saves the model of seed 2 over
 * it and freezes inside that save, after its first megabyte: it prints `mid-write` and waits
 * to be killed. (Node's `fs.writeSync`, which the atomic write calls, is wrapped for that;
 * `syncBuiltinESMExports` makes the modules that imported it see the wrapper.)
 */
function writerProgram(path: string): string {
  const module = (file: string): string => JSON.stringify(pathToFileURL(join(root, 'dist', file)).href);
  return `
    import fs from 'node:fs';
    import { syncBuiltinESMExports } from 'node:module';
    import { saveCheckpoint } from ${module('io/checkpoint.js')};
    import { RecLinkNet } from ${module('model/reclink-net.js')};
    const writeSync = fs.writeSync;
    let freeze = false;
    fs.writeSync = (fd, bytes, offset, length) => {
      const written = writeSync(fd, bytes, offset, Math.min(length, ${CHUNK}));
      if (freeze) {
        process.stdout.write('mid-write\\n');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      }
      return written;
    };
    syncBuiltinESMExports();
    const config = ${JSON.stringify(CONFIG)};
    saveCheckpoint(${JSON.stringify(path)}, new RecLinkNet({ ...config, seed: 1 }));
    freeze = true;
    saveCheckpoint(${JSON.stringify(path)}, new RecLinkNet({ ...config, seed: 2 }));`;
}

describe('a crash while a checkpoint is written', () => {
  it('leaves the previous checkpoint whole and loadable (the writer is SIGKILLed in the middle of a save)', async () => {
    const path = join(dir, 'model.safetensors');
    const child = spawn(process.execPath, ['--input-type=module', '-e', writerProgram(path)]);
    const done = ended(child);
    await printed(child, 'mid-write');
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');

    const { net } = loadCheckpoint(path);
    for (const p of new RecLinkNet({ ...CONFIG, seed: 1 }).parameters) expect(firstBitDifference(net.parameter(p.name).value.data, p.value.data), p.name).toBe(-1);
    // The killed save's bytes went to a temporary file beside it, cut short.
    const others = readdirSync(dir).filter((name) => name !== 'model.safetensors');
    expect(others).toHaveLength(1);
    expect(others[0]).toMatch(/^\.model\.safetensors\.[0-9a-f]+\.tmp$/);
    expect(statSync(join(dir, others[0])).size).toBe(CHUNK);
  });
});
