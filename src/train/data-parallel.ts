import type { EventEmitter } from 'node:events';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { Matrix } from '../linalg/matrix.js';
import { wasmBackendOf, type WasmBackend } from '../linalg/wasm/wasm-backend.js';
import { BatchMatrix } from '../nn/batch-matrix.js';
import type { RecLinkNet } from '../model/reclink-net.js';
import type { LossReduction } from '../nn/loss.js';
import { ReclinkError } from '../errors.js';
import {
  CALLER_WAITING, DONE, REDUCTION, SLEEPERS, SPINS, STOP, SliceBlocks, TICKET, X_ADDRESS, X_COLS, X_ROWS, controlWords, lossIndex, sliceGradients, statusWord,
} from './replica-protocol.js';
import type { GradientSource } from './gradient-source.js';
import type { ReplicaData } from './replica-worker.js';

/**
 * How threads share a training step: `products` splits each matrix product and kernel
 * between them (the backend's own threads; chunks go to whichever thread is free, which
 * copes with a busy machine); `data` gives each thread a fixed slice of the batch
 * (`DataParallel`: one hand-off a step, but a thread the system holds back holds up the
 * step). Both give the same bits run to run; bench/README.md compares them.
 */
export type ParallelMode = 'products' | 'data';

/** How a DataParallel is set up. */
export interface DataParallelOptions {
  /** Bytes of the memory each replica may allocate in (default 16 MiB; it needs about 1.5). */
  replicaBytes?: number;
}

/** Memory each replica allocates in: its gradients, and activations of BLOCK_ROWS rows. */
const REPLICA_BYTES = 16 * 2 ** 20;
/** The replica worker, compiled: the same path from `src/train` and `dist/train`. */
const WORKER_URL = new URL('../../dist/train/replica-worker.js', import.meta.url);

/**
 * Data-parallel gradients on worker threads: thread t of T takes rows [tN/T, (t+1)N/T) of
 * the batch and computes their gradient on a replica of the model, which shares the
 * model's weights (one WebAssembly memory) and has gradients and activations of its own;
 * the calling thread takes the first slice on the model itself, then adds the replicas'
 * gradients to its own in thread order. Each thread goes through its slice BLOCK_ROWS
 * rows at a time. One hand-off a step, each thread on its own rows: docs/speed-limits.md measured this
 * faster than splitting each product on a quiet machine; on this project's busy one,
 * splitting products (the default, `ParallelMode`) measured as fast or faster
 * (bench/README.md). The same thread count gives the same bits on every run. Node only.
 *
 * @example
 * const backend = await loadWasmBackend({ threads: 1 });
 * const net = new RecLinkNet({}, { backend });
 * const parallel = await DataParallel.start(net, 2);
 * const { loss } = parallel.computeGradients(batch); // then the optimizer's step
 * await parallel.close();
 */
export class DataParallel implements GradientSource {
  private readonly blocks: SliceBlocks;
  /** Where a batch from outside the memory is copied, for the replicas to read. */
  private readonly input: BatchMatrix;
  private closed = false;

  private constructor(
    readonly net: RecLinkNet,
    readonly threads: number,
    private readonly backend: WasmBackend,
    private readonly words: Int32Array,
    private readonly losses: Float64Array,
    private readonly workers: Worker[],
    private readonly ports: MessagePort[],
    /** Per replica, its gradients in the model's parameter order. */
    private readonly replicaGrads: Matrix[][],
  ) {
    this.blocks = new SliceBlocks(0, threads);
    this.input = new BatchMatrix(backend, net.config.inputSize, 'float32');
  }

  /**
   * Starts `threads − 1` replicas of `net`, which must compute in float32 on a one-thread
   * WebAssembly backend (its other threads are the replicas).
   */
  static async start(net: RecLinkNet, threads: number, options: DataParallelOptions = {}): Promise<DataParallel> {
    const backend = wasmBackendOf(net.backend);
    if (backend === null || backend.threads !== 1 || net.dtype !== 'float32') {
      throw new ReclinkError('data-parallel training needs a float32 model on a one-thread WebAssembly backend', 2);
    }
    if (!Number.isInteger(threads) || threads < 1) throw new ReclinkError(`threads is ${threads}, expected a positive integer`, 2);
    const replicaBytes = options.replicaBytes ?? REPLICA_BYTES;
    if (!Number.isInteger(replicaBytes) || replicaBytes < 1) throw new ReclinkError(`replicaBytes is ${replicaBytes}, expected a positive integer`, 2);
    const control = backend.reserveRegion(4 * controlWords(threads)).start;
    const words = new Int32Array(backend.memory.buffer, control, controlWords(threads));
    const losses = new Float64Array(backend.memory.buffer, control, words.length / 2);
    const values = net.parameters.map((p) => ({ address: backend.addressOf(p.value), rows: p.value.rows, cols: p.value.cols }));
    const workers: Worker[] = [];
    const started = Promise.all(
      Array.from({ length: threads - 1 }, (_, i) => {
        const { port1, port2 } = new MessageChannel();
        const data: ReplicaData = {
          module: backend.module, memory: backend.memory, region: backend.reserveRegion(replicaBytes), config: net.config, values, control,
          part: i + 1, parts: threads, port: port2,
        };
        const worker = new Worker(WORKER_URL, { workerData: data, transferList: [port2] });
        worker.unref();
        port1.unref();
        workers.push(worker);
        return replicaReady(worker, port1).then((grads) => ({ worker, port: port1, grads }));
      }),
    );
    const replicas = await started.catch(async (error: unknown) => {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    });
    const replicaGrads = replicas.map((r) => r.grads.map((address, i) => backend.matrixAt(address, net.parameters[i].grad.rows, net.parameters[i].grad.cols)));
    return new DataParallel(net, threads, backend, words, losses, workers, replicas.map((r) => r.port), replicaGrads);
  }

