// The public API of reclink.
export type { Backend, ActivationName } from './linalg/backend.js';
export { jsBackend } from './linalg/js-backend.js';
export { zeros, fromValues, clone, dtypeOf, assertShape, type Matrix, type DType, type FloatArray } from './linalg/matrix.js';
export { Random } from './random.js';
export { ReclinkError } from './errors.js';
export type { Parameter } from './nn/parameter.js';
export { Dense } from './nn/dense.js';
export { LinkSelect } from './nn/link-select.js';
export { Recurrent } from './nn/recurrent.js';
export { SquaredError, type LossReduction } from './nn/loss.js';
export { DEFAULT_CONFIG, resolveConfig, linkWidth, type RecLinkConfig, type InitName } from './model/config.js';
export { RecLinkNet, type ModelOptions, type GradientResult } from './model/reclink-net.js';
export { referencePass, type ReferenceParameters, type ReferenceResult, type Rows } from './reference/scalar.js';
export { traceModel, type Trace } from './model/trace.js';
export { summarize, formatSummary, type ModelSummary, type SummaryRow } from './model/summary.js';
export { FiniteDifferences, type NumericSample } from './reference/finite-difference.js';
export { gradientCheck, DEFAULT_GRADIENT_CHECK, type GradientCheckOptions, type TensorCheck } from './reference/gradient-check.js';
