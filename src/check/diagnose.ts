import { figure } from '../docs/figures.js';
import type { Matrix } from '../linalg/matrix.js';
import { transpose } from '../linalg/products.js';
import { backwardPass, RIGHT_WAY } from './backward.js';
import { catalogue, FACTORS, type Mistake } from './catalogue.js';
import { describeExpected, describeValue, entriesShaped, relativeError } from './compare.js';
import type { Value } from './language.js';
import { RIGHT_BELOW } from './report.js';
import type { Truth } from './truth.js';
import { InternalError } from '../errors.js';

/**
 * Names what is wrong with a learner's value of a known quantity (an intermediate of the
 * backward pass or a gradient): a scale (the sign, a factor 2), a transpose, or a mistake of
 * the catalogue, each computed from the true forward pass; else its shape or its error.
 */
export class Diagnoser {
  private readonly mistakes: Mistake[];
  private readonly mistaken = new Map<Mistake, Map<string, Matrix>>();

  constructor(private readonly truth: Truth) {
    this.mistakes = catalogue(truth.config.cycles);
  }

  /** Plain words for `value`, known to differ from the truth of `name`. */
  diagnose(name: string, value: Value): string {
    const expected = this.truth.expected.get(name);
    if (!expected) throw new InternalError(`no true value of ${name}`);
    return this.scaled(value, expected) ?? this.transposed(name, value, expected) ?? this.catalogued(name, value, expected) ?? unexplained(value, expected);
  }

  /** The true value times −1, ½, −½, 2, or another factor. */
  private scaled(value: Value, expected: Matrix): string | null {
    const data = entriesShaped(value, expected);
    if (!data) return null;
    const named = FACTORS.find(({ factor }) => matches(data, expected, factor));
    if (named) return named.words;
    const c = fittedFactor(data, expected);
    return c !== 0 && Number.isFinite(c) && matches(data, expected, c) ? `${figure(c, 3)} times the true value` : null;
  }

  private transposed(name: string, value: Value, expected: Matrix): string | null {
    const t = transpose(expected);
    const data = entriesShaped(value, t);
    if (!data || expected.data.length < 2) return null;
    const scale = scaling(data, t);
    if (scale === null) return null;
    const why = name.startsWith('dW_') ? ": ∂E/∂W is out × in, δᵀ times the layer's input" : '';
    return `transposed: it is ${describeValue(value)}, expected ${describeExpected(expected)}${why}${scale}`;
  }

  private catalogued(name: string, value: Value, expected: Matrix): string | null {
    const context = this.truth.config;
    for (const mistake of this.mistakes) {
      const wrong = this.resultOf(mistake).get(name);
      if (!wrong || (wrong.rows === expected.rows && wrong.cols === expected.cols && relativeError(wrong.data, expected.data) <= RIGHT_BELOW)) continue;
      const data = entriesShaped(value, wrong);
      if (!data) continue;
      const scale = scaling(data, wrong);
      if (scale !== null) return `${mistake.explain(name, context)}${scale}`;
    }
    return null;
  }

  /** Every result of the backward pass written with `mistake`, computed once. */
  private resultOf(mistake: Mistake): Map<string, Matrix> {
    let result = this.mistaken.get(mistake);
    if (!result) {
      result = backwardPass(this.truth.bound, this.truth.config, { ...RIGHT_WAY, ...mistake.change });
      this.mistaken.set(mistake, result);
    }
    return result;
  }
}

function unexplained(value: Value, expected: Matrix): string {
  const data = entriesShaped(value, expected);
  if (!data) return `it is ${describeValue(value)}, expected ${describeExpected(expected)}`;
  if (data.some((v) => !Number.isFinite(v))) return 'it has entries that are not finite (NaN or infinite)';
  return 'not the true value, and no mistake of the catalogue explains it';
}

/** How `data` is scaled from `target`: '' as it is, `; and the sign is flipped …`; null when it is not one of these multiples. */
function scaling(data: Float64Array, target: Matrix): string | null {
  if (matches(data, target, 1)) return '';
  const named = FACTORS.find(({ factor }) => matches(data, target, factor));
  return named ? `; and ${named.words}` : null;
}

/** Whether `data` is `factor` times `target`, to the checker's tolerance. */
function matches(data: Float64Array, target: Matrix, factor: number): boolean {
  const scaled = target.data.map((v) => v * factor);
  return relativeError(data, scaled) <= RIGHT_BELOW;
}

/** The least-squares c in data ≈ c · target. */
function fittedFactor(data: Float64Array, target: Matrix): number {
  let dot = 0, norm = 0;
  for (let i = 0; i < data.length; i++) {
    dot += data[i] * target.data[i];
    norm += target.data[i] * target.data[i];
  }
  return norm === 0 ? 0 : dot / norm;
}