  /** Sets the model's gradients to ∂E/∂θ of X, summed over the threads' slices (whatever they held before); returns E. */
  computeGradients(x: Matrix, reduction: LossReduction = 'sum'): { loss: number } {
    if (this.closed) throw new ReclinkError('this DataParallel is closed');
    this.net.checkInput(x);
    const shared = this.shared(x);
    if (this.threads > 1) this.post(shared, reduction);
    let loss: number;
    try {
      loss = sliceGradients(this.net, this.blocks.of(shared), reduction, shared.rows);
    } finally {
      if (this.threads > 1) this.awaitReplicas(); // never leave them on a job when this one failed
    }
    const failed = this.failedReplica();
    if (failed !== null) throw new ReclinkError(`data-parallel replica ${failed.replica} failed: ${failed.reason}`);
    const params = this.net.parameters;
    for (let r = 1; r < this.threads; r++) {
      loss += this.losses[lossIndex(r)];
      for (let i = 0; i < params.length; i++) this.backend.add(params[i].grad, this.replicaGrads[r - 1][i], params[i].grad);
    }
    return { loss };
  }

  /** Stops the replicas. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.words, STOP, 1);
    Atomics.add(this.words, TICKET, 1);
    Atomics.notify(this.words, TICKET);
    await Promise.all(this.workers.map((w) => w.terminate()));
    for (const port of this.ports) port.close();
  }

  /** X itself when it lies in the memory, else a copy there (the replicas read it). */
  private shared(x: Matrix): Matrix {
    if (this.backend.addressOf(x) >= 0) return x;
    const copy = this.input.view(x.rows);
    copy.data.set(x.data.subarray(0, x.rows * x.cols));
    return copy;
  }

  private post(x: Matrix, reduction: LossReduction): void {
    const w = this.words;
    w[X_ADDRESS] = this.backend.addressOf(x);
    w[X_ROWS] = x.rows;
    w[X_COLS] = x.cols;
    w[REDUCTION] = reduction === 'mean' ? 1 : 0;
    Atomics.store(w, DONE, 0);
    Atomics.add(w, TICKET, 1);
    if (Atomics.load(w, SLEEPERS) > 0) Atomics.notify(w, TICKET);
  }

  private awaitReplicas(): void {
    const w = this.words;
    const replicas = this.threads - 1;
    let spins = 0;
    for (let done = Atomics.load(w, DONE); done !== replicas; done = Atomics.load(w, DONE)) {
      if (++spins > SPINS) {
        Atomics.store(w, CALLER_WAITING, 1);
        Atomics.wait(w, DONE, done);
        Atomics.store(w, CALLER_WAITING, 0);
        spins = 0;
      }
    }
  }

  /**
   * The first replica whose last job failed, with its reason: the last one it sent (an
   * earlier one may be left from a step whose own slice failed first).
   */
  private failedReplica(): { replica: number; reason: string } | null {
    let failed: { replica: number; reason: string } | null = null;
    for (let r = 1; r < this.threads; r++) {
      if (this.words[statusWord(r)] === 0) continue;
      const reasons: string[] = [];
      for (let m = receiveMessageOnPort(this.ports[r - 1]); m; m = receiveMessageOnPort(this.ports[r - 1])) {
        reasons.push((m.message as { error?: string }).error ?? 'no reason given');
      }
      failed ??= { replica: r, reason: reasons.at(-1) ?? 'no reason given' };
    }
    return failed;
  }
}

/** What a replica first sends: its gradients' addresses, or why it could not start. */
interface ReplicaStart {
  grads?: number[];
  error?: string;
}

/**
 * The replica's gradient addresses, once it has built its model: the first message of its
 * thread (`worker`, a `Worker` or any emitter of its `error` and `exit` events) on `port`.
 * A thread that fails to start posts why and ends, and its `exit` event may come before its
 * message is delivered: on exit, a message already sent is read from the port first.
 */
export function replicaReady(worker: EventEmitter, port: MessagePort): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const settle = (): void => {
      port.removeAllListeners('message');
      worker.removeAllListeners('error').removeAllListeners('exit');
    };
    const answer = (m: ReplicaStart): void => {
      settle();
      if (m.grads) resolve(m.grads);
      else reject(new ReclinkError(`a replica failed to start: ${m.error}`));
    };
    port.once('message', answer);
    worker.once('error', (error: Error) => {
      settle();
      reject(error);
    });
    worker.once('exit', (code: number) => {
      const sent = receiveMessageOnPort(port); // posted before the thread ended, not delivered yet
      if (sent) {
        answer(sent.message as ReplicaStart);
      } else {
        settle();
        reject(new ReclinkError(`a replica thread exited with code ${code} before it started`));
      }
    });
  });
}
