/**
 * `reclink/check`: the checker of a learner's own backward-pass derivation (`reclink check`).
 * `checkInThread` evaluates the derivation in a worker thread, with a time limit, so that
 * math.js loads there and not in the importing program.
 *
 * @module reclink/check
 */
export { checkInThread, type ThreadOptions } from './run.js';
export { checkSetting, type CheckSetting } from './truth.js';
export { exampleDerivation, skeletonDerivation, EXAMPLE_NAMES, type ExampleName, type ExampleConfig } from './examples.js';
export { formatReport, countLine } from './format.js';
export { CHECK_TIME_LIMIT_MS, MAX_DERIVATION_BYTES, type CheckRequest } from './protocol.js';
export { DerivationError, RIGHT_BELOW, type CheckReport, type GradientVerdict, type LineVerdict, type CheckFailure } from './report.js';
export { boundNames, requiredGradients, intermediateNames, type NamedTensor, type NamesConfig } from './names.js';
