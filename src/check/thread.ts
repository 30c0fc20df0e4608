// A worker thread that checks derivations (see `checkInThread`): math.js's evaluation cannot
// be interrupted, so the calling thread stops this one when a check takes too long.
import { parentPort } from 'node:worker_threads';
import { answer } from './answer.js';
import type { CheckAnswer, CheckRequest } from './protocol.js';

const port = parentPort;
if (port) {
  port.on('message', (request: CheckRequest) => port.postMessage(answer(request) satisfies CheckAnswer));
  port.postMessage({ type: 'ready' } satisfies CheckAnswer);
}
