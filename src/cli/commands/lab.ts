import type { Command } from 'commander';
import { serveLab } from '../../lab/serve.js';
import { integer } from '../config-flags.js';
import { print } from '../output.js';

interface LabOptions {
  port: number;
}

/** The port `reclink lab` listens on unless told otherwise. */
const DEFAULT_LAB_PORT = 5180;

/**
 * `reclink lab [--port P]`: serves the browser lab from the package's own folder on
 * 127.0.0.1 (nothing leaves the machine), prints its URL and runs until Ctrl-C.
 */
export function registerLab(program: Command): void {
  program
    .command('lab')
    .description('serve the browser lab on 127.0.0.1: train the network in a web page and watch every number of its derivation')
    .option('--port <P>', `the port on 127.0.0.1 (0 picks a free one)`, integer, DEFAULT_LAB_PORT)
    .action(async (options: LabOptions) => {
      const server = await serveLab({ port: options.port });
      print(`reclink lab: open ${server.url} in a browser (Ctrl-C stops the server)`);
      await new Promise<void>((done) => process.once('SIGINT', done));
      await server.close();
    });
}
