// The derivation checker's worker ("Your derivation"): math.js evaluates the learner's formulas
// here, where the page can stop it (`CheckRunner`) when a check takes too long.
import { answer } from '../src/check/answer.js';
import type { CheckAnswer, CheckRequest } from '../src/check/protocol.js';

/** The part of a dedicated worker's global scope used here (the DOM library types `self` as a window). */
interface WorkerScope {
  postMessage(answer: CheckAnswer): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<CheckRequest>) => void): void;
}

const scope = self as unknown as WorkerScope;
scope.addEventListener('message', (event) => scope.postMessage(answer(event.data)));
scope.postMessage({ type: 'ready' });
