import { Command } from 'commander';
import { VERSION } from '../version.js';
import { registerBench } from './commands/bench.js';
import { registerCheck } from './commands/check.js';
import { registerEncode } from './commands/encode.js';
import { registerEval } from './commands/eval.js';
import { registerExport } from './commands/export.js';
import { registerInit } from './commands/init.js';
import { registerLab } from './commands/lab.js';
import { registerReconstruct } from './commands/reconstruct.js';
import { registerScore } from './commands/score.js';
import { registerSummary } from './commands/summary.js';
import { registerTrace } from './commands/trace.js';
import { registerTrain } from './commands/train.js';
import { outcomeOf } from './error-line.js';

/**
 * Runs the `reclink` command line on `argv` (`process.argv`: node, the script, then the
 * arguments) and returns the exit code: 0 ok, 1 bad input, 2 bad usage, 130 interrupted. A failure prints
 * one line `reclink: <what is wrong>` on stderr, never a stack trace.
 */
export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return 0;
  } catch (error) {
    const { exitCode, line } = outcomeOf(error);
    if (line !== null) process.stderr.write(`${line}\n`);
    return exitCode;
  }
}

function program(): Command {
  const root = new Command('reclink')
    .description('the recurrent-link autoencoder of a deep-learning exercise')
    .version(VERSION)
    .exitOverride()
    // Errors are printed by main as one line; help goes to stdout.
    .configureOutput({ writeErr: () => {}, outputError: () => {} });
  registerTrain(root);
  registerEval(root);
  registerReconstruct(root);
  registerEncode(root);
  registerScore(root);
  registerExport(root);
  registerSummary(root);
  registerInit(root);
  registerTrace(root);
  registerCheck(root);
  registerLab(root);
  registerBench(root);
  return root;
}
