import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_CONFIG, type RecLinkConfig } from '../model/config.js';

/**
 * Adds the config flags to `command`: `--input-size`, `--hidden-size`, `--link-stride`,
 * `--cycles`, `--link-bias`, `--output-activation`, `--init` and `--seed`. A flag not given
 * stays undefined, so that it overrides nothing.
 */
export function addConfigFlags(command: Command): Command {
  return command
    .option('--input-size <D>', 'input size D (default 225)', positiveInteger)
    .option('--hidden-size <H>', 'hidden size H (default 75)', positiveInteger)
    .option('--link-stride <s>', 'the link layer reads inputs 0, s, 2s, ... (default 3)', positiveInteger)
    .option('--cycles <T>', 'recurrent cycles T (default 2)', positiveInteger)
    .option('--link-bias', 'give the link layer a bias (default: none)')
    .addOption(new Option('--output-activation <name>', 'output activation g (default relu)').choices(['relu', 'sigmoid', 'identity']))
    .addOption(new Option('--init <name>', 'weight initialisation (default torch)').choices(['torch', 'he', 'xavier']))
    .option('--seed <S>', 'seed of the initial weights (default 0)', integer);
}

/** The config fields among a command's options, those the user gave. */
export function configOverrides(options: Record<string, unknown>): Partial<RecLinkConfig> {
  return Object.fromEntries(Object.entries(options).filter(([key, value]) => key in DEFAULT_CONFIG && value !== undefined));
}

/** Parses a flag's value as an integer (commander reports the flag when it is not one). */
export function integer(text: string): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) throw new InvalidArgumentError('Expected an integer.');
  return value;
}

/** Parses a flag's value as an integer ≥ 1. */
export function positiveInteger(text: string): number {
  const value = integer(text);
  if (value < 1) throw new InvalidArgumentError('Expected a positive integer.');
  return value;
}

/** Parses a flag's value as a finite number (ranges are checked where the value is used). */
export function finiteNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError('Expected a number.');
  return value;
}
