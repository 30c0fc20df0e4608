import { extname } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { reconstruct, valueRange } from '../../eval/reconstruction.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { firstRows } from '../../linalg/matrix.js';
import { encodePng, pairGrid } from '../../report/grid.js';
import { positiveInteger } from '../config-flags.js';
import { DATA_FLAG_HELP, MODEL_FLAG_HELP, loadModelInput } from '../model-input.js';
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
    .requiredOption('--model <path>', MODEL_FLAG_HELP)
    .option('--data <path>', DATA_FLAG_HELP)
    .requiredOption('--out <path>', 'the image to write: a PNG file, its name ending in .png', pngPath)
    .option('--count <N>', 'samples to draw', positiveInteger, 32)
    .action((options: ReconstructOptions) => {
      const { net, normalizer, x } = loadModelInput(options.model, options.data);
      const inputs = firstRows(x, options.count);
      const image = pairGrid(inputs, reconstruct(net, inputs, normalizer), { columns: 8, zoom: 4, range: valueRange(x) });
      writeFileAtomic(options.out, encodePng(image));
      print(`wrote ${options.out}: ${inputs.rows} samples beside their reconstructions (${image.width}x${image.height})`);
    });
}

/** `--out`: the image is PNG, so its name says so (a .jpg or .gif name would hold PNG bytes). */
function pngPath(path: string): string {
  if (extname(path).toLowerCase() !== '.png') throw new InvalidArgumentError('Expected a file name ending in .png: reconstruct writes PNG images.');
  return path;
}
