import { clone, type Matrix } from '../linalg/matrix.js';
import { RecLinkNet } from '../model/reclink-net.js';
import { lossGradient, outputGradients, sgdStep } from '../reference/errata.js';

/** The row of the sign error of 3.2 in `ERRATA` (0-based): the lab also runs it on the live network. */
export const SIGN_ERRATUM = 5;

/** The demonstration's plain gradient descent on the output layer, as the exercise's 3.2 derives it. */
export const SIGN_DEMO = Object.freeze({ steps: 20, lr: 3e-4 });

/** E / N after each step of the demonstration, from the same start: the exercise's sign and the correct one. */
export interface SignDemo {
  /** With the exercise's loss gradient 2(X − Y): gradient ascent. */
  literal: number[];
  /** With the correct 2(Y − X). */
  corrected: number[];
}

/**
 * Erratum 6 on the live network: `SIGN_DEMO.steps` steps of SGD on W_out and b_out of a
 * float64 copy of `net`, on the batch `x`, once with each sign of the loss gradient
 * (`src/reference/errata.ts`). The first entry of each list is E / N before any step.
 */
export function signErrorDemo(net: RecLinkNet, x: Matrix): SignDemo {
  const batch = clone(x, 'float64');
  const run = (sign: 'literal' | 'corrected'): number[] => {
    const copy = new RecLinkNet(net.config, { dtype: 'float64' });
    copy.parameters.forEach((p, i) => p.value.data.set(net.parameters[i].value.data));
    const weight = copy.parameter('output.weight').value, bias = copy.parameter('output.bias').value;
    const losses: number[] = [];
    for (let step = 0; step <= SIGN_DEMO.steps; step++) {
      losses.push(copy.computeGradients(batch).loss / batch.rows);
      const gradient = outputGradients(copy, lossGradient(copy, batch, sign));
      sgdStep(weight, gradient.weight, SIGN_DEMO.lr);
      sgdStep(bias, gradient.bias, SIGN_DEMO.lr);
    }
    return losses;
  };
  return { literal: run('literal'), corrected: run('corrected') };
}
