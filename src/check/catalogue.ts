import type { ActivationName } from '../linalg/backend.js';
import type { Way } from './backward.js';

/** What a diagnosis may say about the network. */
export interface Context {
  cycles: number;
  outputActivation: ActivationName;
}

/** A mistake a learner makes in this derivation: how it changes the backward pass, and how to say so. */
export interface Mistake {
  /** A stable name, for tests. */
  id: string;
  change: Partial<Way>;
  /** Plain words for a result `name` that this mistake changes. */
  explain(name: string, context: Context): string;
}

/** δ_rec(t)ᵀ U(t), with U(1) = Z_in and U(t) = Z_in + Z_rec(t−1). */
function recTerm(t: number): string {
  return t === 1 ? 'δ_rec(1)ᵀ Z_in' : `δ_rec(${t})ᵀ (Z_in + Z_rec(${t - 1}))`;
}

function biasTerm(t: number): string {
  return `Σ_n δ_rec(${t})`;
}

function cyclesBut(t: number, { cycles }: Context): number[] {
  return Array.from({ length: cycles }, (_, i) => i + 1).filter((c) => c !== t);
}

/** What one cycle alone gives for dW_rec or db_rec, and what is left out. */
function oneCycle(which: 'last' | 'first', name: string, context: Context): string {
  const t = which === 'last' ? context.cycles : 1;
  const term = name === 'db_rec' ? biasTerm : recTerm;
  const parameter = name === 'db_rec' ? 'b_rec' : 'W_rec';
  return `only the ${which} cycle's term ${term(t)}; ${parameter} is used in every cycle — add ${cyclesBut(t, context).map(term).join(' + ')}`;
}

/** What one path alone gives for G_in, and the sum it should be. */
function onePath(which: 'last' | 'first', context: Context): string {
  const t = which === 'last' ? context.cycles : 1;
  const all = Array.from({ length: context.cycles }, (_, i) => `δ_rec(${i + 1})`).join(' + ');
  return `G_in takes only the ${which} cycle's path δ_rec(${t}) W_rec; Z_in enters every cycle — G_in = (${all}) W_rec`;
}

function slopeCall(g: ActivationName): string {
  return g === 'sigmoid' ? 'dsigmoid(A_out)' : 'drelu(A_out)';
}

/**
 * The catalogue for a network of `cycles` cycles, in the order a diagnosis tries it. A
 * mistake whose result equals the true one on the network checked (ReLU's derivative taken at
 * Z is the same as at A; one cycle alone is every cycle when T = 1) is not offered for it.
 */
export function catalogue(cycles: number): Mistake[] {
  return [...MISTAKES, ...recDerivativeMistakes(cycles)];
}

/** The recurrent layer's f'(A_rec(t)) left out of every cycle, or of one. */
function recDerivativeMistakes(cycles: number): Mistake[] {
  const every: Mistake = {
    id: 'rec-derivative-missing',
    change: { recDerivativeMissing: Array.from({ length: cycles }, (_, i) => i + 1) },
    explain: () => "the recurrent layer's derivative is missing: every cycle's δ_rec(t) ends with ⊙ f'(A_rec(t)), `.* drelu(A_rec1)` and so on",
  };
  const one = Array.from({ length: cycles }, (_, i): Mistake => ({
    id: `rec-derivative-missing-${i + 1}`,
    change: { recDerivativeMissing: [i + 1] },
    explain: () => `the recurrent layer's derivative is missing in cycle ${i + 1}: δ_rec(${i + 1}) ends with ⊙ f'(A_rec(${i + 1})), \`.* drelu(A_rec${i + 1})\``,
  }));
  return cycles > 1 ? [every, ...one] : [every];
}

const MISTAKES: readonly Mistake[] = [
  {
    id: 'rec-last-term',
    change: { recTerms: 'last' },
    explain: (name, context) => oneCycle('last', name, context),
  },
  {
    id: 'rec-first-term',
    change: { recTerms: 'first' },
    explain: (name, context) => oneCycle('first', name, context),
  },
  {
    id: 'in-last-path',
    change: { inPaths: 'last' },
    explain: (_, context) => onePath('last', context),
  },
  {
    id: 'in-first-path',
    change: { inPaths: 'first' },
    explain: (_, context) => onePath('first', context),
  },
  {
    id: 'rec-input-without-z-in',
    change: { recInput: 'withoutZin' },
    explain: () => 'Z_in is left out of a later cycle\'s input: cycle t ≥ 2 reads U(t) = Z_in + Z_rec(t−1), so its term is δ_rec(t)ᵀ (Z_in + Z_rec(t−1))',
  },
  {
    id: 'out-derivative-missing',
    change: { outDerivative: 'missing' },
    explain: (_, { outputActivation: g }) => `the output activation's derivative is missing: δ_out = G_Y ⊙ g'(A_out), \`G_Y .* ${slopeCall(g)}\``,
  },
  {
    id: 'out-derivative-at-output',
    change: { outDerivative: 'atOutput' },
    explain: () => "the output activation's derivative is taken at Y = g(A_out) instead of at A_out: `dsigmoid(A_out)`, or `Y .* (1 - Y)`",
  },
  {
    id: 'link-derivative-missing',
    change: { linkDerivative: false },
    explain: () => "the link layer's derivative is missing: δ_link = G_S ⊙ f'(A_link), `G_S .* drelu(A_link)`",
  },
  {
    id: 'in-derivative-missing',
    change: { inDerivative: false },
    explain: () => "the input layer's derivative is missing: δ_in = G_in ⊙ f'(A_in), `G_in .* drelu(A_in)`",
  },
  {
    id: 'link-path-left-out-of-s',
    change: { outInput: 'Zrec' },
    explain: (_, { cycles }) => `the link path is left out of S: S = Z_rec(${cycles}) + Z_link, so ∂E/∂W_out = δ_outᵀ S`,
  },
  {
    id: 'bias-wrong-axis',
    change: { biasSum: 'units' },
    explain: () => 'summed over the wrong axis: a bias gradient sums δ over the batch, `sum(d, 1)`, one value a unit; this sums over the units, one value a sample',
  },
  {
    id: 'batch-sum-first',
    change: { batchSumFirst: true },
    explain: () => 'δ_out is summed over the batch before the product: the sum over samples holds the product, ∂E/∂W_out = Σ_n δ_out[n]ᵀ S[n] = δ_outᵀ S',
  },
];

/** The scale factors a diagnosis names, and how. */
export const FACTORS: readonly { factor: number; words: string }[] = [
  { factor: -1, words: 'the sign is flipped (∂E/∂Y = 2 (Y − X), not 2 (X − Y))' },
  { factor: 0.5, words: 'a factor 2 is missing (∂E/∂Y = 2 (Y − X): the derivative of the square)' },
  { factor: -0.5, words: 'the sign is flipped and a factor 2 is missing (∂E/∂Y = 2 (Y − X))' },
  { factor: 2, words: 'twice the true value (∂E/∂Y = 2 (Y − X) has one factor 2)' },
];
