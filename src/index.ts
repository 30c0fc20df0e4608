// The public API of reclink.
export { adamStepScalars, type Backend, type ActivationName, type SgdHyper, type AdamHyper, type AdamStepScalars } from './linalg/backend.js';
export { jsBackend } from './linalg/js-backend.js';
export { createWasmBackend, WasmBackend, MAX_THREADS, type WasmBackendOptions } from './linalg/wasm/wasm-backend.js';
export { selectBackend, loadWasmBackend, readWasmBytes, wasmSupported, resolveThreads, WASM_URL, type BackendName, type SelectBackendOptions } from './linalg/select-backend.js';
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
export { runBench, FLOPS_PER_SAMPLE, type BenchOptions, type BenchResult, type BenchReport } from './bench/run-bench.js';
export { formatBench } from './bench/format-bench.js';
