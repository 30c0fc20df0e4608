// `npm run bench:quality`: how good the defaults of `reclink train` are (Adam, lr 1e-3, batches
// of 64, 10 epochs, sum-squared error, PyTorch's initialisation, bundled MNIST-15 split 8,000 /
// 2,000), as a distribution over seeds, beside PyTorch training the same network on the same
// split (bench/torch_quality.py). The two sides' seeds are independent draws, not pairs: a
// seed gives different initial weights and batch orders in each. For each side it prints the
// median, quartiles and range of the test MSE per pixel of the final weights and of the dead
// outputs (`reclink eval`: output units whose ReLU never fires on any test sample), and the
// wall time of a run. A benchmark, not a test: its times depend on the machine's load.
//
//   npm run bench:quality -- [--seeds N] [--python PATH] [reclink train flags, e.g. --backend js]
//
// --seeds N (default 16): seeds 0..N−1 on each side. The PyTorch side always trains the defaults.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLED, loadDataset, splitDataset, writeNpy } from '../dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reclinkBin = join(root, 'bin', 'reclink.js');

/** One trained model's figures. */
interface Outcome {
  seed: number;
  mse: number;
  deadOutputs: number;
  seconds: number;
}

interface Options {
  seeds: number;
  python: string;
  trainFlags: string[];
}

function parseOptions(argv: string[]): Options {
  const options: Options = { seeds: 16, python: '/usr/bin/python3', trainFlags: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seeds') options.seeds = Number(argv[++i]);
    else if (argv[i] === '--python') options.python = argv[++i] ?? '';
    else options.trainFlags.push(argv[i]);
  }
  if (!Number.isInteger(options.seeds) || options.seeds < 2) throw new Error(`--seeds is ${options.seeds}, expected an integer of at least 2`);
  return options;
}

/** Runs a command to its end; its stdout, or an error naming it and its stderr. */
function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (result.status !== 0) throw new Error(`${[command, ...args].join(' ')} exited with ${result.status ?? result.error?.message}: ${result.stderr.trim()}`);
  return result.stdout;
}

/** `reclink train --seed <seed>` in its own process, timed from spawn to exit, then `reclink eval` of its final weights. */
function reclinkSeed(seed: number, runsDir: string, trainFlags: string[]): Outcome {
  const started = performance.now();
  const trained = run(process.execPath, [reclinkBin, 'train', '--seed', String(seed), '--json', '--runs-dir', runsDir, '--name', `seed-${seed}`, ...trainFlags]);
  const seconds = (performance.now() - started) / 1000;
  const result = JSON.parse(trained.trimEnd().split('\n').at(-1) ?? '{}') as { run: string; test: { mse: number } };
  const evaluated = JSON.parse(run(process.execPath, [reclinkBin, 'eval', '--model', join(result.run, 'last.safetensors'), '--json'])) as { mse: number; deadOutputs: number };
  return { seed, mse: result.test.mse, deadOutputs: evaluated.deadOutputs, seconds };
}

/**
 * bench/torch_quality.py on `reclink train`'s default split (written to `folder` as .npy);
 * null, with the reason printed, when PyTorch does not run.
 */
function torchSeeds(python: string, folder: string, seeds: number[]): { version: string; outcomes: Outcome[] } | null {
  const split = splitDataset(loadDataset(BUNDLED, 225), { seed: 0 });
  const [train, test] = [join(folder, 'train.npy'), join(folder, 'test.npy')];
  writeNpy(train, split.train.x);
  writeNpy(test, split.test.x);
  const result = spawnSync(python, [join(root, 'bench', 'torch_quality.py'), train, test, ...seeds.map(String)], { encoding: 'utf8' });
  if (result.status !== 0) {
    console.log(`PyTorch side not run: ${python} bench/torch_quality.py exited with ${result.status ?? result.error?.message}: ${result.stderr.trim().split('\n').at(-1) ?? ''}`);
    return null;
  }
  const [head, ...lines] = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  return { version: String(head.torch), outcomes: lines as unknown as Outcome[] };
}

/** The q-quantile of sorted values, interpolated between neighbours (R's type 7, numpy's default). */
function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (at - low);
}

/** min, Q1, median, Q3, max. */
function fiveNumbers(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return [0, 0.25, 0.5, 0.75, 1].map((q) => quantile(sorted, q));
}

