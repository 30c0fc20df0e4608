/**
 * reclink: the recurrent-link autoencoder, its layers, training, data and I/O.
 *
 * The browser lab's server is `reclink/lab`, the derivation checker `reclink/check` and the
 * speed benchmark `reclink/bench`.
 *
 * @module reclink
 */
// Matrices and the kernels behind them.
export type { Backend, BackendDescription, ActivationName, Accumulation } from './linalg/backend.js';
export { jsBackend, backendFor } from './linalg/js-backend.js';
export { createWasmBackend, type WasmBackend, type WasmBackendOptions, type MemoryRegion } from './linalg/wasm/wasm-backend.js';
export { selectBackend, wasmSupported, type BackendName, type SelectBackendOptions } from './linalg/select-backend.js';
export type { KernelSet, KernelSetChoice } from './linalg/wasm/kernels.js';
export { zeros, fromValues, clone, dtypeOf, firstRows, rowRange, type Matrix, type DType, type FloatArray } from './linalg/matrix.js';
export { Random, type RandomPurpose } from './random.js';
export { BatchMatrix } from './nn/batch-matrix.js';
export { ReclinkError } from './errors.js';
// Layers and the model.
export type { Parameter } from './nn/parameter.js';
export { Dense } from './nn/dense.js';
export { LinkSelect } from './nn/link-select.js';
export { Recurrent } from './nn/recurrent.js';
export { SquaredError, type LossReduction } from './nn/loss.js';
export { DEFAULT_CONFIG, resolveConfig, linkWidth, type RecLinkConfig, type InitName } from './model/config.js';
export { RecLinkNet, type ModelOptions, type GradientResult } from './model/reclink-net.js';
export { traceModel, type Trace } from './model/trace.js';
export { summarize, formatSummary, type ModelSummary, type SummaryRow } from './model/summary.js';
export { gradientCheck, DEFAULT_GRADIENT_CHECK, type GradientCheckOptions, type TensorCheck } from './reference/gradient-check.js';
export { checkLayer, type LayerUnderCheck, type LayerCheckOptions, type LayerTensorCheck } from './reference/layer-check.js';
// Data.
export { resampleArea, type ImageSize } from './data/resample.js';
export { fitImages, type ImageFit } from './data/image-fit.js';
export { loadDataset, BUNDLED, type Dataset } from './data/dataset.js';
export { loadMnist15, MNIST15_PATH } from './data/mnist15.js';
export { parseMnist15, type LabelledImages } from './data/mnist15-format.js';
export { splitDataset, selectSamples, type SplitOptions, type Split } from './data/split.js';
export { parseCsv, readCsv } from './data/csv.js';
export { parseIdx, readIdx } from './data/idx.js';
export { readPngFolder } from './data/png-folder.js';
export { imageSamples, type DecodedImage } from './data/png-format.js';
export { parseNpySamples } from './data/npy-samples.js';
export { Normalizer, NORMALIZATIONS, type NormalizationName, type NormalizerJSON } from './data/normalize.js';
// Files: checkpoints, arrays, ONNX.
export { writeFileAtomic } from './io/atomic-write.js';
export {
  readSafetensors,
  writeSafetensors,
  parseSafetensors,
  serializeSafetensors,
  matrixTensor,
  type Safetensors,
  type SafetensorsTensor,
  type SafetensorsDType,
  type TensorToWrite,
} from './io/safetensors.js';
export { readNpy, readNpyMatrix, writeNpy, parseNpy, serializeNpy, npyMatrix, type NpyArray, type NpyDType } from './io/npy.js';
export { saveCheckpoint, loadCheckpoint, encodeCheckpoint, decodeCheckpoint, type Checkpoint, type CheckpointExtras, type LoadCheckpointOptions } from './io/checkpoint.js';
export { exportOnnx, ONNX_OPSETS, type OnnxExportOptions } from './onnx/export-onnx.js';
export { ONNX_NAMES } from './onnx/reclink-graph.js';
// Training.
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
export type { NamedMatrices } from './train/tensors.js';
// Evaluation of a trained model.
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
export { VERSION } from './version.js';
