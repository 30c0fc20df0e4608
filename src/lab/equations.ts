import type { RecLinkConfig } from '../model/config.js';

/** One line of the derivation (docs/derivation.md): its TeX and the traced tensors it computes. */
export interface Equation {
  /** KaTeX source. */
  tex: string;
  /** Names in `traceModel`'s trace (and `X`, `E`) whose live numbers sit beside the equation. */
  tensors: string[];
}

const sub = (symbol: string, name: string): string => `${symbol}_{\\text{${name}}}`;
const A = (name: string): string => sub('A', name);
const Z = (name: string): string => sub('Z', name);
const W = (name: string): string => sub('W', name);
const b = (name: string): string => sub('b', name);
const delta = (name: string): string => sub('\\delta', name);
/** A cycle's tensor, X_rec^(t), transposed on request (one superscript: KaTeX refuses two). */
const rec = (symbol: string, t: number | string, transposed = false): string => `${symbol}_{\\text{rec}}^{(${t})${transposed ? '\\top' : ''}}`;
const grad = (of: string): string => `\\frac{\\partial E}{\\partial ${of}}`;

/** The forward equations for a network with `config`, one cycle a line. */
export function forwardEquations(config: RecLinkConfig): Equation[] {
  const T = config.cycles;
  const linkBias = config.linkBias ? ` + ${b('link')}` : '';
  const cycles = Array.from({ length: T }, (_, i): Equation => {
    const t = i + 1;
    const start = t === 1 ? `,\\quad ${rec('Z', 0)} = 0` : '';
    return {
      tex: `${rec('A', t)} = (${Z('in')} + ${rec('Z', t - 1)}) ${W('rec')}^{\\top} + ${b('rec')},\\quad ${rec('Z', t)} = f(${rec('A', t)})${start}`,
      tensors: [`A_rec.${t}`, `Z_rec.${t}`],
    };
  });
  return [
    { tex: `${A('in')} = X ${W('in')}^{\\top} + ${b('in')},\\quad ${Z('in')} = f(${A('in')})`, tensors: ['X', 'A_in', 'Z_in'] },
    { tex: `${sub('X', 'red')} = X K,\\quad K_{${config.linkStride}j,\\,j} = 1`, tensors: ['X_red'] },
    { tex: `${A('link')} = ${sub('X', 'red')} ${W('link')}^{\\top}${linkBias},\\quad ${Z('link')} = f(${A('link')})`, tensors: ['A_link', 'Z_link'] },
    ...cycles,
    { tex: `S = ${rec('Z', T)} + ${Z('link')}`, tensors: ['S'] },
    { tex: `${A('out')} = S ${W('out')}^{\\top} + ${b('out')},\\quad Y = g(${A('out')})`, tensors: ['A_out', 'Y'] },
    { tex: 'E = \\sum_n \\sum_k (x_{nk} - y_{nk})^2', tensors: ['E'] },
  ];
}

/** The backward equations for a network with `config`, back through time one cycle a line. */
export function backwardEquations(config: RecLinkConfig): Equation[] {
  const T = config.cycles;
  const earlierCycles = Array.from({ length: T - 1 }, (_, i): Equation => {
    const t = T - 1 - i;
    return { tex: `${rec('\\delta', t)} = (${rec('\\delta', t + 1)} ${W('rec')}) \\odot f'(${rec('A', t)})`, tensors: [`delta_rec.${t}`] };
  });
  const linkBias = config.linkBias ? `,\\quad ${grad(b('link'))} = \\sum_n ${delta('link')}` : '';
  return [
    { tex: `G_Y = ${grad('Y')} = 2\\,(Y - X)`, tensors: ['G_Y'] },
    { tex: `${delta('out')} = G_Y \\odot g'(${A('out')})`, tensors: ['delta_out'] },
    { tex: `${grad(W('out'))} = ${delta('out')}^{\\top} S,\\quad ${grad(b('out'))} = \\sum_n ${delta('out')}`, tensors: ['grad.output.weight', 'grad.output.bias'] },
    { tex: `G_S = ${delta('out')} ${W('out')}`, tensors: ['G_S'] },
    { tex: `${delta('link')} = G_S \\odot f'(${A('link')})`, tensors: ['delta_link'] },
    { tex: `${grad(W('link'))} = ${delta('link')}^{\\top} ${sub('X', 'red')}${linkBias}`, tensors: ['grad.link.weight', ...(config.linkBias ? ['grad.link.bias'] : [])] },
    { tex: `${rec('\\delta', T)} = G_S \\odot f'(${rec('A', T)})`, tensors: [`delta_rec.${T}`] },
    ...earlierCycles,
    {
      tex: `${grad(W('rec'))} = \\sum_{t=1}^{${T}} ${rec('\\delta', 't', true)} (${Z('in')} + ${rec('Z', 't-1')}),\\quad ${grad(b('rec'))} = \\sum_t \\sum_n ${rec('\\delta', 't')}`,
      tensors: ['grad.rec.weight', 'grad.rec.bias'],
    },
    { tex: `G_{\\text{in}} = \\Big(\\sum_{t=1}^{${T}} ${rec('\\delta', 't')}\\Big) ${W('rec')}`, tensors: ['G_in'] },
    { tex: `${delta('in')} = G_{\\text{in}} \\odot f'(${A('in')})`, tensors: ['delta_in'] },
    { tex: `${grad(W('in'))} = ${delta('in')}^{\\top} X,\\quad ${grad(b('in'))} = \\sum_n ${delta('in')}`, tensors: ['grad.input.weight', 'grad.input.bias'] },
  ];
}
