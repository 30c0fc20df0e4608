import { CHECK_TIME_LIMIT_MS, timedOut, wholeFile, type CheckAnswer, type CheckRequest } from '../check/protocol.js';
import type { CheckReport } from '../check/report.js';
import { ReclinkError } from '../errors.js';

/** What the runner needs of a worker (a Web Worker in the page). */
export interface CheckWorker {
  postMessage(request: CheckRequest): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (event: { data: CheckAnswer }) => void): void;
  addEventListener(type: 'error', listener: (event: { message?: string }) => void): void;
}

/** Timers, given so that tests need not wait. */
export interface Timers {
  set(task: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const GLOBAL_TIMERS: Timers = {
  set: (task, ms) => setTimeout(task, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A started worker: ready once it has loaded math.js; then each answer goes to the check waiting for it. */
class Thread {
  readonly ready: Promise<void>;
  waiting: ((outcome: { report: CheckReport } | { failure: string }) => void) | null = null;

  constructor(readonly worker: CheckWorker) {
    this.ready = new Promise((resolve, reject) => {
      worker.addEventListener('message', ({ data }) => {
        if (data.type === 'ready') resolve();
        else this.waiting?.(data.type === 'report' ? { report: data.report } : { failure: data.message });
      });
      worker.addEventListener('error', (event) => {
        const message = event.message || 'it could not start';
        reject(new ReclinkError(message));
        this.waiting?.({ failure: `the checker stopped: ${message}` });
      });
    });
  }
}

/**
 * The lab's checker: `checkDerivation` in a worker, one check at a time. A check over the time
 * limit stops the worker (math.js cannot be interrupted) and gives a report saying so; the
 * next check starts another. Every outcome is a report: the page shows it beside the lines.
 */
export class CheckRunner {
  private thread: Thread | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly startWorker: () => CheckWorker,
    private readonly timers: Timers = GLOBAL_TIMERS,
    private readonly limitMs = CHECK_TIME_LIMIT_MS,
  ) {}

  /** Checks `request` once the checks before it have ended. */
  check(request: CheckRequest): Promise<CheckReport> {
    const report = this.queue.then(() => this.run(request));
    this.queue = report;
    return report;
  }

  private async run(request: CheckRequest): Promise<CheckReport> {
    const thread = (this.thread ??= new Thread(this.startWorker()));
    try {
      await thread.ready;
    } catch (error) {
      this.stop();
      return wholeFile(`the checker could not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    return new Promise((resolve) => {
      const timer = this.timers.set(() => {
        this.stop();
        resolve(timedOut(this.limitMs));
      }, this.limitMs);
      thread.waiting = (outcome) => {
        this.timers.clear(timer);
        thread.waiting = null;
        if ('report' in outcome) return resolve(outcome.report);
        this.stop();
        resolve(wholeFile(outcome.failure));
      };
      thread.worker.postMessage(request);
    });
  }

  /** Stops the worker; the next check starts a new one. */
  stop(): void {
    this.thread?.worker.terminate();
    this.thread = null;
  }
}
