import { describe, expect, it } from 'vitest';
import { splitDataset } from '../src/data/split.js';
import { fromValues } from '../src/linalg/matrix.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { Random, type RandomPurpose } from '../src/random.js';
import { Sgd } from '../src/train/sgd.js';
import { Trainer } from '../src/train/trainer.js';

const PURPOSES: readonly (RandomPurpose | undefined)[] = [undefined, 'init', 'split', 'shuffle'];

function meanAndSd(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd };
}

describe('Random.fromSeed', () => {
  it('fills the state with splitmix64 of the seed (its published first outputs for seed 0)', () => {
    const hex = Random.fromSeed(0).state().map((word) => (word >>> 0).toString(16).padStart(8, '0'));
    expect(hex.join('')).toBe('e220a8397b1dcdaf' + '6e789e6aa1b965f4');
  });

  it.each(PURPOSES)('spreads the first draws of seeds 0–999 over [0, 1) (stream %s)', (purpose) => {
    // Seeded with the raw integer, xoroshiro128+ gave 0.99999 or more for every one of them.
    const first = Array.from({ length: 1000 }, (_, seed) => Random.fromSeed(seed, purpose).uniform());
    const { mean, sd } = meanAndSd(first);
    expect(mean).toBeGreaterThan(0.47); // 0.5 ± 3.5 standard errors (0.009)
    expect(mean).toBeLessThan(0.53);
    expect(sd).toBeGreaterThan(0.27); // 1/√12 = 0.289
    expect(sd).toBeLessThan(0.31);
    for (const [low, high] of [[0, 0.25], [0.25, 0.5], [0.5, 0.75], [0.75, 1]]) {
      expect(first.filter((u) => u >= low && u < high).length).toBeGreaterThan(200); // 250 expected
    }
  });

  it('gives each purpose its own sequence: no stream holds another\'s first draws', () => {
    const draws = (purpose: RandomPurpose | undefined, n: number): number[] => {
      const random = Random.fromSeed(7, purpose);
      return Array.from({ length: n }, () => random.uniform());
    };
    for (const a of PURPOSES) {
      const head = draws(a, 4);
      for (const b of PURPOSES.filter((p) => p !== a)) {
        const other = new Set(draws(b, 20_000)); // a shifted copy would hold them
        expect(head.filter((u) => other.has(u))).toEqual([]);
      }
    }
  });

  it('uses every bit of a safe integer seed, negative ones included', () => {
    const first = (seed: number): number => Random.fromSeed(seed).uniform();
    expect(first(2 ** 32)).not.toBe(first(0));
    expect(first(-1)).not.toBe(first(2 ** 32 - 1));
    expect(() => Random.fromSeed(0.5)).toThrow('seed is 0.5, expected a safe integer');
  });

  it('continues from a saved state exactly', () => {
    const random = Random.fromSeed(3, 'shuffle');
    random.uniform();
    const copy = Random.fromState(random.state());
    expect(Array.from({ length: 5 }, () => copy.uniform())).toEqual(Array.from({ length: 5 }, () => random.uniform()));
  });
});

describe('the streams of one seed', () => {
  const seed = 5;
  const net = new RecLinkNet({ seed });
  const first = (purpose: RandomPurpose): number => Random.fromSeed(seed, purpose).uniform();

  it('the initial weights come from the init stream, so input.weight[0, 0] differs from seed to seed', () => {
    const bound = 1 / Math.sqrt(225);
    expect(net.parameters[0].value.data[0]).toBeCloseTo(-bound + 2 * bound * first('init'), 7);
    const corner = Array.from({ length: 50 }, (_, s) => new RecLinkNet({ inputSize: 9, hiddenSize: 3, seed: s }).parameters[0].value.data[0]);
    expect(corner.filter((w) => w > 0).length).toBeGreaterThan(10); // was +bound for every seed
    expect(corner.filter((w) => w < 0).length).toBeGreaterThan(10);
  });

  it('the split comes from the split stream', () => {
    const numbered = fromValues(100, 1, Array.from({ length: 100 }, (_, i) => i)); // sample i is [i]
    const order = Random.fromSeed(seed, 'split').shuffle(Int32Array.from({ length: 100 }, (_, i) => i));
    const { train } = splitDataset({ x: numbered, source: 'numbered' }, { seed, train: 80 });
    expect(Array.from(train.x.data)).toEqual(Array.from(order.subarray(0, 80)));
  });

  it('the shuffling comes from the shuffle stream, not the init stream', () => {
    const data = fromValues(2, 225, new Array<number>(450).fill(0.5));
    const trainer = new Trainer(net, new Sgd(net), data, data, { seed });
    expect(trainer.state().json.rng).toEqual(Random.fromSeed(seed, 'shuffle').state());
    expect(trainer.state().json.rng).not.toEqual(Random.fromSeed(seed, 'init').state());
  });
});
