import { clone, type Matrix } from '../linalg/matrix.js';
import type { LossReduction } from '../nn/loss.js';
import type { RecLinkNet } from './reclink-net.js';

/** Every intermediate of one forward and backward pass, by the names of docs/derivation.md. */
export interface Trace {
  /** E for the batch. */
  loss: number;
  /**
   * In pass order: `A_in`, `Z_in`, `X_red`, `A_link`, `Z_link`, `A_rec.1`, `Z_rec.1`, …, `A_rec.T`,
   * `Z_rec.T`, `S`, `A_out`, `Y`, `G_Y`, `delta_out`, `G_S`, `delta_link`, `delta_rec.T`, …, `delta_rec.1`,
   * `G_in`, `delta_in`, then `grad.<parameter name>` for every parameter. Each is a copy.
   */
  tensors: Map<string, Matrix>;
}

/** Runs one forward and backward pass on X and copies out everything it computed. */
export function traceModel(net: RecLinkNet, x: Matrix, reduction: LossReduction = 'sum'): Trace {
  const { loss } = net.computeGradients(x, reduction);
  const { input, link, rec, output } = net;
  const { gradY, gradS, gradIn } = net.activationGradients;
  const cycles = rec.cells.map((cell, t) => ({ cell, t: t + 1 }));
  const entries: [string, Matrix][] = [
    ['A_in', input.a],
    ['Z_in', input.z],
    ['X_red', link.x],
    ['A_link', link.a],
    ['Z_link', link.z],
    ...cycles.flatMap(({ cell, t }): [string, Matrix][] => [[`A_rec.${t}`, cell.a], [`Z_rec.${t}`, cell.z]]),
    ['S', output.x],
    ['A_out', output.a],
    ['Y', output.z],
    ['G_Y', gradY],
    ['delta_out', output.delta],
    ['G_S', gradS],
    ['delta_link', link.delta],
    ...[...cycles].reverse().map(({ cell, t }): [string, Matrix] => [`delta_rec.${t}`, cell.delta]),
    ['G_in', gradIn],
    ['delta_in', input.delta],
    ...net.parameters.map((p): [string, Matrix] => [`grad.${p.name}`, p.grad]),
  ];
  return { loss, tensors: new Map(entries.map(([name, m]) => [name, clone(m)])) };
}
