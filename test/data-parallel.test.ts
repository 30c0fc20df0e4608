import { EventEmitter } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsBackend } from '../src/linalg/js-backend.js';
import { zeros, type Matrix } from '../src/linalg/matrix.js';
import { loadWasmBackend } from '../src/linalg/select-backend.js';
import { attachWasmBackend, type WasmBackend } from '../src/linalg/wasm/wasm-backend.js';
import type { RecLinkConfig } from '../src/model/config.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import type { LossReduction } from '../src/nn/loss.js';
import { Random } from '../src/random.js';
import { DataParallel, replicaReady } from '../src/train/data-parallel.js';
import { BLOCK_ROWS, sliceOf } from '../src/train/replica-protocol.js';
import { Sgd } from '../src/train/sgd.js';
import { Trainer } from '../src/train/trainer.js';
import { randomMatrix, relativeError } from './helpers.js';

let backend: WasmBackend;
const opened: DataParallel[] = [];

beforeAll(async () => {
  backend = await loadWasmBackend({ threads: 1 });
});

afterAll(async () => {
  await Promise.all(opened.map((p) => p.close()));
});

async function start(net: RecLinkNet, threads: number, replicaBytes?: number): Promise<DataParallel> {
  const parallel = await DataParallel.start(net, threads, { replicaBytes });
  opened.push(parallel);
  return parallel;
}

function batch(rows: number, cols: number, seed: number): Matrix {
  const x = backend.alloc(rows, cols, 'float32');
  x.data.set(randomMatrix(rows, cols, Random.fromSeed(seed), 'float32', 0, 1).data);
  return x;
}

function gradients(net: RecLinkNet): Float32Array[] {
  return net.parameters.map((p) => Float32Array.from(p.grad.data));
}

const SMALL: Partial<RecLinkConfig> = { inputSize: 50, hiddenSize: 13, linkStride: 4, cycles: 3, linkBias: true, outputActivation: 'sigmoid', seed: 3 };

