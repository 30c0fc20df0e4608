// `npm run bench:lab`: the lab's training speed against the command line's, at the same batch
// size, on the same kernel set and one thread. The lab side drives the built page in Debian's
// headless chromium (RECLINK_CHROMIUM overrides the path): the Training view shown, the batch
// size set in the form, Train pressed, and the page's own samples/s readout (the worker's
// `SpeedMeter`, wall clock, a reading every second or more) read once a second after a
// warm-up. The command line side runs `reclink train --backend wasm --threads 1 --kernels
// <the lab's set> --batch N --json` and takes each epoch's wall time (its steps and its
// validation pass; the first epoch, which compiles, is dropped). Both sides train the
// bundled digits with Adam at lr 1e-3 and the exercise's network. The two are measured
// alternately, batch after batch, in `--rounds` rounds, since the shared machine's speed
// drifts; each cell prints the median and the range of its readings. A benchmark, not a test.
//
//   npm run bench:lab -- [--batches 1,16,64,256] [--rounds 2] [--seconds 6]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { serveLab } from '../dist/lab/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reclinkBin = join(root, 'bin', 'reclink.js');
const CHROMIUM = process.env.RECLINK_CHROMIUM ?? '/usr/bin/chromium';
/** The flags the end-to-end test launches chromium with. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Training samples of the bundled digits (an epoch of `reclink train`). */
const TRAIN_SAMPLES = 8000;
/** Seconds of lab training before its readings count (the first windows include compilation). */
const WARM_UP_S = 2.5;

interface Options {
  batches: number[];
  rounds: number;
  /** Seconds of readings a lab cell takes. */
  seconds: number;
}

/** A cell's readings: samples/s. */
type Readings = number[];

function parseOptions(argv: string[]): Options {
  const options: Options = { batches: [1, 16, 64, 256], rounds: 2, seconds: 6 };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--batches') options.batches = value.split(',').map(Number);
    else if (argv[i] === '--rounds') options.rounds = Number(value);
    else if (argv[i] === '--seconds') options.seconds = Number(value);
    else fail(`unknown flag ${argv[i]}, expected --batches, --rounds or --seconds`);
    i++;
  }
  if (!options.batches.every((b) => Number.isInteger(b) && b >= 1 && b <= 4096)) fail('--batches is a comma-separated list of integers from 1 to 4096');
  if (!Number.isInteger(options.rounds) || options.rounds < 1) fail('--rounds is an integer of at least 1');
  if (!(options.seconds >= 2)) fail('--seconds is a number of at least 2');
  return options;
}

function fail(message: string): never {
  console.error(`bench:lab: ${message}`);
  process.exit(2);
}

