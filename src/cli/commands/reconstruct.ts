import type { Command } from 'commander';
import { reconstruct, valueRange } from '../../eval/reconstruction.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { firstRows } from '../../linalg/matrix.js';
import { encodePng, pairGrid } from '../../report/grid.js';
import { positiveInteger } from '../config-flags.js';
import { DATA_FLAG_HELP, loadModelInput } from '../model-input.js';
import { print } from '../output.js';

interface ReconstructOptions {
  model: string;
  data?: string;
  out: string;
  count: number;
}

/**
 * `reclink reconstruct --model M [--data D] --out grid.png [--count N]`: the first N
 * samples of D, each beside its reconstruction, as a PNG image (in D's units: the
 * normaliser is inverted for display).
 */
export function registerReconstruct(program: Command): void {
  program
    .command('reconstruct')
    .description('draw samples beside their reconstructions in a PNG image')
    .requiredOption('--model <path>', 'a checkpoint (a run\'s, or any reclink or plain safetensors file), or a run folder (its best.safetensors; last.safetensors before an epoch is validated)')
    .option('--data <path>', DATA_FLAG_HELP)
    .requiredOption('--out <path>', 'the image to write (.png)')
    .option('--count <N>', 'samples to draw', positiveInteger, 32)
    .action((options: ReconstructOptions) => {
      const { net, normalizer, x } = loadModelInput(options.model, options.data);
      const inputs = firstRows(x, options.count);
      const image = pairGrid(inputs, reconstruct(net, inputs, normalizer), { columns: 8, zoom: 4, range: valueRange(x) });
      writeFileAtomic(options.out, encodePng(image));
      print(`wrote ${options.out}: ${inputs.rows} samples beside their reconstructions (${image.width}x${image.height})`);
    });
}
