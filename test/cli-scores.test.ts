import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunCheckpoint } from '../src/cli/run-checkpoint.js';
import { loadMnist15 } from '../src/data/mnist15.js';
import { splitDataset } from '../src/data/split.js';
import { encode } from '../src/eval/codes.js';
import { readNpyMatrix, writeNpy } from '../src/io/npy.js';
import { fromValues, type Matrix } from '../src/linalg/matrix.js';
import { Random } from '../src/random.js';
import { expectFailure, reclink } from './cli-helpers.js';
import { temporaryFolder } from './io-helpers.js';

// reclink encode and reclink score on a model trained 3 epochs on the bundled digits, and on
// a test set of 980 of its test digits with 20 images of uniform noise hidden among them.

const dir = temporaryFolder('cli-scores');
const run = join(dir, 'runs', 'digits');
const data = join(dir, 'digits-and-noise.npy');
const DIGITS = 980, NOISE = 20, D = 225;
let noiseRows: Set<number>;
let samples: Matrix;

/** The test digits of the bundled split, with NOISE uniform-noise images at seeded random rows. */
function digitsAndNoise(): { x: Matrix; noise: Set<number> } {
  const { test } = splitDataset(loadMnist15(), { seed: 0 });
  const random = Random.fromSeed(42);
  const noise = new Set<number>();
  while (noise.size < NOISE) noise.add(random.int(DIGITS + NOISE));
  const values = new Float32Array((DIGITS + NOISE) * D);
  let digit = 0;
  for (let n = 0; n < DIGITS + NOISE; n++) {
    const row = values.subarray(n * D, (n + 1) * D);
    if (noise.has(n)) row.forEach((_, k) => (row[k] = random.uniform()));
    else row.set(test.x.data.subarray(digit * D, ++digit * D));
  }
  return { x: fromValues(DIGITS + NOISE, D, values), noise };
}

/** score's CSV as rows of numbers and flags. */
function readScores(path: string): { index: number; sse: number; mse: number; outlier: boolean }[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  expect(header).toBe('index,sse,mse_per_pixel,outlier');
  return lines.map((line) => {
    const [index, sse, mse, outlier] = line.split(',');
    expect(['true', 'false']).toContain(outlier);
    return { index: Number(index), sse: Number(sse), mse: Number(mse), outlier: outlier === 'true' };
  });
}

