import { describe, expect, it } from 'vitest';
import { answer } from '../src/check/answer.js';
import { checkDerivation } from '../src/check/check.js';
import { exampleDerivation, skeletonDerivation } from '../src/check/examples.js';
import type { CheckAnswer, CheckRequest } from '../src/check/protocol.js';
import type { CheckReport } from '../src/check/report.js';
import { annotateLines, reportSummary } from '../src/lab/check-annotations.js';
import { CheckRunner, type CheckWorker, type Timers } from '../src/lab/check-runner.js';
import { LabLoop } from '../src/lab/loop.js';
import type { LabEvent } from '../src/lab/protocol.js';
import { jsBackend } from '../src/linalg/js-backend.js';
import { replaceLine, RIGHT_T2, setting } from './check-helpers.js';
import { blobDataset } from './lab-helpers.js';

/** A worker run by hand: it answers when told to. */
class FakeWorker implements CheckWorker {
  readonly requests: CheckRequest[] = [];
  terminated = false;
  private readonly listeners = { message: [] as ((event: { data: CheckAnswer }) => void)[], error: [] as ((event: { message?: string }) => void)[] };

  postMessage(request: CheckRequest): void {
    this.requests.push(request);
  }
  terminate(): void {
    this.terminated = true;
  }
  addEventListener(type: 'message' | 'error', listener: never): void {
    (this.listeners[type] as unknown[]).push(listener);
  }
  say(data: CheckAnswer): void {
    for (const listener of this.listeners.message) listener({ data });
  }
  fail(message: string): void {
    for (const listener of this.listeners.error) listener({ message });
  }
}

/** Timers that fire only when told to. */
function fakeTimers(): Timers & { fire(): void; pending(): number } {
  const tasks = new Map<number, () => void>();
  let next = 0;
  return {
    set: (task) => tasks.set(++next, task) && next,
    clear: (handle) => void tasks.delete(handle as number),
    fire: () => [...tasks.values()].forEach((task) => task()),
    pending: () => tasks.size,
  };
}

const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function runner() {
  const workers: FakeWorker[] = [];
  const timers = fakeTimers();
  const checks = new CheckRunner(() => workers[workers.push(new FakeWorker()) - 1], timers, 5_000);
  return { checks, workers, timers };
}

const request: CheckRequest = { text: RIGHT_T2, setting: setting(2) };

describe("the lab's derivation checker", () => {
  it('runs each check in its worker once it is ready, and keeps the worker for the next', async () => {
    const { checks, workers, timers } = runner();
    const first = checks.check(request);
    await flush();
    expect(workers[0].requests).toEqual([]); // math.js is still loading
    workers[0].say({ type: 'ready' });
    await flush();
    expect(workers[0].requests).toEqual([request]);
    workers[0].say(answer(request));
    expect((await first).ok).toBe(true);
    expect(timers.pending()).toBe(0);

    const second = checks.check({ ...request, text: replaceLine(RIGHT_T2, 'G_Y', '2 * (X - Y)') });
    await flush();
    workers[0].say(answer(workers[0].requests[1]));
    expect((await second).ok).toBe(false);
    expect(workers).toHaveLength(1);
  });

  it('stops a check at the time limit, says so, and starts a new worker for the next', async () => {
    const { checks, workers, timers } = runner();
    const slow = checks.check(request);
    await flush();
    workers[0].say({ type: 'ready' });
    await flush();
    timers.fire();
    expect(await slow).toEqual({ ok: false, gradients: [], lines: [], error: { line: null, column: null, message: 'the evaluation took longer than 5 s and was stopped: a smaller batch, or fewer or smaller products, check faster' } });
    expect(workers[0].terminated).toBe(true);
    const next = checks.check(request);
    await flush();
    expect(workers).toHaveLength(2);
    workers[1].say({ type: 'ready' });
    await flush();
    workers[1].say(answer(request));
    expect((await next).ok).toBe(true);
  });

  it('one check at a time: the second is sent when the first has ended', async () => {
    const { checks, workers } = runner();
    const first = checks.check(request);
    const second = checks.check({ ...request, text: 'a = 1' });
    await flush();
    workers[0].say({ type: 'ready' });
    await flush();
    expect(workers[0].requests).toHaveLength(1);
    workers[0].say(answer(request));
    await first;
    await flush();
    expect(workers[0].requests.map((r) => r.text)).toEqual([RIGHT_T2, 'a = 1']);
    workers[0].say(answer(workers[0].requests[1]));
    expect((await second).error?.message).toMatch(/^missing results/);
  });

  it('a worker that cannot start, fails, or refuses the setting gives a report that says so', async () => {
    const { checks, workers } = runner();
    const unborn = checks.check(request);
    await flush();
    workers[0].fail('the script did not load');
    expect((await unborn).error?.message).toBe('the checker could not start: the script did not load');
    const crashed = checks.check(request);
    await flush();
    workers[1].say({ type: 'ready' });
    await flush();
    workers[1].fail('out of memory');
    expect((await crashed).error?.message).toBe('the checker stopped: out of memory');
    expect(workers[1].terminated).toBe(true);
    const refused = checks.check({ ...request, setting: { ...request.setting, x: { rows: 0, cols: 225, data: new Float64Array(0) } } });
    await flush();
    workers[2].say({ type: 'ready' });
    await flush();
    workers[2].say(answer(workers[2].requests[0]));
    expect((await refused).error?.message).toBe('the batch is 0 × 225, expected N × 225 with N ≥ 1');
  });
});

