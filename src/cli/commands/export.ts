import { InvalidArgumentError, type Command } from 'commander';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { ONNX_OPSETS, exportOnnx } from '../../onnx/export-onnx.js';
import { integer } from '../config-flags.js';
import { MODEL_FLAG_HELP, loadModel } from '../model-input.js';
import { print } from '../output.js';

interface ExportOptions {
  model: string;
  out: string;
  opset: number;
}

/**
 * `reclink export --model M --out model.onnx [--opset 17]`: M as an ONNX model (see
 * `exportOnnx`), its normaliser in the graph: raw data in, reconstructions in the data's
 * units out.
 */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write a model as ONNX: input [N, D], outputs reconstruction [N, D] and code [N, H]')
    .requiredOption('--model <path>', MODEL_FLAG_HELP)
    .requiredOption('--out <path>', 'the ONNX file to write (.onnx)')
    .option('--opset <n>', `the ai.onnx operator set, ${ONNX_OPSETS.min} to ${ONNX_OPSETS.max}`, opset, ONNX_OPSETS.default)
    .action((options: ExportOptions) => {
      const { net, normalizer, model } = loadModel(options.model);
      writeFileAtomic(options.out, exportOnnx(net, { opset: options.opset, normalizer }));
      const { inputSize: d, hiddenSize: h } = net.config;
      const scaled = normalizer.kind === 'none' ? '' : ` (the ${normalizer.kind} normaliser inside: raw data in, data units out)`;
      print(`wrote ${options.out} from ${model}: ONNX opset ${options.opset}, input [N, ${d}], outputs reconstruction [N, ${d}] and code [N, ${h}]${scaled}`);
    });
}

/** Parses `--opset`: an integer in the range `exportOnnx` writes. */
function opset(text: string): number {
  const value = integer(text);
  if (value < ONNX_OPSETS.min || value > ONNX_OPSETS.max) throw new InvalidArgumentError(`Expected an integer from ${ONNX_OPSETS.min} to ${ONNX_OPSETS.max}.`);
  return value;
}
