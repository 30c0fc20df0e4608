import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ReclinkError } from '../errors.js';
import { isTemporaryFile, writeFileAtomic } from '../io/atomic-write.js';
import { fileError } from '../io/fs-errors.js';
import { makeFolders } from '../io/make-folders.js';
import type { EpochRecord } from '../train/events.js';
import { LOCK_FILE, RunLock } from './run-lock.js';
import { describe } from '../io/describe.js';

/** The files of a run folder `runs/<name>/`. */
export const RUN_FILES = ['config.json', 'metrics.csv', 'last.safetensors', 'best.safetensors', 'report.html'] as const;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * A run folder: `config.json` (model config, data and training settings, normaliser),
 * `metrics.csv` (a row an epoch), `last.safetensors` (the latest state, to resume from),
 * `best.safetensors` (the best epoch's weights) and `report.html`. Every file is written
 * atomically: it is its old self or complete, never half-written.
 *
 * A process that trains into the folder holds its lock (`RunLock`, the file `.lock`) from
 * `create` or `lock` to `release`; taking the lock removes the temporary files that a
 * killed process left behind.
 */
export class RunFolder {
  private held: RunLock | null = null;

  private constructor(readonly path: string) {}

  /**
   * Makes `<runsDir>/<name>` and locks it; without a name, the first free `run-1`,
   * `run-2`, ... A named folder that exists already is refused, as another run's, unless it
   * holds nothing but what a killed start left behind (a lock, temporary files).
   */
  static create(runsDir: string, name?: string): RunFolder {
    if (name !== undefined && !NAME.test(name)) {
      throw new ReclinkError(`run name ${describe(name)} is not a folder name, expected letters, digits, '.', '_' or '-'`, 2);
    }
    makeFolders(runsDir);
    if (name === undefined) {
      for (let n = 1; ; n++) {
        const path = join(runsDir, `run-${n}`);
        if (makeFolder(path)) return new RunFolder(path).lock();
      }
    }
    const path = join(runsDir, name);
    const folder = new RunFolder(path);
    if (makeFolder(path)) return folder.lock();
    if (statOrNull(path)?.isDirectory() && folder.lock().holdsNothing()) return folder;
    folder.release();
    throw new ReclinkError(`${path} exists already: choose another --name, or continue that run with --resume ${path}`, 2);
  }

  /** The run folder of `target`, a run folder or a checkpoint in one, and the checkpoint to resume from (not locked). */
  static ofCheckpoint(target: string): { folder: RunFolder; checkpoint: string } {
    const isFolder = statOrNull(target)?.isDirectory() ?? false;
    const checkpoint = isFolder ? join(target, 'last.safetensors') : target;
    return { folder: new RunFolder(dirname(checkpoint)), checkpoint };
  }

  /** The run's name: its folder's. */
  get name(): string {
    return basename(this.path);
  }

  /** Takes the folder's lock (a ReclinkError names the process that has it), then removes the temporary files a kill left. */
  lock(): this {
    this.held ??= RunLock.acquire(this.path);
    for (const entry of this.entries()) if (RUN_FILES.some((file) => isTemporaryFile(entry, file))) rmSync(join(this.path, entry), { force: true });
    return this;
  }

  /** Gives the lock up. */
  release(): void {
    this.held?.release();
    this.held = null;
  }

  /** The path of one of the run's files. */
  file(name: (typeof RUN_FILES)[number]): string {
    return join(this.path, name);
  }

  /** Whether the run's file `name` is there. */
  has(name: (typeof RUN_FILES)[number]): boolean {
    return statOrNull(this.file(name)) !== null;
  }

  writeText(name: (typeof RUN_FILES)[number], text: string): void {
    writeFileAtomic(this.file(name), new TextEncoder().encode(text));
  }

  /** metrics.csv: `epoch,train_loss,val_loss,val_mse,lr,seconds`, a row an epoch. */
  writeMetrics(history: readonly EpochRecord[], seconds: readonly number[]): void {
    this.writeText('metrics.csv', metricsText(history, seconds));
  }

  /** Whether the folder holds nothing but a lock and temporary files (of its files or its lock). */
  private holdsNothing(): boolean {
    return this.entries().every((entry) => entry === LOCK_FILE || [...RUN_FILES, LOCK_FILE].some((file) => isTemporaryFile(entry, file)));
  }

  private entries(): string[] {
    try {
      return readdirSync(this.path);
    } catch (error) {
      throw fileError('read', this.path, error);
    }
  }
}

/** The text of metrics.csv for `history`, and the epochs' wall times. */
export function metricsText(history: readonly EpochRecord[], seconds: readonly number[]): string {
  const rows = history.map((e, i) => [e.epoch, e.trainLoss, e.valLoss, e.valMse, e.lr, seconds[i].toFixed(3)].join(','));
  return ['epoch,train_loss,val_loss,val_mse,lr,seconds', ...rows, ''].join('\n');
}

/**
 * The checkpoint of `path` to evaluate: a file is itself; a run folder gives its
 * best.safetensors, or last.safetensors before any epoch has been validated (a run that
 * diverged or was stopped in its first epoch).
 */
export function modelPath(path: string): string {
  if (!statOrNull(path)?.isDirectory()) return path;
  const found = ['best.safetensors', 'last.safetensors'].map((file) => join(path, file)).find((file) => statOrNull(file) !== null);
  if (found === undefined) throw new ReclinkError(`${path} has no best.safetensors or last.safetensors, expected a run folder with a checkpoint`);
  return found;
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
