import type { Optimizer, OptimizerJson, Trainable } from './optimizer.js';
import type { Progress } from './trainer-state.js';
import { Snapshot, type NamedMatrices } from './tensors.js';

/**
 * The rollback point of a run: the last good weights, optimizer state and progress, kept in
 * memory for the divergence guard, copied into buffers allocated once (it is saved once an
 * epoch, not every step). Not a checkpoint: checkpoints are the files a run writes.
 */
export class RollbackPoint {
  private readonly weights: Snapshot;
  private readonly optimizerTensors: Snapshot;
  private optimizerJson: OptimizerJson;
  private progress: Progress;

  /** Allocates the copies and saves the current state. A new one is needed when the optimizer's buffers change. */
  constructor(
    model: Trainable,
    weights: NamedMatrices,
    private readonly optimizer: Optimizer,
    progress: Progress,
  ) {
    this.weights = new Snapshot(weights, model.backend);
    this.optimizerTensors = new Snapshot(optimizer.state().tensors, model.backend);
    this.optimizerJson = optimizer.state().json;
    this.progress = { ...progress };
    this.save(progress);
  }

  save(progress: Progress): void {
    this.weights.save();
    this.optimizerTensors.save();
    this.optimizerJson = this.optimizer.state().json;
    this.progress = { ...progress };
  }

  /** Puts the weights and optimizer state back; returns the progress they belong to. */
  restore(): Progress {
    this.weights.restore();
    this.optimizer.loadState({ tensors: this.optimizerTensors.saved, json: this.optimizerJson });
    return { ...this.progress };
  }
}
