import type { RecLinkConfig } from '../model/config.js';
import { boundNames, intermediateNames, requiredGradients } from './names.js';

/** The two derivations `reclink check --example` prints: a right one, and the exercise's own. */
export type ExampleName = 'correct' | 'exercise';

export const EXAMPLE_NAMES: readonly ExampleName[] = ['correct', 'exercise'];

/** The parts of a model's config that the example derivations depend on. */
export type ExampleConfig = Pick<RecLinkConfig, 'cycles' | 'linkBias' | 'outputActivation'>;

/** A line of code and its comment. */
type Line = [code: string, comment?: string];

/**
 * A derivation in the formula language for a network of this config: `correct`, the backward
 * pass of docs/derivation.md; `exercise`, the exercise's formulas taken literally where
 * docs/derivation.md's errata table says they are wrong (rows 6–10), which the checker
 * finds wrong and names.
 */
export function exampleDerivation(name: ExampleName, config: ExampleConfig): string {
  const lines = name === 'correct' ? correct(config) : exercise(config);
  const width = Math.max(...lines.filter(([, comment]) => comment).map(([code]) => code.length));
  return `${lines.map(([code, comment]) => (comment ? `${code.padEnd(width)}  # ${comment}` : code).trimEnd()).join('\n')}\n`;
}

function cycles(config: ExampleConfig): number[] {
  return Array.from({ length: config.cycles }, (_, i) => i + 1);
}

/** δ_out = G_Y ⊙ g'(A_out), as the language writes it for g. */
function outputDelta({ outputActivation: g }: ExampleConfig): Line {
  if (g === 'identity') return ['d_out = G_Y', "δ_out = G_Y ⊙ g'(A_out), g' = 1 for the identity"];
  return [`d_out = G_Y .* d${g}(A_out)`, "δ_out = G_Y ⊙ g'(A_out)"];
}

function recInput(t: number): string {
  return t === 1 ? 'Z_in' : `(Z_in + Z_rec${t - 1})`;
}

function correct(config: ExampleConfig): Line[] {
  const T = config.cycles;
  const backInTime = cycles(config)
    .reverse()
    .map((t): Line => (t === T ? [`d_rec${t} = G_S .* drelu(A_rec${t})`, `δ_rec(${t}): the last cycle`] : [`d_rec${t} = (d_rec${t + 1} * W_rec) .* drelu(A_rec${t})`, 'back through time']));
  const all = (f: (t: number) => string): string => cycles(config).reverse().map(f).join(' + ');
  return [
    [`# A right backward pass, T = ${T}${config.linkBias ? ', with a link bias' : ''} (docs/derivation.md, "Backward"). Rows are samples,`],
    ["# W is out × in; A' is the transpose, A * B the matrix product, A .* B the element-wise one."],
    ['G_Y = 2 * (Y - X)', '∂E/∂Y, E = sum((X - Y).^2)'],
    outputDelta(config),
    ["dW_out = d_out' * S"],
    ['db_out = sum(d_out, 1)', 'the sum over the batch'],
    ['G_S = d_out * W_out', '∂E/∂S: S feeds the output layer'],
    ['d_link = G_S .* drelu(A_link)', "δ_link = G_S ⊙ f'(A_link)"],
    ["dW_link = d_link' * X_red"],
    ...(config.linkBias ? [['db_link = sum(d_link, 1)'] as Line] : []),
    ...backInTime,
    [`dW_rec = ${all((t) => `d_rec${t}' * ${recInput(t)}`)}`, 'W_rec is used in every cycle: a sum'],
    [`db_rec = ${all((t) => `sum(d_rec${t}, 1)`)}`],
    [`G_in = ${T === 1 ? 'd_rec1' : `(${all((t) => `d_rec${t}`)})`} * W_rec`, 'Z_in enters every cycle'],
    ['d_in = G_in .* drelu(A_in)'],
    ["dW_in = d_in' * X"],
    ['db_in = sum(d_in, 1)'],
  ];
}

function exercise(config: ExampleConfig): Line[] {
  const T = config.cycles;
  return [
    [`# The exercise's backward pass (3.2) as it is written, T = ${T}: its errors are rows 6–10 of`],
    ['# docs/derivation.md, "Errata of the exercise". `reclink check` names each one.'],
    ['G_Y = 2 * (X - Y)', 'row 6: 2 Σ (x − y) dy/dw, the sign flipped'],
    outputDelta(config),
    ["dW_out = transpose([sum(d_out, 1)]) * [mean(S, 1)]", 'row 7: δ_out summed over n, then times z_j'],
    ['db_out = sum(d_out, 1)'],
    ['G_S = d_out * W_out'],
    ['d_link = G_S', "row 8: 2 Σ (x − y) f'(a_out) w_out, no f'(a_link)"],
    ["dW_link = d_link' * X_red"],
    ...(config.linkBias ? [['db_link = sum(d_link, 1)'] as Line] : []),
    [`d_rec${T} = G_S .* drelu(A_rec${T})`],
    [`dW_rec = d_rec${T}' * ${recInput(T)}`, 'row 9: one chain, the last cycle\'s term alone'],
    [`db_rec = sum(d_rec${T}, 1)`],
    [`G_in = d_rec${T} * W_rec`, 'row 10: one chain, through the last cycle alone'],
    ['d_in = G_in .* drelu(A_in)'],
    ["dW_in = d_in' * X"],
    ['db_in = sum(d_in, 1)'],
  ];
}

/**
 * A derivation to start from: what the language binds and checks, as comments, then an empty
 * assignment for each known intermediate and required gradient, in the order of the backward pass.
 */
export function skeletonDerivation(config: ExampleConfig): string {
  const names = (list: { name: string }[]): string => list.map((n) => n.name).join(', ');
  const order = correct(config).flatMap(([code]) => (code.startsWith('#') ? [] : [code.slice(0, code.indexOf(' ='))]));
  return `${[
    `# Your backward pass, T = ${config.cycles}, g = ${config.outputActivation}: one assignment a line, # starts a comment.`,
    `# Bound: ${names(boundNames(config))} (biases 1 × n).`,
    "# A' transposes, A * B is the matrix product, A .* B the element-wise one, sum(A, 1) sums over the batch;",
    '# relu, drelu, sigmoid and dsigmoid act element-wise. E = sum((X - Y).^2).',
    `# Required: ${names(requiredGradients(config))}. Checked when defined: ${names(intermediateNames(config))}.`,
    ...order.map((name) => `${name} = `),
  ].join('\n')}\n`;
}
