import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { epochLine, progressMode, showProgress, type ProgressMode } from '../src/cli/progress.js';
import { fromValues } from '../src/linalg/matrix.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { Random } from '../src/random.js';
import { Adam } from '../src/train/adam.js';
import { Trainer } from '../src/train/trainer.js';

/** A stream that keeps what is written to it; a terminal when `isTTY`. */
class Capture extends Writable {
  text = '';
  columns = 120;
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += String(chunk);
    done();
  }
}

/** Two epochs of a small model on random data, shown in `mode`. */
function trainShown(mode: ProgressMode): { out: Capture; err: Capture } {
  const random = Random.fromSeed(1);
  const data = fromValues(20, 12, Array.from({ length: 240 }, () => random.uniform()));
  const net = new RecLinkNet({ inputSize: 12, hiddenSize: 4 });
  const trainer = new Trainer(net, new Adam(net), data, data, { epochs: 2, batchSize: 5 });
  const streams = { out: new Capture(false), err: new Capture(mode === 'bar') };
  const end = showProgress(trainer, mode, streams);
  trainer.run();
  end();
  return streams;
}

describe('training progress', () => {
  it('is a bar when stderr is a terminal, lines when it is not, JSON when asked', () => {
    expect(progressMode(false, new Capture(true))).toBe('bar');
    expect(progressMode(false, new Capture(false))).toBe('lines');
    expect(progressMode(true, new Capture(true))).toBe('json');
  });

  it('bar: samples/s, loss and time left on stderr, the epochs above it, nothing on stdout', () => {
    const { out, err } = trainShown('bar');
    expect(out.text).toBe('');
    expect(err.text).toMatch(/epoch 2\/2 [█░]{20} 100% \| \d+ samples\/s \| loss [\d.]+ \| \d+s left/);
    expect(err.text).toMatch(/epoch 1\/2 {2}train loss [\d.]+ {2}val loss/);
    expect(err.text).toMatch(/epoch 2\/2 {2}train loss [\d.]+ {2}val loss/);
  });

  it('lines: one line an epoch on stdout', () => {
    const { out, err } = trainShown('lines');
    expect(err.text).toBe('');
    const lines = out.text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    lines.forEach((line, i) => expect(line).toMatch(new RegExp(`^epoch ${i + 1}/2  train loss [\\d.]+  val loss [\\d.]+  val MSE/pixel [\\d.]+  lr 0\\.001  [\\d.]+ s`)));
  });

  it('json: one JSON object an epoch on stdout', () => {
    const { out, err } = trainShown('json');
    expect(err.text).toBe('');
    const lines = out.text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => [l.event, l.epoch, l.epochs])).toEqual([['epoch', 1, 2], ['epoch', 2, 2]]);
    expect(Object.keys(lines[0]).sort()).toEqual(['best', 'epoch', 'epochs', 'event', 'lr', 'seconds', 'trainLoss', 'valLoss', 'valMse']);
  });

  it('an epoch line says the losses, the MSE per pixel, the learning rate, the time and whether it is the best', () => {
    const e = { epoch: 3, trainLoss: 1.94912, valLoss: 1.74437, valMse: 0.00775278, lr: 0.001, seconds: 3.345, best: true };
    expect(epochLine(e, 10)).toBe('epoch 3/10  train loss 1.949  val loss 1.744  val MSE/pixel 0.00775  lr 0.001  3.3 s  best');
    expect(epochLine({ ...e, best: false }, 10)).toBe('epoch 3/10  train loss 1.949  val loss 1.744  val MSE/pixel 0.00775  lr 0.001  3.3 s');
  });
});
