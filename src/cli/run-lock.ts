import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ReclinkError } from '../errors.js';
import { temporaryPath } from '../io/atomic-write.js';
import { fileError } from '../io/fs-errors.js';

/** The lock file of a run folder. */
export const LOCK_FILE = '.lock';

/** Who holds a lock: `{"pid": 1234, "host": "name"}`. */
interface Holder {
  pid: number;
  host: string;
}

/**
 * An exclusive lock on a run folder, so that two processes never train into one: the file
 * `.lock` holding the pid and host name of the process that has it. The file appears whole
 * or not at all (written aside, then hard-linked into place, which fails if it exists). A
 * lock of this host whose process is no longer alive (killed) is stale and taken over; one
 * that cannot be read is too. One of another host is respected: its process cannot be seen.
 */
export class RunLock {
  private constructor(
    private readonly path: string,
    private readonly holder: Holder,
  ) {}

  /** Takes the lock of `folder`; throws a ReclinkError (exit code 1) naming the process that has it. */
  static acquire(folder: string): RunLock {
    const path = join(folder, LOCK_FILE);
    const me: Holder = { pid: process.pid, host: hostname() };
    for (let attempt = 0; attempt < 3; attempt++) {
      if (create(path, me)) return new RunLock(path, me);
      const holder = readHolder(path);
      if (holder !== null && isAlive(holder)) {
        const where = holder.host === me.host ? '' : ` on ${holder.host}`;
        throw new ReclinkError(`${folder} is in use by process ${holder.pid}${where}; wait for it to end (if no reclink runs there, delete ${path})`);
      }
      removeStale(path);
    }
    throw new ReclinkError(`cannot lock ${folder}: other processes keep taking its lock ${path}`);
  }

  /** Gives the lock up (if it is still this one's). */
  release(): void {
    const holder = readHolder(this.path);
    if (holder?.pid === this.holder.pid && holder.host === this.holder.host) rmSync(this.path, { force: true });
  }
}

/** Creates the lock file holding `holder`; false if it exists. */
function create(path: string, holder: Holder): boolean {
  const aside = temporaryPath(path);
  try {
    writeFileSync(aside, `${JSON.stringify(holder)}\n`, { flag: 'wx' });
    linkSync(aside, path);
    return true;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EEXIST') return false;
    throw fileError('write', path, error);
  } finally {
    rmSync(aside, { force: true });
  }
}

/** The holder a lock file names; null when it is gone or does not name one. */
function readHolder(path: string): Holder | null {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof value !== 'object' || value === null) return null;
    const { pid, host } = value as Record<string, unknown>;
    return Number.isSafeInteger(pid) && typeof pid === 'number' && pid > 0 && typeof host === 'string' ? { pid, host } : null;
  } catch {
    return null;
  }
}

/** Whether the holder's process runs (or may: one of another host is taken to). */
function isAlive({ pid, host }: Holder): boolean {
  if (host !== hostname()) return true;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM'; // it exists, and is another user's
  }
}

/**
 * Removes a stale lock. It is first renamed aside, so that of two processes taking it over
 * only one removes it; if what was moved turns out to be a live lock just taken by another,
 * it is put back.
 */
function removeStale(path: string): void {
  const aside = temporaryPath(path);
  try {
    renameSync(path, aside);
  } catch {
    return; // gone already: another process took it over
  }
  const moved = readHolder(aside);
  try {
    if (moved !== null && isAlive(moved)) linkSync(aside, path);
  } catch {
    // Another lock is in place already: it stands.
  } finally {
    rmSync(aside, { force: true });
  }
}
