import { InvalidArgumentError, type Command } from 'commander';
import { formatBench } from '../../bench/format-bench.js';
import { runBench } from '../../bench/run-bench.js';
import { positiveInteger } from '../config-flags.js';
import { print, printJson } from '../output.js';

interface BenchFlags {
  batches?: number[];
  budgetMs?: number;
  threads?: number;
  python?: string;
  peers: boolean;
  json?: boolean;
}

/**
 * `reclink bench [--json] [--batches 1,16,...] [--budget-ms MS] [--threads N] [--python P] [--no-peers]`:
 * training and inference samples/s of reclink (js, wasm, wasm with threads) and, in the same
 * run, TensorFlow.js and PyTorch when they are installed, with ratios and GFLOP/s.
 */
export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('measure training and inference samples/s against TensorFlow.js and PyTorch, in the same run')
    .option('--batches <list>', 'batch sizes, comma-separated (default 1,16,64,256,1024)', batchList)
    .option('--budget-ms <ms>', 'milliseconds per measured cell (default 400)', positiveInteger)
    .option('--threads <N>', 'threads of the threaded WebAssembly rows, 2 or more (default: the cores, 2 to 4)', threadCount)
    .option('--python <path>', 'the Python that runs the PyTorch peer, which must import torch (default /usr/bin/python3, Debian\'s; see docs/pytorch-peer.md)')
    .option('--no-peers', 'measure reclink alone')
    .option('--json', 'print {"results": [{"impl", "batch", "mode", "samplesPerSec", "rounds", "unsteady"}, ...], "peak", "notes", "environment"}')
    .addHelpText('after', '\nEach cell is the median of 5 rounds; a cell whose rounds differ by more than 2x is marked ? (the machine was busy).')
    .action(async (flags: BenchFlags) => {
      const report = await runBench({
        batches: flags.batches,
        budgetMs: flags.budgetMs,
        threads: flags.threads,
        python: flags.python,
        peers: flags.peers,
        onProgress: (message) => process.stderr.write(`  ${message}\n`),
      });
      if (flags.json) printJson(report);
      else print(formatBench(report));
    });
}

function threadCount(text: string): number {
  const value = positiveInteger(text);
  if (value < 2) throw new InvalidArgumentError('Expected 2 or more: the threaded rows compare threads with one.');
  return value;
}

function batchList(text: string): number[] {
  const values = text.split(',').map((part) => Number(part.trim()));
  if (values.length === 0 || !values.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new InvalidArgumentError('Expected positive integers separated by commas, e.g. 1,16,64.');
  }
  return values;
}
