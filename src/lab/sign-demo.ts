import { clone, zeros, type Matrix } from '../linalg/matrix.js';
import { RecLinkNet } from '../model/reclink-net.js';

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
 * float64 copy of `net`, on the batch `x`, once with each sign of the loss gradient. The
 * first entry of each list is E / N before any step.
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

/**
 * ∂E/∂W_out and ∂E/∂b_out with the loss gradient G (the exercise: 2(X − Y); correct:
 * 2(Y − X)): δ_out = G ⊙ g'(A_out), ∂E/∂W_out = δ_outᵀ S, ∂E/∂b_out = Σ_n δ_out.
 */
function outputGradients(net: RecLinkNet, lossGradient: Matrix): { weight: Matrix; bias: Matrix } {
  const { output, backend } = net;
  const delta = zeros(lossGradient.rows, lossGradient.cols, 'float64');
  backend.activationBackward(output.activation, output.a, output.z, lossGradient, delta);
  const weight = zeros(delta.cols, output.x.cols, 'float64'), bias = zeros(1, delta.cols, 'float64');
  backend.matmulAtB(delta, output.x, weight, false);
  backend.columnSums(delta, bias, false);
  return { weight, bias };
}

/** The exercise's loss gradient 2(X − Y), and the correct 2(Y − X). */
function lossGradient(net: RecLinkNet, x: Matrix, sign: 'literal' | 'corrected'): Matrix {
  const y = net.output.z;
  const g = zeros(y.rows, y.cols, 'float64');
  net.backend.squaredErrorGradient(y, x, sign === 'literal' ? -2 : 2, g);
  return g;
}

/** Plain gradient descent on one tensor: value −= learningRate · gradient. */
function sgdStep(value: Matrix, gradient: Matrix, learningRate: number): void {
  for (let i = 0; i < value.data.length; i++) value.data[i] -= learningRate * gradient.data[i];
}
