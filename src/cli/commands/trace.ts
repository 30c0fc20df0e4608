import type { Command } from 'commander';
import { ReclinkError } from '../../errors.js';
import { readNpyMatrix } from '../../io/npy.js';
import { matrixTensor, writeSafetensors } from '../../io/safetensors.js';
import { traceModel } from '../../model/trace.js';
import { addConfigFlags, configOverrides } from '../config-flags.js';
import { loadModel, MODEL_FLAG_HELP } from '../model-input.js';
import { print, printJson } from '../output.js';

interface TraceOptions {
  model: string;
  input: string;
  out: string;
  json?: boolean;
}

/**
 * `reclink trace --model M --input X.npy --out T.safetensors [--json] [config flags]`:
 * one forward and backward pass on X (sum-squared error), every intermediate written to T.
 * M is what `eval` takes (`loadModel`); a run's normaliser is applied to X first, so that
 * the trace is of what the model sees in training.
 */
export function registerTrace(program: Command): void {
  const command = program
    .command('trace')
    .description('run one forward and backward pass on a batch and write every intermediate (A_in ... delta_in, grad.*) to a safetensors file')
    .requiredOption('--model <path>', MODEL_FLAG_HELP)
    .requiredOption('--input <path>', 'the batch X: a 2-D NPY array, one sample a row (float32, float64, or uint8 pixels, divided by 255)')
    .requiredOption('--out <path>', 'the trace to write (.safetensors)')
    .option('--json', 'print the loss and every tensor (name, shape, L2 norm) as JSON');
  addConfigFlags(command)
    .addHelpText(
      'after',
      '\nConfig flags override the model file\'s config. For a plain safetensors file (no reclink\nmetadata) they give what its shapes cannot tell: cycles, output activation, an ambiguous\nlink stride. ' +
        'A run\'s checkpoint scales X with the run\'s normaliser first, as in training.',
    )
    .action((options: TraceOptions & Record<string, unknown>) => {
      const { net, normalizer } = loadModel(options.model, { overrides: configOverrides(options) });
      const input = readNpyMatrix(options.input);
      const { inputSize } = net.config;
      if (input.cols !== inputSize || input.rows === 0) {
        throw new ReclinkError(`${options.input}: the batch is ${input.rows}x${input.cols}, the model expects N x ${inputSize} (inputSize) with N >= 1`);
      }
      const { loss, tensors } = traceModel(net, normalizer.apply(input));
      const toWrite = new Map([...tensors].map(([name, m]) => [name, matrixTensor(m)]));
      writeSafetensors(options.out, toWrite, { format: 'reclink-trace', loss: String(loss), config: JSON.stringify(net.config) });
      if (!options.json) {
        print(`loss ${loss}`, `wrote ${tensors.size} tensors to ${options.out}`);
        return;
      }
      const rows = [...tensors].map(([name, m]) => ({ name, shape: [m.rows, m.cols], norm: Math.sqrt(net.backend.sumOfSquares(m)) }));
      printJson({ loss, out: options.out, tensors: rows });
    });
}
