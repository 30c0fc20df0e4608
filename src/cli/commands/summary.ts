import type { Command } from 'commander';
import { resolveConfig } from '../../model/config.js';
import { formatSummary, summarize } from '../../model/summary.js';
import { addConfigFlags, configOverrides, positiveInteger } from '../config-flags.js';
import { print, printJson } from '../output.js';

interface SummaryOptions {
  batch: number;
  json?: boolean;
}

/** `reclink summary [--batch N] [--json] [config flags]`: the exercise's 3.1.1 table. */
export function registerSummary(program: Command): void {
  const command = program
    .command('summary')
    .description("print every parameter and activation with its shape (the exercise's 3.1.1 table) and the parameter count")
    .option('--batch <N>', 'batch size N of the activations', positiveInteger, 1)
    .option('--json', 'print the table as JSON');
  addConfigFlags(command).action((options: SummaryOptions & Record<string, unknown>) => {
    const summary = summarize(resolveConfig(configOverrides(options)), options.batch);
    if (options.json) printJson(summary);
    else print(formatSummary(summary));
  });
}
