import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** The package's folder: `bin/reclink.js` runs from here (test/global-setup.ts builds dist/). */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'reclink.js');

/** How a run of the command line ended. */
export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `reclink ...args` to the end, in `cwd` (default: the package's folder). */
export function reclink(...args: string[]): Run {
  return reclinkIn(root, ...args);
}

/** Runs `reclink ...args` in `cwd` to the end. */
export function reclinkIn(cwd: string, ...args: string[]): Run {
  const { status, stdout, stderr } = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { status, stdout, stderr };
}

/** Starts `reclink ...args` in `cwd` without waiting for it. */
export function startReclink(cwd: string, ...args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [bin, ...args], { cwd });
}

/** A failed run: its exit code, nothing on stdout, and exactly one line `reclink: ...` on stderr. */
export function expectFailure(run: Run, status: number, message: string | RegExp): void {
  expect(run.status, run.stderr).toBe(status);
  expect(run.stdout).toBe('');
  expect(run.stderr.endsWith('\n')).toBe(true);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  if (typeof message === 'string') expect(run.stderr).toBe(`${message}\n`);
  else expect(run.stderr.trimEnd()).toMatch(message);
}

/** How a started process ended, and all it printed. */
export interface Ended extends Run {
  signal: NodeJS.Signals | null;
}

/** Resolves once `child` has ended and its output streams are closed. */
export function ended(child: ChildProcessWithoutNullStreams): Promise<Ended> {
  let stdout = '', stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

/** Resolves when `child` has printed a line on stdout containing `text` (rejects if it ends first); call `ended` first. */
export function printed(child: ChildProcessWithoutNullStreams, text: string): Promise<void> {
  let seen = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer | string): void => {
      seen += String(chunk);
      if (!seen.split('\n').slice(0, -1).some((line) => line.includes(text))) return;
      child.stdout.off('data', onData);
      resolve();
    };
    child.stdout.on('data', onData);
    child.on('close', () => reject(new Error(`the process ended before printing ${JSON.stringify(text)}; it printed ${JSON.stringify(seen)}`)));
  });
}
