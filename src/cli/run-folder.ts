import { mkdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ReclinkError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { fileError } from '../io/fs-errors.js';
import { makeFolders } from '../io/make-folders.js';
import type { EpochRecord } from '../train/events.js';

/** The files of a run folder `runs/<name>/`. */
export const RUN_FILES = ['config.json', 'metrics.csv', 'last.safetensors', 'best.safetensors', 'report.html'] as const;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * A run folder: `config.json` (model config, data and training settings, normaliser),
 * `metrics.csv` (a row an epoch), `last.safetensors` (the latest state, to resume from),
 * `best.safetensors` (the best epoch's weights) and `report.html`. Every file is written
 * atomically: it is its old self or complete, never half-written.
 */
export class RunFolder {
  private constructor(readonly path: string) {}

  /**
   * Makes `<runsDir>/<name>`; without a name, the first free `run-1`, `run-2`, ... A named
   * folder that exists already is refused: it belongs to another run.
   */
  static create(runsDir: string, name?: string): RunFolder {
    if (name !== undefined && !NAME.test(name)) {
      throw new ReclinkError(`run name ${JSON.stringify(name)} is not a folder name, expected letters, digits, '.', '_' or '-'`, 2);
    }
    makeFolders(runsDir);
    if (name !== undefined) {
      const path = join(runsDir, name);
      if (!makeFolder(path)) throw new ReclinkError(`${path} exists already: choose another --name, or continue that run with --resume ${path}`, 2);
      return new RunFolder(path);
    }
    for (let n = 1; ; n++) {
      const path = join(runsDir, `run-${n}`);
      if (makeFolder(path)) return new RunFolder(path);
    }
  }

  /** The run folder of `target`, a run folder or a checkpoint in one, and the checkpoint to resume from. */
  static ofCheckpoint(target: string): { folder: RunFolder; checkpoint: string } {
    const isFolder = statOrNull(target)?.isDirectory() ?? false;
    const checkpoint = isFolder ? join(target, 'last.safetensors') : target;
    return { folder: new RunFolder(dirname(checkpoint)), checkpoint };
  }

  /** The run's name: its folder's. */
  get name(): string {
    return basename(this.path);
  }

  /** The path of one of the run's files. */
  file(name: (typeof RUN_FILES)[number]): string {
    return join(this.path, name);
  }

  writeText(name: (typeof RUN_FILES)[number], text: string): void {
    writeFileAtomic(this.file(name), new TextEncoder().encode(text));
  }

  /** metrics.csv: `epoch,train_loss,val_loss,val_mse,lr,seconds`, a row an epoch. */
  writeMetrics(history: readonly EpochRecord[], seconds: readonly number[]): void {
    const rows = history.map((e, i) => [e.epoch, e.trainLoss, e.valLoss, e.valMse, e.lr, seconds[i].toFixed(3)].join(','));
    this.writeText('metrics.csv', ['epoch,train_loss,val_loss,val_mse,lr,seconds', ...rows, ''].join('\n'));
  }
}

/** The best checkpoint of a run folder, or `path` itself when it is a file. */
export function modelPath(path: string): string {
  return statOrNull(path)?.isDirectory() ? join(path, 'best.safetensors') : path;
}

/** Makes a folder in an existing one; returns false when it exists already. */
function makeFolder(path: string): boolean {
  try {
    mkdirSync(path);
    return true;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EEXIST') return false;
    throw fileError('write', path, error);
  }
}

function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}