/** The page's status line once data has loaded, and the kernel set it names. */
async function openLab(page: Page, url: string): Promise<string> {
  await page.goto(url);
  await page.waitForFunction(() => /^Paused · step 0/.test(document.querySelector('#status')?.textContent ?? ''), undefined, { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Training' }).click();
  const status = String(await page.textContent('#status'));
  const kernels = / · ([^·]+) kernels$/.exec(status)?.[1];
  if (kernels === undefined) fail(`the lab's status line "${status}" names no kernels`);
  return kernels;
}

/** The lab's samples/s readout over `seconds`, once a second, training at `batch` after a warm-up. */
async function labReadings(page: Page, batch: number, seconds: number): Promise<Readings> {
  await page.fill('input[name="batchSize"]', String(batch));
  await page.press('input[name="batchSize"]', 'Enter');
  await page.waitForFunction((b) => document.querySelector('#settings-note')?.textContent?.includes(`→ ${b}`) ?? false, batch, { timeout: 10_000 }).catch(() => undefined);
  await page.locator('#start').click();
  await page.waitForTimeout(WARM_UP_S * 1000);
  const readings: Readings = [];
  for (let s = 0; s < seconds; s++) {
    await page.waitForTimeout(1000);
    const shown = Number(String(await page.textContent('#readout-speed')).replaceAll(',', ''));
    if (shown > 0) readings.push(shown);
  }
  await page.locator('#start').click(); // pause
  await page.waitForFunction(() => /^Paused/.test(document.querySelector('#status')?.textContent ?? ''), undefined, { timeout: 10_000 });
  return readings;
}

/** `reclink train`'s samples/s at `batch`: each epoch's after the first (steps and validation, wall clock). */
function cliReadings(batch: number, kernelSet: 'plain' | 'relaxed', epochs: number): Readings {
  const runs = mkdtempSync(join(tmpdir(), 'reclink-bench-lab-'));
  try {
    const args = ['train', '--backend', 'wasm', '--threads', '1', '--kernels', kernelSet, '--batch', String(batch), '--epochs', String(epochs), '--runs-dir', runs, '--json'];
    const run = spawnSync(process.execPath, [reclinkBin, ...args], { cwd: root, encoding: 'utf8' });
    if (run.status !== 0) fail(`reclink ${args.join(' ')} failed: ${run.stderr.trim()}`);
    const seconds = run.stdout.split('\n').filter((line) => line.startsWith('{"event":"epoch"')).map((line) => (JSON.parse(line) as { seconds: number }).seconds);
    return seconds.slice(1).map((s) => TRAIN_SAMPLES / s);
  } finally {
    rmSync(runs, { recursive: true, force: true });
  }
}

/** Epochs of `reclink train` for about `seconds` of readings at the lab's rate (the first dropped; at least 2 measured). */
function cliEpochs(labRate: number, seconds: number): number {
  return 1 + Math.max(2, Math.min(30, Math.ceil((seconds * labRate) / TRAIN_SAMPLES)));
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const whole = (n: number): string => Math.round(n).toLocaleString('en-US');
const cell = (readings: Readings): string => (readings.length === 0 ? '–' : `${whole(median(readings))} (${whole(Math.min(...readings))}–${whole(Math.max(...readings))})`);

function processorName(): string {
  const lscpu = spawnSync('lscpu', { encoding: 'utf8' });
  return /^Model name:\s*(.+)$/m.exec(lscpu.stdout ?? '')?.[1] ?? 'unknown processor';
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const server = await serveLab({ port: 0 });
  const profile = mkdtempSync(join(tmpdir(), 'reclink-bench-lab-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1440, height: 900 } });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const kernels = await openLab(page, server.url);
    const kernelSet = kernels === 'WebAssembly relaxed SIMD' ? 'relaxed' : kernels === 'WebAssembly SIMD' ? 'plain' : fail(`the lab trains on ${kernels} kernels, expected WebAssembly`);
    const lab = new Map<number, Readings>(), cli = new Map<number, Readings>();
    for (let round = 1; round <= options.rounds; round++) {
      for (const batch of options.batches) {
        console.error(`round ${round}/${options.rounds}, batch ${batch}: lab, then reclink train`);
        const readings = await labReadings(page, batch, options.seconds);
        lab.set(batch, [...(lab.get(batch) ?? []), ...readings]);
        cli.set(batch, [...(cli.get(batch) ?? []), ...cliReadings(batch, kernelSet, cliEpochs(readings.length ? median(readings) : 10_000, options.seconds))]);
      }
    }
    const version = await context.browser()?.version();
    console.log(`bench:lab, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: chromium ${version ?? '?'}, Node ${process.version}, ${processorName()}`);
    console.log(`Training samples/s on the wall clock, ${kernels} kernels, 1 thread, Adam, bundled digits; median (range) of ${options.rounds} round(s)`);
    console.log(['batch', 'lab'.padStart(28), 'reclink train'.padStart(28), 'lab / train'.padStart(12)].join('  '));
    for (const batch of options.batches) {
      const l = lab.get(batch) ?? [], c = cli.get(batch) ?? [];
      const ratio = l.length && c.length ? `${Math.round((100 * median(l)) / median(c))} %` : '–';
      console.log([String(batch).padStart(5), cell(l).padStart(28), cell(c).padStart(28), ratio.padStart(12)].join('  '));
    }
  } finally {
    await context.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

await main();
