/** One epoch's results, as the history keeps them and reports plot them. */
export interface EpochRecord {
  /** Counted from 1. */
  epoch: number;
  /** Mean sum-squared error per sample over the epoch's batches (each before its update). */
  trainLoss: number;
  /** Sum-squared error per sample on the validation set, after the epoch. */
  valLoss: number;
  /** Squared error per pixel on the validation set (valLoss / inputSize). */
  valMse: number;
  /** The learning rate of the epoch's last step. */
  lr: number;
}

/** After every optimizer step. */
export interface BatchEvent {
  /** Counted from 1. */
  epoch: number;
  /** Step within the epoch, counted from 1. */
  step: number;
  stepsPerEpoch: number;
  /** Steps since the start of training. */
  globalStep: number;
  /** Sum-squared error per sample of this batch, before the update. */
  loss: number;
  /** The learning rate of this step. */
  lr: number;
  /** Samples seen so far in this epoch. */
  samples: number;
  /** Training speed since the epoch started (or training resumed). */
  samplesPerSec: number;
}

/** After every epoch's validation. */
export interface EpochEvent extends EpochRecord {
  /** Wall time of the epoch (since it started or training resumed), validation included. */
  seconds: number;
  /** Whether this epoch is the new best by validation loss. */
  best: boolean;
}

/**
 * A value that was not finite: training stopped. A bad `loss` or `gradient norm` is caught
 * before its step's update, so the weights are those from before that step. A bad
 * `weight norm` (an update overflowed), `optimizer state` (a buffer overflowed: checked at
 * each epoch's end and before a requested stop) or `validation loss` comes after updates:
 * the weights, optimizer state and progress of the rollback point (the latest
 * epoch's end, or where training started or resumed) are restored.
 */
export interface Divergence {
  /** What was not finite. */
  quantity: 'loss' | 'gradient norm' | 'weight norm' | 'optimizer state' | 'validation loss';
  /** Its value: NaN or Infinity. */
  value: number;
  /** The epoch (from 1) and the step within it (from 1) where it was found. */
  epoch: number;
  step: number;
  /** The weights and optimizer state kept are those after this many steps. */
  keptStep: number;
  /** One line that says all of this. */
  message: string;
}

/** Why training ended. `completed`: every epoch ran. */
export type StopReason = 'completed' | 'early-stopping' | 'requested' | 'diverged';

/** When training ends before its last epoch. */
export interface StopEvent {
  reason: Exclude<StopReason, 'completed'>;
  /** Epochs and steps completed. */
  epochs: number;
  globalStep: number;
}

/** The trainer's events and what each carries. */
export interface TrainerEvents {
  batch: BatchEvent;
  epoch: EpochEvent;
  diverged: Divergence;
  stopped: StopEvent;
}

/** A handler of events of type T. */
export type Listener<T> = (event: T) => void;

/** A tiny typed event emitter. */
export class Emitter<Events> {
  private readonly listeners: { [K in keyof Events]?: Listener<Events[K]>[] } = {};

  /** Calls `listener` on every `name` event; returns a function that unsubscribes it. */
  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    const list = (this.listeners[name] ??= []);
    list.push(listener);
    return () => {
      const i = list.indexOf(listener);
      if (i >= 0) list.splice(i, 1);
    };
  }

  /** Whether anyone listens to `name` (to skip building events nobody reads). */
  has<K extends keyof Events>(name: K): boolean {
    return (this.listeners[name]?.length ?? 0) > 0;
  }

  emit<K extends keyof Events>(name: K, event: Events[K]): void {
    for (const listener of this.listeners[name] ?? []) listener(event);
  }
}
