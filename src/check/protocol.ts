import { failedReport, type CheckReport } from './report.js';
import type { CheckSetting } from './truth.js';

// What a thread that checks derivations (a Node worker thread, the lab's Web Worker) is sent
// and answers (`answer.ts`). It says `ready` once math.js has loaded, so that the time limit
// counts the check alone. This module does not load math.js: the page imports it.

/** A derivation to check, and the network and batch to check it on. */
export interface CheckRequest {
  text: string;
  setting: CheckSetting;
}

/** A checking thread's answer. */
export type CheckAnswer =
  | { type: 'ready' }
  | { type: 'report'; report: CheckReport }
  /** The setting was refused (`reclinkError`: a ReclinkError's message), or the checker failed. */
  | { type: 'error'; message: string; reclinkError: boolean };

/** The largest derivation the checker reads: 64 KB of UTF-8. */
export const MAX_DERIVATION_BYTES = 64 * 1024;

/** What is wrong with a derivation of this many bytes, or null when it is not too large. */
export function sizeProblem(bytes: number): string | null {
  const count = (n: number): string => n.toLocaleString('en-US');
  return bytes > MAX_DERIVATION_BYTES ? `the derivation is ${count(bytes)} bytes, expected at most ${count(MAX_DERIVATION_BYTES)} (64 KB)` : null;
}

/** Most milliseconds a check may take before its thread is stopped. */
export const CHECK_TIME_LIMIT_MS = 10_000;

/** The report of a check stopped at the time limit. */
export function timedOut(limitMs: number): CheckReport {
  const seconds = limitMs / 1000;
  return wholeFile(`the evaluation took longer than ${seconds} s and was stopped: a smaller batch, or fewer or smaller products, check faster`);
}

/** The report of a check that could not finish: the whole file is at fault. */
export function wholeFile(message: string): CheckReport {
  return failedReport({ line: null, column: null, message });
}