beforeAll(() => {
  const trained = reclink('train', '--epochs', '3', '--runs-dir', join(dir, 'runs'), '--name', 'digits', '--json');
  expect(trained.status, trained.stderr).toBe(0);
  ({ x: samples, noise: noiseRows } = digitsAndNoise());
  writeNpy(data, samples);
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reclink train records the training errors', () => {
  it('writes the quantiles 0.5, 0.9, 0.99, 0.999 of the 8,000 training samples into both checkpoints', () => {
    for (const file of ['best.safetensors', 'last.safetensors']) {
      const recorded = loadRunCheckpoint(join(run, file)).errorQuantiles;
      expect(recorded?.samples).toBe(8000);
      const levels = Object.entries(recorded?.quantiles ?? {});
      expect(levels.map(([q]) => q)).toEqual(['0.5', '0.9', '0.99', '0.999']);
      expect(levels.every(([, v], i) => v > 0 && (i === 0 || v >= levels[i - 1][1]))).toBe(true);
    }
  });

  it('draws the training and test errors with those quantiles in report.html', () => {
    const html = readFileSync(join(run, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Reconstruction errors</h2>');
    expect(html).toContain('>training (8000)</text>');
    expect(html).toContain('>test (2000)</text>');
    expect(html.match(/>q 0\.(5|9|99|999)<\/text>/g)).toHaveLength(4);
  });

  it('maps the codes of the test samples in report.html, coloured by digit', () => {
    const html = readFileSync(join(run, 'report.html'), 'utf8');
    const map = /<svg[^>]*class="code-map">([\s\S]*?)<\/svg>/.exec(html)?.[1] ?? '';
    expect(map.match(/<circle /g)).toHaveLength(2000);
    expect(new Set(map.match(/fill="#[0-9a-f]{6}"/g)).size).toBeGreaterThanOrEqual(10);
  });
});

describe('reclink score', () => {
  it('ranks the 20 noise images highest and flags them, and few digits, at q = 0.99', () => {
    const out = join(dir, 'scores.csv');
    const scored = reclink('score', '--model', run, '--data', data, '--out', out, '--json');
    expect(scored.status, scored.stderr).toBe(0);
    const scores = readScores(out);
    expect(scores.map((s) => s.index)).toEqual([...Array(DIGITS + NOISE).keys()]);
    const top = [...scores].sort((a, b) => b.sse - a.sse).slice(0, NOISE).map((s) => s.index);
    expect(new Set(top)).toEqual(noiseRows);
    const flaggedNoise = scores.filter((s) => s.outlier && noiseRows.has(s.index)).length;
    const flaggedDigits = scores.filter((s) => s.outlier && !noiseRows.has(s.index)).length;
    expect(flaggedNoise).toBeGreaterThanOrEqual(18);
    expect(flaggedDigits).toBeLessThanOrEqual(0.05 * DIGITS);
    const summary = JSON.parse(scored.stdout) as { samples: number; flagged: number; threshold: { value: number; source: string } };
    expect(summary).toMatchObject({ samples: DIGITS + NOISE, flagged: flaggedNoise + flaggedDigits });
    expect(summary.threshold.source).toBe("quantile 0.99 of 8000 training samples' SSE");
    const recorded = loadRunCheckpoint(join(run, 'best.safetensors')).errorQuantiles;
    expect(summary.threshold.value).toBe(recorded?.quantiles['0.99']);
    for (const s of scores) {
      expect(s.mse).toBeCloseTo(s.sse / D, 12);
      expect(s.outlier).toBe(s.sse > summary.threshold.value);
    }
  });

  it('flags above a given threshold, or another recorded quantile', () => {
    const out = join(dir, 'given.csv');
    expect(reclink('score', '--model', run, '--data', data, '--out', out, '--threshold', '1e9').status).toBe(0);
    expect(readScores(out).some((s) => s.outlier)).toBe(false);
    expect(reclink('score', '--model', run, '--data', data, '--out', out, '--quantile', '0.5').status).toBe(0);
    const flagged = readScores(out).filter((s) => s.outlier).length;
    expect(flagged).toBeGreaterThan(300); // about half of the digits are above the training median
  });

  it('needs --threshold for a model without recorded errors, and refuses bad flags and files in one line', () => {
    const init = join(dir, 'init.safetensors');
    expect(reclink('init', '--out', init).status).toBe(0);
    const out = join(dir, 'refused.csv');
    expectFailure(reclink('score', '--model', init, '--data', data, '--out', out), 1, `reclink: ${init} has no recorded training errors (a model written by reclink train has them): give --threshold`);
    expectFailure(reclink('score', '--model', run, '--data', data, '--out', out, '--quantile', '0.95'), 2, /quantile 0\.95 was not recorded with the model, expected one of 0\.5, 0\.9, 0\.99, 0\.999/);
    expectFailure(reclink('score', '--model', run, '--data', data, '--out', out, '--quantile', '0.9', '--threshold', '3'), 2, 'reclink: give --quantile or --threshold, not both');
    expectFailure(reclink('score', '--model', run, '--data', data, '--out', join(dir, 'scores.txt')), 2, /--out .*scores\.txt has no \.csv extension/);
    expectFailure(reclink('score', '--model', run, '--data', data, '--out', out, '--threshold', '-1'), 2, /--threshold -1 is negative/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('reclink encode', () => {
  it('writes the code of every sample, in order, as NPY and as CSV', () => {
    const npy = join(dir, 'codes.npy'), csv = join(dir, 'codes.csv');
    expect(reclink('encode', '--model', run, '--data', data, '--out', npy).status).toBe(0);
    expect(reclink('encode', '--model', run, '--data', data, '--out', csv).status).toBe(0);
    const codes = readNpyMatrix(npy);
    const { net, normalizer } = loadRunCheckpoint(join(run, 'best.safetensors'));
    expect([codes.rows, codes.cols]).toEqual([DIGITS + NOISE, 75]);
    expect(codes.data).toEqual(encode(net, samples, normalizer).data);
    const [header, ...lines] = readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(header.split(',')).toEqual(Array.from({ length: 75 }, (_, j) => `code_${j}`));
    expect(Float32Array.from(lines.flatMap((line) => line.split(',').map(Number)))).toEqual(codes.data);
  });

  it('refuses a corrupt model, data of the wrong width, an unknown extension and an unwritable file, writing nothing', () => {
    const corrupt = join(dir, 'corrupt.safetensors');
    writeFileSync(corrupt, 'not a checkpoint');
    const narrow = join(dir, 'narrow.npy');
    writeNpy(narrow, fromValues(2, 224, new Float32Array(448)));
    const out = join(dir, 'never.npy');
    expectFailure(reclink('encode', '--model', corrupt, '--data', data, '--out', out), 1, new RegExp(`^reclink: ${corrupt}: `));
    expectFailure(reclink('encode', '--model', run, '--data', narrow, '--out', out), 1, /has 224 columns, the model expects 225/);
    expectFailure(reclink('encode', '--model', run, '--data', data, '--out', join(dir, 'codes.txt')), 2, /has no \.npy or \.csv extension/);
    expectFailure(reclink('encode', '--model', run, '--data', data, '--out', join(dir, 'missing', 'codes.npy')), 1, /cannot write .*missing.*codes\.npy/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
