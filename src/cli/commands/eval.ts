import type { Command } from 'commander';
import { reconstruct, reconstructionMetrics } from '../../eval/reconstruction.js';
import { DATA_FLAG_HELP, loadModelInput, MODEL_FLAG_HELP } from '../model-input.js';
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
 * data's max − min.
 */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('evaluate a model on data: SSE, MSE per pixel and PSNR')
    .requiredOption('--model <path>', MODEL_FLAG_HELP)
    .option('--data <path>', DATA_FLAG_HELP)
    .option('--json', 'print the metrics as JSON')
    .addHelpText('after', '\nPSNR = 10·log10(peak² / MSE) with peak 1 for data in [0, 1], else the max − min of the data.')
    .action((options: EvalOptions) => {
      const { net, normalizer, model, x, source } = loadModelInput(options.model, options.data);
      const metrics = reconstructionMetrics(x, reconstruct(net, x, normalizer));
      if (options.json) {
        printJson({ model, data: source, normalizer, ...metrics });
        return;
      }
      print(
        `${model} on ${source} (${metrics.samples} samples, normaliser ${normalizer.kind}):`,
        `  SSE            ${metrics.sse.toPrecision(6)}`,
        `  MSE per pixel  ${metrics.mse.toPrecision(4)}`,
        `  PSNR           ${metrics.psnr.toFixed(2)} dB (peak ${metrics.peak})`,
      );
    });
}
