// A data-parallel replica (see DataParallel): a model on the weights of the calling
// thread's, with gradients and activations of its own, in a region of the same memory.
// For each job it computes the gradient of its slice of the batch, then reports.
import { workerData, type MessagePort } from 'node:worker_threads';
import type { RecLinkConfig } from '../model/config.js';
import { RecLinkNet } from '../model/reclink-net.js';
import { attachWasmBackend, type MemoryRegion } from '../linalg/wasm/wasm-backend.js';
import type { Matrix } from '../linalg/matrix.js';
import {
  CALLER_WAITING, DONE, REDUCTION, SLEEPERS, SPINS, STOP, SliceBlocks, TICKET, X_ADDRESS, X_COLS, X_ROWS, lossIndex, sliceGradients, statusWord,
} from './replica-protocol.js';

/** What the calling thread gives a replica. */
export interface ReplicaData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  region: MemoryRegion;
  config: RecLinkConfig;
  /** Address, rows and columns of each parameter value, in the model's order. */
  values: { address: number; rows: number; cols: number }[];
  /** Byte address of the control block. */
  control: number;
  part: number;
  parts: number;
  /** Where the replica reports: its gradients' addresses once ready, then any error. */
  port: MessagePort;
}

const { module, memory, region, config, values, control, part, parts, port } = workerData as ReplicaData;
const REGION = `data-parallel replica ${part}'s memory (replicaBytes)`;
const words = new Int32Array(memory.buffer, control);
const losses = new Float64Array(memory.buffer, control);
const status = statusWord(part);
try {
  const backend = attachWasmBackend(module, memory, region, REGION);
  const net = new RecLinkNet(config, { backend, parameterValues: values.map((v) => backend.matrixAt(v.address, v.rows, v.cols)) });
  port.postMessage({ grads: net.parameters.map((p) => backend.addressOf(p.grad)) });
  const blocks = new SliceBlocks(part, parts);
  let x: Matrix | null = null;
  for (let seen = 0; ; ) {
    seen = awaitTicket(seen);
    if (Atomics.load(words, STOP) !== 0) break;
    try {
      const [address, rows, cols] = [words[X_ADDRESS] >>> 0, words[X_ROWS], words[X_COLS]];
      if (x === null || backend.addressOf(x) !== address || x.rows !== rows || x.cols !== cols) x = backend.matrixAt(address, rows, cols);
      losses[lossIndex(part)] = sliceGradients(net, blocks.of(x), words[REDUCTION] === 1 ? 'mean' : 'sum', rows);
      words[status] = 0;
    } catch (error) {
      words[status] = 1;
      port.postMessage({ error: error instanceof Error ? error.message : String(error) });
    }
    if (Atomics.add(words, DONE, 1) === parts - 2 && Atomics.load(words, CALLER_WAITING) !== 0) Atomics.notify(words, DONE);
  }
} catch (error) {
  port.postMessage({ error: error instanceof Error ? error.message : String(error) });
}

/** The next job's ticket, after `seen`: spinning a while, then asleep. */
function awaitTicket(seen: number): number {
  let spins = 0;
  let ticket = Atomics.load(words, TICKET);
  while (ticket === seen) {
    if (++spins > SPINS) {
      Atomics.add(words, SLEEPERS, 1);
      Atomics.wait(words, TICKET, seen);
      Atomics.sub(words, SLEEPERS, 1);
      spins = 0;
    }
    ticket = Atomics.load(words, TICKET);
  }
  return ticket;
}
