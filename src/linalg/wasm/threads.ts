import { Worker } from 'node:worker_threads';
import { ReclinkError } from '../../errors.js';

/** The worker threads of a backend. */
export interface WorkerPool {
  /** Ends the threads (after the module's `stopWorkers`). */
  close(): Promise<void>;
}

/**
 * A worker instantiates the module on the shared memory, reports that it is ready, then
 * runs its part of every job in `workerLoop` (in WebAssembly, without returning to
 * JavaScript) until it is stopped. Inline source, so that it runs from the TypeScript
 * sources as well as from the compiled package.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, jobBlock, part, threads } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
parentPort.postMessage('ready');
instance.exports.workerLoop(jobBlock, part, threads);
`;

/**
 * Starts `threads − 1` workers on the job block at `jobBlock` and resolves once every one
 * is ready: instantiating the module writes its static data into the shared memory again
 * (the same bytes), which must not happen while a kernel reads it. The workers do not
 * keep the process alive.
 */
export async function startWorkers(module: WebAssembly.Module, memory: WebAssembly.Memory, jobBlock: number, threads: number): Promise<WorkerPool> {
  const workers = Array.from({ length: threads - 1 }, (_, i) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, jobBlock, part: i + 1, threads } });
    worker.unref();
    return worker;
  });
  await Promise.all(workers.map(ready));
  return {
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

function ready(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new ReclinkError(`a reclink worker thread exited with code ${code} before it started`)));
  });
}
