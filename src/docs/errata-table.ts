import { count, figure, shape } from './figures.js';
import {
  BATCH_SUM,
  ERRATA_SETUP,
  IN_PATHS,
  LINK_DELTA,
  REC_SUM,
  literalErrorRange,
  measureBatchSum,
  measureInPaths,
  measureInputOrientation,
  measureLinkBias,
  measureLinkDelta,
  measureOutputSource,
  measureOutputSum,
  measureRecSum,
  measureSelection,
  measureSign,
  type GradientErratum,
} from '../reference/errata.js';

/** A row of the exercise's errata table (docs/derivation.md, "Errata of the exercise"). */
export interface Erratum {
  /** Where in the exercise: `3.1.3, K`. */
  where: string;
  /** What the exercise says (Markdown: code in backticks). */
  says: string;
  /** What the code does instead. */
  does: string;
  /** Runs the exercise's formula as written (`src/reference/errata.ts`) and says what goes wrong, with figures measured now. */
  effect(): string;
}

const n = ERRATA_SETUP.batch;

/** The errata in order (rows 1 to 10), for `docs/derivation.md` and the browser lab. */
export const ERRATA: readonly Erratum[] = [
  {
    where: '3.1.3, K',
    says: '`K[3n−2, n] = 1` for `1 ≤ n ≤ 74`',
    does: '`1 ≤ n ≤ 75`: K has 75 columns; the code gathers inputs 0, 3, …, 222 (counted from 0) instead of building K',
    effect: () => {
      const selection = measureSelection();
      return (
        `the last element of x_reduce is ${figure(selection.literalLast)} for all ${n} samples, where the input it should carry is ` +
        `${figure(selection.expectedLast[0])} to ${figure(selection.expectedLast[1])}, so A_link is off by ${figure(selection.literalLinkError)} ` +
        `(relative); with \`n ≤ 75\`, X K equals the code's gather (largest difference ${figure(selection.gatherDifference)})`
      );
    },
  },
  {
    where: '3.1.3, out',
    says: '`y = ReLU(A_in)`',
    does: '`Y = g(A_out)`',
    effect: () => {
      const source = measureOutputSource();
      return `y is ${shape(source.literalShape)} while the target X is ${shape(source.targetShape)}: E is undefined, there is nothing to measure`;
    },
  },
  {
    where: '3.1.3, in',
    says: '"X: input batch 225 × N" with `A_in = X W_inᵀ + b_in`',
    does: 'X is N × 225, a sample a row',
    effect: () => {
      const orientation = measureInputOrientation();
      return (
        `X W_inᵀ would multiply ${shape(orientation.literal.left)} by ${shape(orientation.literal.right)}: undefined unless N = 225; ` +
        `with 225 samples it is defined, but row i of the result belongs to input i, not to sample i: off by ` +
        `${figure(orientation.squareError)} (relative)`
      );
    },
  },
  {
    where: '3.1.1–3.1.3, link',
    says: 'a bias `b_link` in 3.1.2 only',
    does: 'no link bias by default; `linkBias: true` adds it',
    effect: () => {
      const linkBias = measureLinkBias();
      return (
        `none: each reading computes its own formula exactly; ${count(linkBias.parameters.without)} parameters without the bias, ` +
        `${count(linkBias.parameters.with)} with it`
      );
    },
  },
  {
    where: '3.1.2, out',
    says: '`a_out[n,j] = Σ_i w_out[j,i] z[n,j] + b_out[j]`',
    does: '`Σ_i w_out[j,i] z[n,i]`',
    effect: () => {
      const outputSum = measureOutputSum();
      return (
        `read as written, output j is z[n,j] times the sum of row j of W_out, one hidden unit each; z has ` +
        `${outputSum.outputs - outputSum.undefinedOutputs} entries, so for ${outputSum.undefinedOutputs} of the ${outputSum.outputs} outputs ` +
        `it reads past z (undefined), and the ${outputSum.outputs - outputSum.undefinedOutputs} it defines are off by ${figure(outputSum.relativeError)} (relative)`
      );
    },
  },
  {
    where: '3.2, dE/dw',
    says: '`2 Σ (x − y) dy/dw`',
    does: '`2 Σ (y − x) dy/dw`, i.e. `G_Y = 2 (Y − X)`',
    effect: () => {
      const sign = measureSign();
      return (
        `the exact opposite of the gradient: one SGD step of the output layer (learning rate ${sign.learningRate}) raises E ` +
        `from ${figure(sign.loss.before, 3)} to ${figure(sign.loss.literalStep, 3)}, where a step with the code's gradient lowers it ` +
        `to ${figure(sign.loss.correctedStep, 3)}`
      );
    },
  },
  {
    where: '3.2 a, δ_out',
    says: 'δ_out summed over n, then `dE/dw[k,j] = δ_out[k] · z_j`',
    does: '`dE/dw[k,j] = Σ_n δ_out[n,k] s[n,j]`: the sum holds the product',
    effect: () => {
      const [one, batch] = measureBatchSum().byBatch;
      return (
        `exact for one sample (error ${figure(one.gradient.literalError)}); for N = ${batch.batch}, with z_j read as the batch mean, ` +
        `a relative error of ${figure(batch.gradient.literalError)} in ∂E/∂W_out${overSeeds(BATCH_SUM)}`
      );
    },
  },
  {
    where: '3.2 b, link',
    says: "`δ_link = 2 Σ (x − y) f'(a_out) w_out`",
    does: "`δ_link = (δ_out W_out) ⊙ f'(A_link)`: the sum over output units k, and the link ReLU's derivative",
    effect: () => {
      const link = measureLinkDelta();
      return (
        `read as dropping only f'(A_link) (the sum over k and the sign as the code has them): a relative error of ` +
        `${figure(link.literalError)} in ∂E/∂W_link${overSeeds(LINK_DELTA)}`
      );
    },
  },
  {
    where: '3.2 c, rec',
    says: "a product of both cycles' chain terms",
    does: 'a sum over cycles: `∂E/∂W_rec = δ_rec(2)ᵀ (Z_in + Z_rec(1)) + δ_rec(1)ᵀ Z_in`',
    effect: () => {
      const rec = measureRecSum();
      return `read as the last cycle's term alone: a relative error of ${figure(rec.literalError)} in ∂E/∂W_rec${overSeeds(REC_SUM)}`;
    },
  },
  {
    where: '3.2 d, in',
    says: "one chain through cycle 2, f'(a_rec**) repeated",
    does: 'Z_in feeds both cycles: `G_in = (δ_rec(1) + δ_rec(2)) W_rec`',
    effect: () => {
      const inPaths = measureInPaths();
      return (
        `read as the direct path into the last cycle alone (\`G_in = δ_rec(2) W_rec\`): a relative error of ` +
        `${figure(inPaths.literalError)} in ∂E/∂W_in${overSeeds(IN_PATHS)}`
      );
    },
  },
];

/** ` (0.68 to 0.91 over model seeds 0–7)`: the literal gradient's error depends on the weights. */
function overSeeds(erratum: GradientErratum): string {
  const [low, high] = literalErrorRange(erratum);
  return ` (${figure(low)} to ${figure(high)} over model seeds 0–${ERRATA_SETUP.seeds - 1})`;
}
