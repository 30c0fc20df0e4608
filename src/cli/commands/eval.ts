import type { Command } from 'commander';
import { deadOutputs } from '../../eval/dead-outputs.js';
import { reconstruct, reconstructionMetrics } from '../../eval/reconstruction.js';
import { DATA_FLAG_HELP, MODEL_FLAG_HELP, loadModelInput } from '../model-input.js';
import { print, printJson } from '../output.js';

interface EvalOptions {
  model: string;
  data?: string;
  json?: boolean;
}

/**
 * `reclink eval --model M [--data D] [--json]`: how well M reconstructs D, in D's units
 * (the checkpoint's normaliser is applied to the inputs and inverted on the outputs):
 * SSE, MSE per pixel and PSNR = 10·log10(peak² / MSE), peak 1 for data in [0, 1], else the
 * data's max − min; and the dead outputs (see `deadOutputs`), `null` in JSON for an output
 * activation other than ReLU.
 */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('evaluate a model on data: SSE, MSE per pixel, PSNR and dead outputs')
    .requiredOption('--model <path>', MODEL_FLAG_HELP)
    .option('--data <path>', DATA_FLAG_HELP)
    .option('--json', 'print the metrics as JSON')
    .addHelpText('after', '\nPSNR = 10·log10(peak² / MSE) with peak 1 for data in [0, 1], else the max − min of the data.\n' +
      'Dead outputs: output units whose ReLU never fires (pre-activation ≤ 0 on every sample evaluated):\n' +
      'each reconstructs its pixel as one constant and gets no gradient (ReLU output only).')
    .action((options: EvalOptions) => {
      const { net, normalizer, model, x, source } = loadModelInput(options.model, options.data);
      const metrics = { ...reconstructionMetrics(x, reconstruct(net, x, normalizer)), deadOutputs: deadOutputs(net, x, normalizer) };
      if (options.json) {
        printJson({ model, data: source, normalizer, ...metrics });
        return;
      }
      print(
        `${model} on ${source} (${metrics.samples} samples, normaliser ${normalizer.kind}):`,
        `  SSE            ${metrics.sse.toPrecision(6)}`,
        `  MSE per pixel  ${metrics.mse.toPrecision(4)}`,
        `  PSNR           ${metrics.psnr.toFixed(2)} dB (peak ${metrics.peak})`,
        `  dead outputs   ${describeDead(metrics.deadOutputs, x.cols, net.config.outputActivation)}`,
      );
    });
}

function describeDead(dead: number | null, outputs: number, activation: string): string {
  return dead === null ? `not counted (${activation} output, not ReLU)` : `${dead} of ${outputs} (ReLU never fires on these samples)`;
}
