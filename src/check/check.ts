import { evaluateDerivation } from './evaluate.js';
import { judge } from './judge.js';
import { parseDerivation } from './parse.js';
import { DerivationError, failedReport, type CheckReport } from './report.js';
import { truthOf, type CheckSetting } from './truth.js';

/**
 * Checks a learner's backward pass, written in the formula language (math.js, one
 * assignment a line), against the true gradients of the setting's network on its batch:
 * parses it, evaluates it in float64 with the forward pass and the parameters bound, and
 * judges every required gradient (right when max|Δ| / max|true| ≤ 1e-6), with a diagnosis
 * from the catalogue of mistakes for each wrong one.
 *
 * Synchronous and unbounded in time (an expression may be slow): run it where it can be
 * stopped, as `checkInThread` and the lab's `CheckRunner` do. A derivation that cannot be
 * checked gives a report with `error` set (line and column where known); it never throws for
 * the text it is given, only for a setting that does not fit the config.
 *
 * @example
 * const report = checkDerivation(exampleDerivation('correct', net.config), checkSetting(net, x));
 * report.ok; // true
 */
export function checkDerivation(text: string, setting: CheckSetting): CheckReport {
  const truth = truthOf(setting);
  try {
    return judge(evaluateDerivation(parseDerivation(text, truth.config), truth.bound), truth);
  } catch (error) {
    if (error instanceof DerivationError) return failedReport(error.failure);
    throw error;
  }
}
