import { Worker } from 'node:worker_threads';
import { InternalError, ReclinkError } from '../errors.js';
import { CHECK_TIME_LIMIT_MS, timedOut, wholeFile, type CheckAnswer, type CheckRequest } from './protocol.js';
import type { CheckReport } from './report.js';

/** The checking thread's script, built by `npm run build` (found from `src/check` and `dist/check` alike). */
const THREAD_URL = new URL('../../dist/check/thread.js', import.meta.url);
/** The heap a check may use: more ends it with a message instead of ending the process. */
const HEAP_MB = 512;

/** How a check in a thread is bounded. */
export interface ThreadOptions {
  /** Milliseconds the check may take once the thread is ready (default `CHECK_TIME_LIMIT_MS`). */
  timeLimitMs?: number;
}

/**
 * `checkDerivation` in a worker thread, stopped after the time limit or when it fills its
 * heap: either gives a report whose `error` says so. A setting the checker refuses throws
 * its `ReclinkError`.
 */
export function checkInThread(request: CheckRequest, options: ThreadOptions = {}): Promise<CheckReport> {
  const limit = options.timeLimitMs ?? CHECK_TIME_LIMIT_MS;
  const worker = new Worker(THREAD_URL, { resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } });
  return new Promise<CheckReport>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      worker.removeAllListeners();
      void worker.terminate();
      settle();
    };
    worker.on('message', (message: CheckAnswer) => {
      if (message.type === 'ready') {
        timer = setTimeout(() => finish(() => resolve(timedOut(limit))), limit);
        worker.postMessage(request);
      } else if (message.type === 'report') {
        finish(() => resolve(message.report));
      } else {
        finish(() => reject(message.reclinkError ? new ReclinkError(message.message) : new InternalError(message.message)));
      }
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') finish(() => resolve(wholeFile(`the evaluation needed more than ${HEAP_MB} MB and was stopped`)));
      else finish(() => reject(error));
    });
    worker.on('exit', (code) => finish(() => reject(new InternalError(`the checking thread ended early (exit code ${code})`))));
  });
}