describe("the lab's verdicts beside the lines", () => {
  it('✓ or ✗ with the diagnosis on the lines judged, the shape of a name of your own, nothing on comments', () => {
    const text = `# mine\nU = Z_in + Z_rec1\n${replaceLine(RIGHT_T2, 'dW_rec', "d_rec2' * U")}`;
    const report = checkDerivation(text, setting(2));
    const annotations = annotateLines(report, text.split('\n').length);
    expect(annotations[0]).toEqual({ kind: 'none', text: '' });
    expect(annotations[1]).toEqual({ kind: 'free', text: '4 × 75' });
    expect(annotations[3]).toEqual({ kind: 'right', text: '✓ right (relative error 0)' });
    const dwRec = annotations[text.split('\n').findIndex((l) => l.startsWith('dW_rec'))];
    expect(dwRec.kind).toBe('wrong');
    expect(dwRec.text).toMatch(/^✗ relative error [\d.]+: only the last cycle's term .* the mistake is on line 13$/);
    expect(reportSummary(report)).toBe('6 of 7 gradients are right.');
  });

  it('the error on its line, or in the summary when the whole file is at fault', () => {
    const broken = checkDerivation(RIGHT_T2.replace('G_S = d_out * W_out', 'G_S = d_out * (W_out'), setting(2));
    expect(annotateLines(broken, 17)[5]).toEqual({ kind: 'error', text: '✗ column 21: syntax error: Parenthesis ) expected' });
    expect(reportSummary(broken)).toBe('Not checked: line 6, column 21: syntax error: Parenthesis ) expected.');
    const missing: CheckReport = checkDerivation('G_Y = 2 * (Y - X)\n', setting(2));
    expect(annotateLines(missing, 2).map((a) => a.kind)).toEqual(['right', 'none']);
    expect(reportSummary(missing)).toMatch(/^Not checked: missing results dW_in, .*\.$/);
  });

  it('the skeleton names what is bound and required, and stops at its first empty line', () => {
    const skeleton = skeletonDerivation({ cycles: 3, outputActivation: 'sigmoid', linkBias: true });
    expect(skeleton).toContain('# Bound: X, Y, S, A_in, Z_in, X_red, A_link, Z_link, A_out, A_rec1, Z_rec1, A_rec2, Z_rec2, A_rec3, Z_rec3, W_in, b_in, W_link, b_link, W_rec, b_rec, W_out, b_out (biases 1 × n).');
    expect(skeleton).toContain('# Required: dW_in, db_in, dW_link, db_link, dW_rec, db_rec, dW_out, db_out.');
    expect(skeleton.split('\n').filter((l) => l.endsWith(' = '))).toHaveLength(17);
    expect(checkDerivation(skeleton, setting(3, 'sigmoid', true)).error).toEqual({ line: 6, column: 7, message: 'syntax error: Unexpected end of expression' });
  });
});

describe('the training worker loop sends the network and batch to check on', () => {
  it('null before any data; then the weights and the last batch, on which the correct example checks', async () => {
    const events: LabEvent[] = [];
    const loop = new LabLoop({
      post: (event) => events.push(event),
      defer: () => {},
      now: () => 0,
      makeBackend: async () => jsBackend,
      loadBundled: async () => blobDataset(),
      loadFiles: async () => blobDataset(),
    });
    const settings = (): Extract<LabEvent, { type: 'check-setting' }>[] => events.filter((e): e is Extract<LabEvent, { type: 'check-setting' }> => e.type === 'check-setting');
    await loop.handle({ type: 'check-setting' });
    expect(settings()).toEqual([{ type: 'check-setting', setting: null, step: 0 }]);
    await loop.handle({ type: 'data', files: [] });
    await loop.handle({ type: 'step' });
    await loop.handle({ type: 'check-setting' });
    const { setting: sent, step } = settings()[1];
    expect(step).toBe(1);
    expect(sent?.x.rows).toBe(Math.min(64, blobDataset().train.rows));
    expect(Object.keys(sent?.parameters ?? {})).toEqual(['input.weight', 'input.bias', 'link.weight', 'rec.weight', 'rec.bias', 'output.weight', 'output.bias']);
    if (!sent) throw new Error('no setting');
    expect(checkDerivation(exampleDerivation('correct', sent.config), sent).ok).toBe(true);
    expect(checkDerivation(exampleDerivation('exercise', sent.config), sent).ok).toBe(false);
  });
});
