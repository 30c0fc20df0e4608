import type { Command } from 'commander';
import { DEFAULT_QUANTILE, recordedThreshold, sampleErrors, scoreSamples, type SampleScore } from '../../eval/scores.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { ReclinkError } from '../../errors.js';
import { finiteNumber } from '../config-flags.js';
import { DATA_FLAG_HELP, loadModelInput, MODEL_FLAG_HELP, type ModelInput } from '../model-input.js';
import { print, printJson } from '../output.js';

interface ScoreOptions {
  model: string;
  data?: string;
  out: string;
  quantile?: number;
  threshold?: number;
  json?: boolean;
}

/** The threshold a run of `score` flags above, and where it comes from. */
interface Threshold {
  value: number;
  /** `quantile 0.99 of 8000 training samples' SSE`, or `given`. */
  source: string;
}

/**
 * `reclink score --model M [--data D] --out scores.csv [--quantile q | --threshold t] [--json]`:
 * each sample's reconstruction error (CSV `index,sse,mse_per_pixel,outlier`, in D's order),
 * flagged as an outlier when its SSE is above the q-quantile of the training samples' errors
 * (recorded with the model by `reclink train`; default q = 0.99) or above t.
 */
export function registerScore(program: Command): void {
  program
    .command('score')
    .description('score every sample by its reconstruction error and flag the unusual ones (anomaly detection)')
    .requiredOption('--model <path>', MODEL_FLAG_HELP)
    .option('--data <path>', DATA_FLAG_HELP)
    .requiredOption('--out <path>', 'the scores to write (.csv: index,sse,mse_per_pixel,outlier)')
    .option('--quantile <q>', `flag samples whose SSE is above this quantile of the training errors recorded with the model: 0.5, 0.9, 0.99 or 0.999 (default ${DEFAULT_QUANTILE})`, finiteNumber)
    .option('--threshold <t>', 'flag samples whose SSE is above t (for a model without recorded quantiles)', finiteNumber)
    .option('--json', 'print a summary as JSON: samples, flagged, the threshold used')
    .action((options: ScoreOptions) => {
      if (!options.out.toLowerCase().endsWith('.csv')) throw new ReclinkError(`--out ${options.out} has no .csv extension, expected scores.csv`, 2);
      if (options.quantile !== undefined && options.threshold !== undefined) throw new ReclinkError('give --quantile or --threshold, not both', 2);
      const input = loadModelInput(options.model, options.data);
      const threshold = chooseThreshold(input, options);
      const scores = scoreSamples(sampleErrors(input.net, input.x, input.normalizer), input.x.cols, threshold.value);
      writeFileAtomic(options.out, scoresCsv(scores));
      const flagged = scores.filter((s) => s.outlier).length;
      if (options.json) printJson({ model: input.model, data: input.source, out: options.out, samples: scores.length, flagged, threshold });
      else print(`wrote ${options.out}: ${scores.length} samples of ${input.source}, ${flagged} above ${threshold.value.toPrecision(6)} (${threshold.source})`);
    });
}

function chooseThreshold(input: ModelInput, options: ScoreOptions): Threshold {
  if (options.threshold !== undefined) {
    if (options.threshold < 0) throw new ReclinkError(`--threshold ${options.threshold} is negative, expected an SSE ≥ 0`, 2);
    return { value: options.threshold, source: 'given' };
  }
  const q = options.quantile ?? DEFAULT_QUANTILE;
  if (input.errorQuantiles === null) {
    throw new ReclinkError(`${input.model} has no recorded training errors (a model written by reclink train has them): give --threshold`);
  }
  return { value: recordedThreshold(input.errorQuantiles, q), source: `quantile ${q} of ${input.errorQuantiles.samples} training samples' SSE` };
}

function scoresCsv(scores: readonly SampleScore[]): string {
  const rows = scores.map((s) => `${s.index},${s.sse},${s.msePerPixel},${s.outlier}`);
  return `index,sse,mse_per_pixel,outlier\n${rows.join('\n')}\n`;
}
