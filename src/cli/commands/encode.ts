import type { Command } from 'commander';
import { encode } from '../../eval/codes.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { writeNpy } from '../../io/npy.js';
import type { Matrix } from '../../linalg/matrix.js';
import { ReclinkError } from '../../errors.js';
import { DATA_FLAG_HELP, loadModelInput, MODEL_FLAG_HELP } from '../model-input.js';
import { print } from '../output.js';

interface EncodeOptions {
  model: string;
  data?: string;
  out: string;
}

/**
 * `reclink encode --model M [--data D] --out codes.npy|codes.csv`: the code S = Z_rec(T) +
 * Z_link of every sample of D (the output layer's input), N × H float32, in D's order.
 */
export function registerEncode(program: Command): void {
  program
    .command('encode')
    .description('write the code S (the output layer\'s input, N × H) of every sample to an NPY or CSV file')
    .requiredOption('--model <path>', MODEL_FLAG_HELP)
    .option('--data <path>', DATA_FLAG_HELP)
    .requiredOption('--out <path>', 'the codes to write: .npy (float32, N × H) or .csv (a header code_0 … and a row a sample)')
    .action((options: EncodeOptions) => {
      const format = outputFormat(options.out);
      const { net, normalizer, x, source } = loadModelInput(options.model, options.data);
      const codes = encode(net, x, normalizer);
      if (format === 'npy') writeNpy(options.out, codes);
      else writeFileAtomic(options.out, codesCsv(codes));
      print(`wrote ${options.out}: the ${codes.cols}-value codes of ${codes.rows} samples of ${source}`);
    });
}

function outputFormat(path: string): 'npy' | 'csv' {
  const name = path.toLowerCase();
  if (name.endsWith('.npy')) return 'npy';
  if (name.endsWith('.csv')) return 'csv';
  throw new ReclinkError(`--out ${path} has no .npy or .csv extension, expected codes.npy or codes.csv`, 2);
}

/** A header `code_0,…` and a row a sample, each value to 9 significant digits (reads back as the same float32). */
function codesCsv(codes: Matrix): string {
  const lines = [Array.from({ length: codes.cols }, (_, j) => `code_${j}`).join(',')];
  for (let n = 0; n < codes.rows; n++) {
    const row = codes.data.subarray(n * codes.cols, (n + 1) * codes.cols);
    lines.push(Array.from(row, (v) => String(Number(v.toPrecision(9)))).join(','));
  }
  return `${lines.join('\n')}\n`;
}
