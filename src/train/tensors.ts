import type { Backend } from '../linalg/backend.js';
import { dtypeOf, type Matrix } from '../linalg/matrix.js';
import { ReclinkError } from '../errors.js';

/**
 * Matrices by name, as a checkpoint stores them: `input.weight`,
 * `optimizer.exp_avg.input.weight`, `best.rec.bias`, ...
 */
export type NamedMatrices = Record<string, Matrix>;

/**
 * Copies `from[name]` into every `targets[name]`, after checking that each is there, has
 * the target's shape and holds only finite numbers: a bad state changes nothing.
 */
export function loadMatrices(from: NamedMatrices, targets: NamedMatrices): void {
  checkMatrices(from, targets);
  copyMatrices(from, targets);
}

/** Throws unless `from` has every name of `targets`, with its shape and finite values. */
export function checkMatrices(from: NamedMatrices, targets: NamedMatrices): void {
  for (const [name, dst] of Object.entries(targets)) {
    if (!Object.hasOwn(from, name)) throw new ReclinkError(`the training state has no tensor ${name}`);
    const src = from[name];
    if (src.rows !== dst.rows || src.cols !== dst.cols) {
      throw new ReclinkError(`tensor ${name} is ${src.rows}x${src.cols}, expected ${dst.rows}x${dst.cols}`);
    }
    if (!src.data.every(Number.isFinite)) throw new ReclinkError(`tensor ${name} holds a NaN or infinite value, expected finite numbers`);
  }
}

/** The first value among `matrices` that is not finite (NaN or ±Infinity), with its tensor's name; null when every value is finite. */
export function firstNonFinite(matrices: NamedMatrices): { name: string; value: number } | null {
  for (const [name, m] of Object.entries(matrices)) {
    const i = m.data.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) return { name, value: m.data[i] };
  }
  return null;
}

/** Copies `from[name]` into every `targets[name]` (checked with `checkMatrices`). */
export function copyMatrices(from: NamedMatrices, targets: NamedMatrices): void {
  for (const [name, dst] of Object.entries(targets)) dst.data.set(from[name].data);
}

/** `matrices` under names with `prefix` in front (`optimizer.exp_avg.` + `input.weight`). */
export function prefixed(prefix: string, matrices: NamedMatrices): NamedMatrices {
  return Object.fromEntries(Object.entries(matrices).map(([name, m]) => [prefix + name, m]));
}

/**
 * Copies of a fixed set of live matrices, allocated once in the backend's memory, so that
 * saving and restoring them allocates nothing (the best weights, the rollback point).
 */
export class Snapshot {
  /** The saved copies, under the live matrices' names. */
  readonly saved: NamedMatrices;
  private readonly pairs: readonly (readonly [live: Matrix, copy: Matrix])[];

  constructor(live: NamedMatrices, backend: Backend) {
    const entries = Object.entries(live).map(([name, m]) => [name, m, backend.alloc(m.rows, m.cols, dtypeOf(m))] as const);
    this.saved = Object.fromEntries(entries.map(([name, , copy]) => [name, copy]));
    this.pairs = entries.map(([, m, copy]) => [m, copy] as const);
  }

  /** Copies the live matrices into the snapshot. */
  save(): void {
    for (const [live, copy] of this.pairs) copy.data.set(live.data);
  }

  /** Copies the snapshot back into the live matrices. */
  restore(): void {
    for (const [live, copy] of this.pairs) live.data.set(copy.data);
  }
}
