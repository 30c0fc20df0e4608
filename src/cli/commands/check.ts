import { statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { exampleDerivation, EXAMPLE_NAMES, type ExampleName } from '../../check/examples.js';
import { formatReport } from '../../check/format.js';
import { sizeProblem } from '../../check/protocol.js';
import { formatFailure, type CheckReport } from '../../check/report.js';
import { checkInThread } from '../../check/run.js';
import { checkSetting } from '../../check/truth.js';
import { loadMnist15 } from '../../data/mnist15.js';
import { selectSamples } from '../../data/split.js';
import { ReclinkError } from '../../errors.js';
import { readBytes } from '../../io/bytes.js';
import type { ActivationName } from '../../linalg/backend.js';
import type { Matrix } from '../../linalg/matrix.js';
import type { RecLinkConfig } from '../../model/config.js';
import { RecLinkNet } from '../../model/reclink-net.js';
import { integer, positiveInteger } from '../config-flags.js';
import { print, printJson } from '../output.js';

interface CheckOptions {
  cycles?: number;
  hiddenSize?: number;
  outputActivation?: ActivationName;
  linkBias?: boolean;
  seed?: number;
  batch: number;
  json?: boolean;
  example?: ExampleName;
}

/** The most samples `--batch` takes: math.js evaluates slowly, and a check has a time limit. */
const MAX_BATCH = 1000;

/**
 * `reclink check FILE [--example exercise|correct] [--cycles T] [--hidden-size H]
 * [--output-activation g] [--link-bias] [--seed S] [--batch N] [--json]`: checks a hand-derived
 * backward pass against the network's own gradients. Exit 0 when every gradient is right, 1
 * when one is wrong, 2 when the file cannot be checked.
 */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('check your own derivation of the backward pass (math.js formulas, one assignment a line) against the network\'s gradients, with a diagnosis of each wrong one')
    .argument('[file]', 'the derivation: G_Y = 2 * (Y - X), d_out = ..., dW_out = d_out\' * S, ... (see --example correct)')
    .addOption(new Option('--example <which>', "print a derivation and check it: the exercise's own formulas (with their errors) or a correct one").choices(EXAMPLE_NAMES))
    .option('--cycles <T>', 'recurrent cycles T (default 2)', positiveInteger)
    .option('--hidden-size <H>', 'hidden size H (default 75)', positiveInteger)
    .addOption(new Option('--output-activation <g>', 'output activation g (default relu)').choices(['relu', 'sigmoid', 'identity']))
    .option('--link-bias', 'give the link layer a bias (then b_link is bound and db_link required)')
    .option('--seed <S>', 'seed of the network\'s weights (default 0)', integer)
    .option('--batch <N>', `the batch: N bundled digits, evenly spaced through the data set (at most ${MAX_BATCH})`, positiveInteger, 4)
    .option('--json', 'print the report as JSON: {"ok", "gradients": [{"name", "line", "ok", "relativeError", "diagnosis"}], "lines": [...], "error", "setting"}')
    .addHelpText('after', `
Bound names: X, Y, S, A_in, Z_in, X_red, A_link, Z_link, A_rec1 … A_recT, Z_rec1 … Z_recT,
A_out; W_in, b_in, W_link (b_link), W_rec, b_rec, W_out, b_out (biases 1 × n). Functions: relu,
drelu, sigmoid, dsigmoid and the rest of math.js. Required: dW_in, db_in, dW_link (db_link),
dW_rec, db_rec, dW_out, db_out. Known intermediates, checked when defined: G_Y, d_out, G_S,
d_link, d_rec1 … d_recT, G_in, d_in. The file is at most 64 KB; a check stops after 10 s.`)
    .action(async (file: string | undefined, options: CheckOptions) => {
      const path = derivationPath(file, options);
      const { config, batch } = settingOf(options);
      const net = new RecLinkNet(config, { dtype: 'float64' });
      const example = path === null ? exampleDerivation(options.example as ExampleName, net.config) : null;
      const text = example ?? readDerivation(path as string);
      const report = await checkInThread({ text, setting: checkSetting(net, batch.x) });
      const described = { network: { ...net.config }, samples: batch.indices, digits: batch.digits };
      if (options.json) printJson({ ...report, setting: described, ...(example ? { text } : {}) });
      else if (report.error === null) printReport(report, example, describeSetting(net, batch));
      conclude(report, path ?? `the ${options.example} example`);
    });
}

/** The file to read, or null for an example. */
function derivationPath(file: string | undefined, options: CheckOptions): string | null {
  if (options.example !== undefined && file !== undefined) throw new ReclinkError(`give a file or --example, not both (got ${file} and --example ${options.example})`, 2);
  if (options.example !== undefined) return null;
  if (file === undefined) throw new ReclinkError('missing the derivation: expected a FILE, or --example exercise|correct', 2);
  return file;
}

/** The file's text; one that cannot be read, is too large or is not UTF-8 cannot be checked (exit 2). */
function readDerivation(path: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    size = 0; // readBytes names the problem
  }
  const tooLarge = sizeProblem(size);
  if (tooLarge) throw new ReclinkError(`${path}: ${tooLarge}`, 2);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readBytes(path));
  } catch (error) {
    const message = error instanceof ReclinkError ? error.message : `${path}: not UTF-8 text`;
    throw new ReclinkError(message, 2);
  }
}

interface Batch {
  x: Matrix;
  indices: number[];
  digits: number[];
}

function settingOf(options: CheckOptions): { config: Partial<RecLinkConfig>; batch: Batch } {
  if (options.batch > MAX_BATCH) throw new ReclinkError(`--batch is ${options.batch}, expected at most ${MAX_BATCH}`, 2);
  const data = loadMnist15();
  const step = Math.floor(data.x.rows / options.batch);
  const indices = Array.from({ length: options.batch }, (_, k) => k * step);
  const picked = selectSamples(data, indices);
  const { cycles, hiddenSize, outputActivation, linkBias, seed } = options;
  const config = Object.fromEntries(Object.entries({ cycles, hiddenSize, outputActivation, linkBias, seed }).filter(([, v]) => v !== undefined));
  return { config, batch: { x: picked.x, indices, digits: Array.from(picked.labels ?? []) } };
}

function describeSetting(net: RecLinkNet, batch: Batch): string {
  const { cycles, hiddenSize, outputActivation, linkBias, seed } = net.config;
  return `# Checked in float64 on the network with T = ${cycles}, H = ${hiddenSize}, g = ${outputActivation}, ${linkBias ? 'a' : 'no'} link bias, seed ${seed}, and ${batch.x.rows} bundled digits (${batch.digits.join(', ')}).`;
}

/** The report as text; after an example, as comments, so that the output is a derivation to edit. */
function printReport(report: CheckReport, example: string | null, setting: string): void {
  const lines = [setting, ...formatReport(report)];
  if (example === null) print(...lines);
  else print(example, ...lines.map((line) => (line.startsWith('#') ? line : `# ${line}`.trimEnd())));
}

/** Exit 0 when right; otherwise one line on stderr and exit 1 (a wrong gradient) or 2 (cannot be checked). */
function conclude(report: CheckReport, where: string): void {
  if (report.error) throw new ReclinkError(`${where}${report.error.line === null ? ': ' : ':'}${formatFailure(report.error)}`, 2);
  const wrong = report.gradients.filter((g) => !g.ok).map((g) => g.name);
  if (wrong.length > 0) throw new ReclinkError(`${where}: ${wrong.length} of ${report.gradients.length} gradients are wrong: ${wrong.join(', ')}`, 1);
}
