// The public API of reclink.
export { adamStepScalars, type Backend, type ActivationName, type SgdHyper, type AdamHyper, type AdamStepScalars } from './linalg/backend.js';
export { jsBackend } from './linalg/js-backend.js';
export { createWasmBackend, attachWasmBackend, WasmBackend, MAX_THREADS, type WasmBackendOptions, type MemoryRegion } from './linalg/wasm/wasm-backend.js';
export { selectBackend, loadWasmBackend, readWasmBytes, wasmSupported, resolveThreads, WASM_URL, type BackendName, type SelectBackendOptions } from './linalg/select-backend.js';
export { zeros, fromValues, clone, dtypeOf, assertShape, firstRows, rowRange, type Matrix, type DType, type FloatArray } from './linalg/matrix.js';
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
export { AreaResampler, resampleArea, type ImageSize } from './data/resample.js';
export { fitImages, type ImageFit } from './data/image-fit.js';
export { loadDataset, BUNDLED, type Dataset } from './data/dataset.js';
export { loadMnist15, MNIST15_PATH } from './data/mnist15.js';
export { parseMnist15, encodeMnist15, MNIST15_SOURCE, type LabelledImages } from './data/mnist15-format.js';
export { splitDataset, selectSamples, type SplitOptions, type Split } from './data/split.js';
export { parseCsv, readCsv } from './data/csv.js';
export { parseIdx, readIdx } from './data/idx.js';
export { readPngFolder } from './data/png-folder.js';
export { imageSamples, type DecodedImage } from './data/png-format.js';
export { checkPng, checkImageData, MAX_PNG_SIDE, type PngLayout } from './data/png-check.js';
export { parseNpySamples } from './data/npy-samples.js';
export { MAX_DATASET_VALUES } from './data/checks.js';
export { Normalizer, NORMALIZATIONS, type NormalizationName, type NormalizerJSON } from './data/normalize.js';
export { writeFileAtomic } from './io/atomic-write.js';
export {
  readSafetensors,
  writeSafetensors,
  parseSafetensors,
  serializeSafetensors,
  matrixTensor,
  MAX_HEADER_BYTES,
  MAX_TENSORS,
  MAX_DIMENSIONS,
  type Safetensors,
  type SafetensorsTensor,
  type SafetensorsDType,
  type TensorToWrite,
} from './io/safetensors.js';
export { readNpy, readNpyMatrix, writeNpy, parseNpy, serializeNpy, npyMatrix, MAX_NPY_HEADER_BYTES, type NpyArray, type NpyDType } from './io/npy.js';
export { saveCheckpoint, loadCheckpoint, encodeCheckpoint, decodeCheckpoint, type Checkpoint, type CheckpointExtras, type LoadCheckpointOptions } from './io/checkpoint.js';
export { Sgd, SGD_DEFAULTS, type SgdOptions, type SgdJson } from './train/sgd.js';
export { Adam, AdamW, AdamFamily, ADAM_DEFAULTS, ADAMW_DEFAULTS, type AdamOptions, type AdamJson } from './train/adam.js';
export type { Optimizer, OptimizerKind, OptimizerState, OptimizerJson, Trainable } from './train/optimizer.js';
export { clipGradNorm, globalNorm, gradNorm } from './train/clip.js';
export {
  constantSchedule,
  stepSchedule,
  cosineSchedule,
  linearWarmup,
  type Schedule,
  type SchedulePosition,
  type ScheduleUnit,
  type StepScheduleOptions,
  type CosineScheduleOptions,
  type WarmupOptions,
} from './train/schedule.js';
export { Trainer, type TrainResult } from './train/trainer.js';
export { DataParallel, type DataParallelOptions, type ParallelMode } from './train/data-parallel.js';
export type { GradientSource } from './train/gradient-source.js';
export { TRAINER_DEFAULTS, resolveTrainerOptions, type TrainerOptions, type TrainerOptionsInput, type EarlyStopping } from './train/trainer-options.js';
export type { TrainerState, TrainerJson, Progress, BestScore } from './train/trainer-state.js';
export type { TrainerEvents, BatchEvent, EpochEvent, EpochRecord, Divergence, StopEvent, StopReason, Listener } from './train/events.js';
export { evaluate, type Evaluation } from './train/evaluate.js';
export {
  resolveTrainingSettings,
  createOptimizer,
  createSchedule,
  trainerOptions,
  TRAINING_DEFAULTS,
  type TrainingSettings,
  type ScheduleName,
} from './train/settings.js';
// ONNX export: the model as a graph for onnxruntime and other ONNX runtimes (see exportOnnx).
export { exportOnnx, ONNX_OPSETS, type OnnxExportOptions } from './onnx/export-onnx.js';
export { ONNX_NAMES } from './onnx/reclink-graph.js';
export { VERSION } from './version.js';
export { reconstruct, reconstructionMetrics, valueRange, type ReconstructionMetrics, type ValueRange } from './eval/reconstruction.js';
export { encode } from './eval/codes.js';
export {
  sampleErrors,
  scoreSamples,
  quantile,
  errorQuantiles,
  recordedThreshold,
  RECORDED_QUANTILES,
  DEFAULT_QUANTILE,
  type ErrorQuantiles,
  type SampleScore,
} from './eval/scores.js';
export { deadOutputs } from './eval/dead-outputs.js';
export { pairGrid, encodePng, type GreyImage, type GridOptions } from './report/grid.js';
export { renderReport, type ReportInput } from './report/report.js';
export type { NamedMatrices } from './train/tensors.js';
export { FiniteDifferences, type NumericSample } from './reference/finite-difference.js';
export { gradientCheck, DEFAULT_GRADIENT_CHECK, type GradientCheckOptions, type TensorCheck } from './reference/gradient-check.js';
export { serveLab, LAB_ROOT, type LabServer, type ServeOptions } from './lab/serve.js';
// The derivation checker: `checkInThread` loads math.js in its worker thread, so that importing reclink does not.
export { checkInThread, type ThreadOptions } from './check/run.js';
export { checkSetting, type CheckSetting } from './check/truth.js';
export { exampleDerivation, skeletonDerivation, EXAMPLE_NAMES, type ExampleName } from './check/examples.js';
export { formatReport, countLine } from './check/format.js';
export { CHECK_TIME_LIMIT_MS, MAX_DERIVATION_BYTES, type CheckRequest } from './check/protocol.js';
export { DerivationError, RIGHT_BELOW, type CheckReport, type GradientVerdict, type LineVerdict, type CheckFailure } from './check/report.js';
export { boundNames, requiredGradients, intermediateNames, type NamedTensor } from './check/names.js';
export { runBench, FLOPS_PER_SAMPLE, type BenchOptions, type BenchResult, type BenchReport } from './bench/run-bench.js';
export { formatBench } from './bench/format-bench.js';
