import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { ReclinkError } from './errors.js';

/**
 * What a stream is for. Each purpose draws from its own stream, so that the initial
 * weights, the data split and the epochs' shuffling are independent of one another
 * (one seed, three unrelated sequences).
 */
export type RandomPurpose = 'init' | 'split' | 'shuffle';

/**
 * A seeded random stream (xoroshiro128+ from pure-rand): the same seed gives the same
 * numbers on every machine. Its state can be saved and restored, so that a resumed run
 * draws what the uninterrupted one would have drawn.
 */
export class Random {
  private constructor(private readonly rng: RandomGenerator) {}

  /**
   * A stream started from an integer seed and, optionally, a purpose. The 128-bit state is
   * filled by splitmix64 from the seed and the purpose (see `seedState`), not with the raw
   * integer: the generator's first outputs would otherwise be nearly the same for every
   * small seed (pure-rand's own seeding makes the first `uniform()` ≈ 1 for seeds 0–999).
   */
  static fromSeed(seed: number, purpose?: RandomPurpose): Random {
    if (!Number.isSafeInteger(seed)) throw new ReclinkError(`seed is ${seed}, expected a safe integer`);
    return new Random(xoroshiro128plusFromState(seedState(seed, purpose)));
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

const MASK64 = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;

/** splitmix64's output function (Steele, Lea and Flood 2014): a bijection of 64-bit words that mixes every bit. */
function mix64(x: bigint): bigint {
  let z = x & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** A 64-bit key per purpose (FNV-1a of its name); 0 for none. */
function purposeKey(purpose: RandomPurpose | undefined): bigint {
  if (purpose === undefined) return 0n;
  let h = 0xcbf29ce484222325n;
  for (const c of purpose) h = ((h ^ BigInt(c.charCodeAt(0))) * 0x100000001b3n) & MASK64;
  return h;
}

/**
 * xoroshiro128+'s state for a seed, as its authors recommend: two outputs of a splitmix64
 * sequence started at the seed (as a 64-bit word, a purpose's key mixed in), given in
 * pure-rand's order [high, low] of each 64-bit half. The two halves are outputs of a
 * bijection at two different inputs, so never both zero (the state xoroshiro cannot leave).
 */
function seedState(seed: number, purpose: RandomPurpose | undefined): number[] {
  const start = BigInt.asUintN(64, BigInt(seed)) ^ mix64(purposeKey(purpose));
  const state: number[] = [];
  for (const k of [1n, 2n]) {
    const word = mix64(start + k * GOLDEN_GAMMA);
    state.push(Number(BigInt.asIntN(32, word >> 32n)), Number(BigInt.asIntN(32, word)));
  }
  return state;
}
