import type { RecLinkConfig } from '../model/config.js';

/** The parts of a network's config that decide the names of a derivation. */
export type NamesConfig = Pick<RecLinkConfig, 'cycles' | 'linkBias'>;

/** A name of the formula language and the tensor it stands for. */
export interface NamedTensor {
  /** As the learner writes it: `A_rec2`, `W_in`, `d_out`, `dW_in`. */
  name: string;
  /** As `traceModel` names it (`A_rec.2`, `delta_out`, `grad.input.weight`), or a parameter's name (`input.weight`). */
  source: string;
}

/** 1 … T. */
function cycles({ cycles: t }: NamesConfig): number[] {
  return Array.from({ length: t }, (_, i) => i + 1);
}

/**
 * The names a derivation may read: the batch X, every forward intermediate of the trace and
 * the parameters (biases 1 × n). `b_link` only with a link bias.
 */
export function boundNames(config: NamesConfig): NamedTensor[] {
  const recurrent = cycles(config).flatMap((t) => [
    { name: `A_rec${t}`, source: `A_rec.${t}` },
    { name: `Z_rec${t}`, source: `Z_rec.${t}` },
  ]);
  const traced = ['Y', 'S', 'A_in', 'Z_in', 'X_red', 'A_link', 'Z_link', 'A_out'].map((name) => ({ name, source: name }));
  return [{ name: 'X', source: 'X' }, ...traced, ...recurrent, ...parameterNames(config)];
}

/** W_in, b_in, W_link (b_link), W_rec, b_rec, W_out, b_out. */
function parameterNames(config: NamesConfig): NamedTensor[] {
  return PARAMETER_NAMES.filter((p) => config.linkBias || p.source !== 'link.bias');
}

const PARAMETER_NAMES: readonly NamedTensor[] = [
  { name: 'W_in', source: 'input.weight' },
  { name: 'b_in', source: 'input.bias' },
  { name: 'W_link', source: 'link.weight' },
  { name: 'b_link', source: 'link.bias' },
  { name: 'W_rec', source: 'rec.weight' },
  { name: 'b_rec', source: 'rec.bias' },
  { name: 'W_out', source: 'output.weight' },
  { name: 'b_out', source: 'output.bias' },
];

/** The results a derivation must define: ∂E/∂ of every parameter, as `d` + the parameter's name. */
export function requiredGradients(config: NamesConfig): NamedTensor[] {
  return parameterNames(config).map((p) => ({ name: `d${p.name}`, source: `grad.${p.source}` }));
}

/**
 * The backward pass's intermediates a derivation may define under these names, checked
 * against the trace when it does: G_Y, d_out, G_S, d_link, d_recT … d_rec1, G_in, d_in.
 */
export function intermediateNames(config: NamesConfig): NamedTensor[] {
  const deltas = cycles(config)
    .reverse()
    .map((t) => ({ name: `d_rec${t}`, source: `delta_rec.${t}` }));
  return [
    { name: 'G_Y', source: 'G_Y' },
    { name: 'd_out', source: 'delta_out' },
    { name: 'G_S', source: 'G_S' },
    { name: 'd_link', source: 'delta_link' },
    ...deltas,
    { name: 'G_in', source: 'G_in' },
    { name: 'd_in', source: 'delta_in' },
  ];
}

/** The functions the language adds to math.js. */
export const BOUND_FUNCTIONS = ['relu', 'drelu', 'sigmoid', 'dsigmoid'] as const;