/**
 * Mann–Whitney U of `a` against `b`: the probability that a run of `a` has a lower value than
 * one of `b` (ties count half), and the two-sided p-value of no difference (normal approximation).
 */
function mannWhitney(a: number[], b: number[]): { lower: number; p: number } {
  let u = 0;
  for (const x of a) for (const y of b) u += x < y ? 1 : x === y ? 0.5 : 0;
  const [n, m] = [a.length, b.length];
  const z = (u - (n * m) / 2) / Math.sqrt((n * m * (n + m + 1)) / 12);
  return { lower: u / (n * m), p: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) };
}

/** Ranks from 1, ties given their average rank. */
function ranks(values: number[]): number[] {
  const order = values.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]);
  const result = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1][0] === order[start][0]) end++;
    for (let k = start; k <= end; k++) result[order[k][1]] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return result;
}

/** Spearman's rank correlation: Pearson's of the ranks. */
function spearman(a: number[], b: number[]): number {
  const [ra, rb] = [ranks(a), ranks(b)];
  const mean = (ra.length + 1) / 2;
  let [sab, saa, sbb] = [0, 0, 0];
  for (let i = 0; i < ra.length; i++) {
    sab += (ra[i] - mean) * (rb[i] - mean);
    saa += (ra[i] - mean) ** 2;
    sbb += (rb[i] - mean) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Φ(x), by the Abramowitz–Stegun 7.1.26 approximation of erf (error < 1.5e-7). */
function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

const LABEL_WIDTH = 36;

function row(label: string, values: number[], digits: number): string {
  return `${label.padEnd(LABEL_WIDTH)}${fiveNumbers(values).map((v) => v.toFixed(digits).padStart(10)).join('')}`;
}

const options = parseOptions(process.argv.slice(2));
const seeds = Array.from({ length: options.seeds }, (_, i) => i);
const folder = mkdtempSync(join(tmpdir(), 'reclink-quality-'));
try {
  const flags = options.trainFlags.length > 0 ? options.trainFlags.join(' ') : '(defaults)';
  console.log(`reclink train ${flags} and bench/torch_quality.py, seeds 0–${seeds.length - 1} each; ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const torch = torchSeeds(options.python, folder, seeds);
  const reclink = seeds.map((seed) => {
    const outcome = reclinkSeed(seed, join(folder, 'runs'), options.trainFlags);
    process.stderr.write(`reclink seed ${seed}: MSE ${outcome.mse.toFixed(5)}, ${outcome.deadOutputs} dead outputs, ${outcome.seconds.toFixed(1)} s\n`);
    return outcome;
  });
  const sides: [string, Outcome[]][] = [['reclink', reclink], ...(torch ? [[`PyTorch ${torch.version}`, torch.outcomes] as [string, Outcome[]]] : [])];
  console.log(`${''.padEnd(LABEL_WIDTH)}${['min', 'Q1', 'median', 'Q3', 'max'].map((h) => h.padStart(10)).join('')}`);
  for (const [name, outcomes] of sides) console.log(row(`${name}: test MSE/pixel`, outcomes.map((o) => o.mse), 5));
  for (const [name, outcomes] of sides) console.log(row(`${name}: dead outputs`, outcomes.map((o) => o.deadOutputs), 1));
  // reclink: the process, start to exit; PyTorch: training and evaluation inside its process.
  for (const [name, outcomes] of sides) console.log(row(`${name}: seconds a run`, outcomes.map((o) => o.seconds), 1));
  for (const [name, outcomes] of sides) {
    console.log(`${name}: Spearman correlation of a run's dead outputs with its MSE ${spearman(outcomes.map((o) => o.deadOutputs), outcomes.map((o) => o.mse)).toFixed(2)}`);
  }
  if (torch) {
    const { lower, p } = mannWhitney(reclink.map((o) => o.mse), torch.outcomes.map((o) => o.mse));
    console.log(`P(a reclink run's MSE < a PyTorch run's) = ${lower.toFixed(2)}; Mann–Whitney two-sided p = ${p.toFixed(2)} (no difference: 0.5 and large p)`);
  }
  console.log(`per seed (${seeds.length} each): ${JSON.stringify(Object.fromEntries(sides.map(([name, outcomes]) => [name, outcomes.map((o) => [o.mse, o.deadOutputs])])))}`);
  console.log(`load average now ${loadavg()[0].toFixed(1)}; ${cpus()[0]?.model ?? 'processor unknown'}`);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
