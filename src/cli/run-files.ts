import { readFileSync } from 'node:fs';
import type { Normalizer } from '../data/normalize.js';
import { errorQuantiles, sampleErrors, type ErrorQuantiles } from '../eval/scores.js';
import type { Matrix } from '../linalg/matrix.js';
import { readSafetensors, type SafetensorsTensor } from '../io/safetensors.js';
import { RecLinkNet } from '../model/reclink-net.js';
import type { Trainer } from '../train/trainer.js';
import type { NamedMatrices } from '../train/tensors.js';
import { runConfigText, saveRunCheckpoint, type RunSettings } from './run-checkpoint.js';
import { metricsText, type RunFolder } from './run-folder.js';

/**
 * What a run writes into its folder, from its trainer: config.json, last.safetensors (the
 * trainer's state), best.safetensors (the best epoch's weights) and metrics.csv.
 */
export class RunFiles {
  /** The wall time of each epoch done. */
  readonly epochSeconds: number[];

  constructor(
    readonly folder: RunFolder,
    private readonly trainer: Trainer,
    private readonly content: { normalizer: Normalizer; run: RunSettings },
    epochSeconds: readonly number[],
  ) {
    this.epochSeconds = [...epochSeconds];
  }

  writeConfig(): void {
    this.folder.writeText('config.json', runConfigText(this.trainer.net.config, this.content.run, this.content.normalizer));
  }

  /** last.safetensors: the weights and the trainer's state, to resume from. */
  saveLast(errorQuantiles?: ErrorQuantiles): void {
    const resume = { state: this.trainer.state(), epochSeconds: this.epochSeconds };
    saveRunCheckpoint(this.folder.file('last.safetensors'), this.trainer.net, { ...this.content, resume, errorQuantiles });
  }

  /** best.safetensors: the model's weights, when they are the best epoch's. */
  saveBest(net: RecLinkNet = this.trainer.net, errorQuantiles?: ErrorQuantiles): void {
    saveRunCheckpoint(this.folder.file('best.safetensors'), net, { ...this.content, errorQuantiles });
  }

  /**
   * Rewrites last.safetensors and best.safetensors with the quantiles of the training
   * samples' errors (`trainX`, in the data's units), each for its own weights: `reclink
   * score`'s thresholds. Returns the errors with the last weights.
   */
  recordErrorQuantiles(trainX: Matrix): Float64Array {
    const { net } = this.trainer;
    const errors = sampleErrors(net, trainX, this.content.normalizer);
    this.saveLast(errorQuantiles(errors));
    const best = this.trainer.bestWeights();
    if (best !== null) {
      const bestNet = netWith(net, best);
      this.saveBest(bestNet, errorQuantiles(sampleErrors(bestNet, trainX, this.content.normalizer)));
    }
    return errors;
  }

  writeMetrics(): void {
    this.folder.writeMetrics(this.trainer.history, this.epochSeconds);
  }

  /**
   * Rewrites metrics.csv and best.safetensors where they are not what the trainer's state
   * says (a kill between an epoch's writes leaves them an epoch behind last.safetensors);
   * returns the files rewritten.
   */
  catchUp(): string[] {
    const rewritten: string[] = [];
    if (readOrNull(this.folder.file('metrics.csv')) !== metricsText(this.trainer.history, this.epochSeconds)) {
      this.writeMetrics();
      rewritten.push('metrics.csv');
    }
    const best = this.trainer.bestWeights();
    if (best !== null && !holdsWeights(this.folder.file('best.safetensors'), best)) {
      this.saveBest(netWith(this.trainer.net, best));
      rewritten.push('best.safetensors');
    }
    return rewritten;
  }
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Whether the checkpoint at `path` is readable and holds `weights`, as float32. */
function holdsWeights(path: string, weights: NamedMatrices): boolean {
  const tensors = tensorsOrNull(path);
  return Object.entries(weights).every(([name, { data }]) => {
    const stored = tensors?.get(name)?.data;
    return stored !== undefined && stored.length === data.length && stored.every((v, i) => v === Math.fround(data[i]));
  });
}

function tensorsOrNull(path: string): Map<string, SafetensorsTensor> | null {
  try {
    return readSafetensors(path).tensors;
  } catch {
    return null;
  }
}

/** A copy of `net` (on its backend) with `weights`. */
function netWith(net: RecLinkNet, weights: NamedMatrices): RecLinkNet {
  const copy = new RecLinkNet(net.config, { dtype: net.dtype, backend: net.backend });
  for (const p of copy.parameters) p.value.data.set(weights[p.name].data);
  return copy;
}