describe('DataParallel', () => {
  it.each([
    [2, 1, 'sum'], [2, 5, 'mean'], [2, 64, 'sum'], [2, 257, 'mean'], [3, 2, 'sum'], [3, 130, 'mean'], [1, 200, 'sum'],
  ] as const)('on %i threads, a batch of %i (%s): the loss and every gradient of the whole batch at once', async (threads, rows, reduction: LossReduction) => {
    const whole = new RecLinkNet({ seed: 1 }, { backend });
    const net = new RecLinkNet({ seed: 1 }, { backend });
    const parallel = await start(net, threads);
    const x = batch(rows, 225, rows);
    const expected = whole.computeGradients(x, reduction).loss;
    const { loss } = parallel.computeGradients(x, reduction);
    expect(Math.abs(loss - expected) / expected).toBeLessThan(1e-5);
    const want = gradients(whole);
    gradients(net).forEach((g, i) => expect(relativeError(g, want[i]), net.parameters[i].name).toBeLessThan(1e-5));
  });

  it('works for any configuration, and replaces (not adds to) the last gradients', async () => {
    const whole = new RecLinkNet(SMALL, { backend });
    const net = new RecLinkNet(SMALL, { backend });
    const parallel = await start(net, 2);
    for (const seed of [1, 2]) {
      const x = batch(99, 50, seed);
      whole.computeGradients(x, 'sum');
      parallel.computeGradients(x, 'sum');
    }
    const want = gradients(whole);
    gradients(net).forEach((g, i) => expect(relativeError(g, want[i]), net.parameters[i].name).toBeLessThan(1e-5));
  });

  it('gives the same bits on every run with the same thread count, a batch from outside the memory copied in', async () => {
    const run = async (): Promise<Float32Array[]> => {
      const net = new RecLinkNet({ seed: 5 }, { backend });
      const parallel = await start(net, 2);
      const optimizer = new Sgd(net, { lr: 0.01, momentum: 0.9 });
      const outside = randomMatrix(150, 225, Random.fromSeed(9), 'float32', 0, 1); // not in the memory
      for (let step = 0; step < 3; step++) {
        parallel.computeGradients(outside, 'mean');
        optimizer.step();
      }
      return net.parameters.map((p) => Float32Array.from(p.value.data));
    };
    expect(await run()).toEqual(await run());
  });

  it('trains as the model alone does, through a Trainer', async () => {
    const data = randomMatrix(300, 225, Random.fromSeed(4), 'float32', 0, 1);
    const validation = randomMatrix(40, 225, Random.fromSeed(5), 'float32', 0, 1);
    const losses = async (threads: number): Promise<number[]> => {
      const net = new RecLinkNet({ seed: 2 }, { backend });
      const gradients = threads > 1 ? await start(net, threads) : null;
      const trainer = new Trainer(net, new Sgd(net, { lr: 0.5 }), data, validation, { epochs: 3, batchSize: 100, reduction: 'mean', gradients });
      trainer.run();
      return trainer.history.map((r) => r.valLoss);
    };
    const alone = await losses(1);
    const parallel = await losses(2);
    parallel.forEach((l, i) => expect(Math.abs(l - alone[i]) / alone[i]).toBeLessThan(1e-4));
    expect(alone[2]).toBeLessThan(alone[0]);
  });

  it('names what is wrong with a batch, and the replicas stay ready', async () => {
    const net = new RecLinkNet({ seed: 1 }, { backend });
    const parallel = await start(net, 2);
    expect(() => parallel.computeGradients(batch(4, 224, 1))).toThrow('input has 224 columns, the model expects 225 (inputSize)');
    expect(() => parallel.computeGradients(zeros(0, 225, 'float32'))).toThrow('input has no rows, expected at least one sample');
    expect(() => parallel.computeGradients({ rows: 3, cols: 225, data: new Float32Array(10) })).toThrow('input holds 10 values, expected 3 × 225');
    expect(Number.isFinite(parallel.computeGradients(batch(8, 225, 1)).loss)).toBe(true);
  });

  it('reports a replica that fails, by its reason, and a closed DataParallel refuses work', async () => {
    // Room for a replica's gradients, not for its activations: the first step fails in the replica.
    const net = new RecLinkNet({ seed: 1 }, { backend });
    const parallel = await start(net, 2, 400_000);
    expect(() => parallel.computeGradients(batch(128, 225, 1))).toThrow(/data-parallel replica 1 failed: data-parallel replica 1's memory \(replicaBytes\) is full: \d+ bytes needed, 400000 available/);
    await parallel.close();
    expect(() => parallel.computeGradients(batch(8, 225, 1))).toThrow('this DataParallel is closed');
  });

  it('reports a replica that cannot start', async () => {
    const net = new RecLinkNet({ seed: 1 }, { backend });
    await expect(DataParallel.start(net, 2, { replicaBytes: 100_000 })).rejects.toThrow(/a replica failed to start: data-parallel replica 1's memory \(replicaBytes\) is full/);
    await expect(DataParallel.start(net, 2, { replicaBytes: Number.NaN })).rejects.toThrow('replicaBytes is NaN, expected a positive integer');
  });

  it.each([
    ['its gradients', { grads: [8, 16] }, 'resolves'],
    ['why it failed', { error: 'no room' }, 'rejects'],
  ] as const)('start-up takes a replica\'s message (%s) even when the thread\'s exit is seen before it', async (_, message, outcome) => {
    // What a thread that posts and ends at once can give: the exit event, then the message.
    const { port1, port2 } = new MessageChannel();
    const thread = new EventEmitter();
    const ready = replicaReady(thread, port1);
    port2.postMessage(message);
    thread.emit('exit', 0); // the message is queued, not delivered: that takes a turn of the event loop
    if (outcome === 'resolves') await expect(ready).resolves.toEqual([8, 16]);
    else await expect(ready).rejects.toThrow('a replica failed to start: no room');
    port1.close();
  });

  it('start-up reports a replica thread that ends without a word', async () => {
    const { port1 } = new MessageChannel();
    const thread = new EventEmitter();
    const ready = replicaReady(thread, port1);
    thread.emit('exit', 1);
    await expect(ready).rejects.toThrow('a replica thread exited with code 1 before it started');
    port1.close();
  });

  it('needs a float32 model on a one-thread WebAssembly backend', async () => {
    const onJs = new RecLinkNet({ seed: 1 }, { backend: jsBackend });
    await expect(DataParallel.start(onJs, 2)).rejects.toThrow('data-parallel training needs a float32 model on a one-thread WebAssembly backend');
    const threaded = await loadWasmBackend({ threads: 2 });
    try {
      await expect(DataParallel.start(new RecLinkNet({ seed: 1 }, { backend: threaded }), 2)).rejects.toThrow('one-thread WebAssembly backend');
    } finally {
      await threaded.close();
    }
    await expect(DataParallel.start(new RecLinkNet({ seed: 1 }, { backend }), 0)).rejects.toThrow('threads is 0, expected a positive integer');
  });

});

describe('a backend attached to a region', () => {
  it('allocates only inside it, however large the memory has grown', () => {
    const region = backend.reserveRegion(65536);
    backend.alloc(1000, 1000, 'float32'); // the memory now reaches far past the region
    const attached = attachWasmBackend(backend.module, backend.memory, region);
    const m = attached.alloc(10, 10, 'float32');
    expect(attached.addressOf(m)).toBeGreaterThanOrEqual(region.start);
    expect(attached.addressOf(m) + 400).toBeLessThanOrEqual(region.end);
    expect(() => attached.alloc(200, 100, 'float32')).toThrow(/^the memory region is full: \d+ bytes needed, 65536 available$/);
    expect(() => attached.alloc(-1, 1, 'float32')).toThrow('cannot allocate -4 bytes, expected a non-negative integer');
  });
});

describe('slices and blocks', () => {
  it('cover the batch in order, without overlap, as evenly as they come', () => {
    for (const [rows, parts] of [[1, 2], [7, 3], [64, 2], [1025, 4]]) {
      const slices = Array.from({ length: parts }, (_, p) => sliceOf(rows, p, parts));
      expect(slices[0].start).toBe(0);
      expect(slices[parts - 1].end).toBe(rows);
      slices.slice(1).forEach((s, p) => expect(s.start).toBe(slices[p].end));
      const sizes = slices.map((s) => s.end - s.start);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    expect(BLOCK_ROWS).toBe(64);
  });
});
