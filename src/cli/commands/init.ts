import type { Command } from 'commander';
import { saveCheckpoint } from '../../io/checkpoint.js';
import { RecLinkNet } from '../../model/reclink-net.js';
import { addConfigFlags, configOverrides } from '../config-flags.js';
import { print } from '../output.js';

interface InitOptions {
  out: string;
}

/** `reclink init --out M.safetensors [--seed S] [config flags]`: a freshly initialised model. */
export function registerInit(program: Command): void {
  const command = program
    .command('init')
    .description('write a model with freshly drawn weights to a safetensors checkpoint')
    .requiredOption('--out <path>', 'the checkpoint to write (.safetensors)');
  addConfigFlags(command).action((options: InitOptions & Record<string, unknown>) => {
    const net = new RecLinkNet(configOverrides(options));
    saveCheckpoint(options.out, net);
    const { init, seed } = net.config;
    print(`wrote ${options.out}: ${net.parameterCount.toLocaleString('en-US')} parameters, ${init} init, seed ${seed}`);
  });
}
