import { MultiBar, Presets } from 'cli-progress';
import type { EpochEvent } from '../train/events.js';
import type { Trainer } from '../train/trainer.js';

/**
 * How `reclink train` shows its progress: `json`, a JSON line an epoch on stdout; `bar`, a
 * progress bar on stderr (a terminal) with samples/s, the loss and the time left, and the
 * epochs' lines above it; `lines`, a plain line an epoch on stdout.
 */
export type ProgressMode = 'json' | 'bar' | 'lines';

/** Where progress goes: stdout and stderr, or streams standing in for them. */
export interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

/** `json` when asked for, else `bar` when stderr is a terminal, else `lines`. */
export function progressMode(json: boolean, err: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): ProgressMode {
  return json ? 'json' : err.isTTY === true ? 'bar' : 'lines';
}

/**
 * Shows `trainer`'s progress from now on; returns a function that ends the display (call it
 * before printing more). `normalized`: the trainer sees normalised data, so its losses are
 * in normalised units, which the epoch lines then say.
 */
export function showProgress(trainer: Trainer, mode: ProgressMode, streams: Streams, normalized = false): () => void {
  const { epochs } = trainer.options;
  if (mode === 'json') return trainer.on('epoch', (e) => streams.out.write(`${JSON.stringify({ event: 'epoch', epochs, ...e })}\n`));
  if (mode === 'lines') return trainer.on('epoch', (e) => streams.out.write(`${epochLine(e, epochs, normalized)}\n`));
  return showBar(trainer, streams.err, normalized);
}

/**
 * One epoch in words: `epoch 3/10  train loss 1.949  val loss 1.744  val MSE/pixel 0.00775  lr 0.001  3.3 s  best`;
 * with `normalized`, `val MSE/pixel 0.0775 (normalized)`: the final test line is in the data's units.
 */
export function epochLine(e: EpochEvent, epochs: number, normalized = false): string {
  const parts = [
    `epoch ${e.epoch}/${epochs}`,
    `train loss ${e.trainLoss.toPrecision(4)}`,
    `val loss ${e.valLoss.toPrecision(4)}`,
    `val MSE/pixel ${e.valMse.toPrecision(3)}${normalized ? ' (normalized)' : ''}`,
    `lr ${Number(e.lr.toPrecision(3))}`,
    `${e.seconds.toFixed(1)} s`,
  ];
  return [...parts, ...(e.best ? ['best'] : [])].join('  ');
}

function showBar(trainer: Trainer, err: NodeJS.WritableStream, normalized: boolean): () => void {
  const { epochs } = trainer.options;
  const bars = new MultiBar(
    {
      stream: err,
      format: 'epoch {epoch}/{epochs} {bar} {percentage}% | {speed} samples/s | loss {loss} | {eta_formatted} left',
      barsize: 20,
      etaBuffer: trainer.stepsPerEpoch,
      hideCursor: true,
      clearOnComplete: true,
      gracefulExit: false,
    },
    Presets.shades_classic,
  );
  const { epochsDone, globalStep } = trainer.position;
  const bar = bars.create(epochs * trainer.stepsPerEpoch, globalStep, { epoch: epochsDone + 1, epochs, speed: '-', loss: '-' });
  const unsubscribe = [
    trainer.on('batch', (e) => bar.update(e.globalStep, { epoch: e.epoch, speed: Math.round(e.samplesPerSec), loss: e.loss.toPrecision(4) })),
    trainer.on('epoch', (e) => bars.log(`${epochLine(e, epochs, normalized)}\n`)),
  ];
  return () => {
    for (const off of unsubscribe) off();
    bars.update(); // prints the epoch lines still buffered
    bars.stop();
  };
}
