import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';

/**
 * A seeded random stream (xoroshiro128+ from pure-rand): the same seed gives the same
 * numbers on every machine. Its state can be saved and restored, so that a resumed run
 * draws what the uninterrupted one would have drawn.
 */
export class Random {
  private constructor(private readonly rng: RandomGenerator) {}

  /** A stream started from an integer seed. */
  static fromSeed(seed: number): Random {
    if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
    return new Random(xoroshiro128plus(seed | 0));
  }

  /** A stream continued from a state returned by `state()`. */
  static fromState(state: readonly number[]): Random {
    return new Random(xoroshiro128plusFromState(state));
  }

  /** The generator's state, to continue it later with `fromState`. */
  state(): number[] {
    return [...this.rng.getState()];
  }

  /** A number uniform in [0, 1). */
  uniform(): number {
    return uniformFloat64(this.rng);
  }

  /** A number uniform in [low, high). */
  uniformIn(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** A standard normal number (Box–Muller). */
  normal(): number {
    const u = 1 - this.uniform(); // (0, 1]: log(u) is finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }

  /** An integer uniform in [0, n). */
  int(n: number): number {
    return uniformInt(this.rng, 0, n - 1);
  }

  /** Shuffles `values` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: number }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
    return values;
  }
}
