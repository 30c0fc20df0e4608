import type { CheckSetting } from '../check/truth.js';
import type { Matrix } from '../linalg/matrix.js';
import type { RecLinkConfig } from '../model/config.js';
import type { LossPoint } from './session.js';
import type { ModelAnalysis } from './analysis.js';
import type { RangeNote } from './data-range.js';
import type { DrawingResult } from './pad.js';
import type { SignDemo } from './sign-demo.js';
import type { LabSettings } from './settings.js';
import type { TensorStats } from './view-data.js';

/** A file the learner picked, as bytes (the page has no file system). */
export interface LabFile {
  name: string;
  bytes: Uint8Array;
}

/** What the page asks of the training worker. */
export type LabCommand =
  /** Train continuously until paused. */
  | { type: 'start' }
  | { type: 'pause' }
  /** One optimizer step, then pause. */
  | { type: 'step' }
  /** A fresh network from the seed. */
  | { type: 'reset' }
  | { type: 'settings'; settings: LabSettings }
  /** Train on these files (CSV, NPY or PNG), or on the bundled digits when there are none. */
  | { type: 'data'; files: LabFile[] }
  /** Divide the data in use by `divisor` (0–255 pixels to [0, 1]) and start over. */
  | { type: 'divide-data'; divisor: number }
  /** Show the activations and deltas of this validation sample. */
  | { type: 'inspect'; sample: number }
  /** Send the model as a safetensors checkpoint. */
  | { type: 'save' }
  /** Send the model as an ONNX file (`exportOnnx`). */
  | { type: 'export' }
  | { type: 'load'; file: LabFile }
  /** The page's drawing (inputSize values in [0, 1]): reconstruct it, place its code on the map, judge its error. */
  | { type: 'draw'; pixels: Float32Array }
  /** Send validation sample `index` and its reconstruction (the codes map's hover). */
  | { type: 'digit'; index: number }
  /** Run the exercise's literal formula of errata row `row` (0-based, `ERRATA`'s order). */
  | { type: 'erratum'; row: number }
  /** Send the network and batch a derivation is checked on ("Your derivation"). */
  | { type: 'check-setting' };

/** Where the worker stands. */
export interface LabStatus {
  running: boolean;
  step: number;
  epoch: number;
  settings: LabSettings;
  /** The data in use, or null before any has loaded. */
  data: { name: string; train: number; validation: number } | null;
  /** The kernel set training runs on (`Backend.describe().kernels`: `TypeScript`, `WebAssembly SIMD`, `WebAssembly relaxed SIMD`), or null before any data has loaded. */
  kernels: string | null;
  /** Training speed on the wall clock over the last second or more (`SpeedMeter`), or null when paused or before a second has passed. */
  samplesPerSecond: number | null;
}

/** Everything the views draw, taken from the current weights. */
export interface LabSnapshot {
  step: number;
  config: RecLinkConfig;
  /** A fixed handful of validation samples and their reconstructions (rows). */
  inputs: Matrix;
  outputs: Matrix;
  /** W_in (H × D) and W_out (D × H). */
  inputWeight: Matrix;
  outputWeight: Matrix;
  /** The last training batch: E / N and the statistics of every tensor of its forward and backward pass. */
  batch: { size: number; loss: number; tensors: Record<string, TensorStats> };
  /** The inspected sample: its index, E, and every tensor of its pass (trace names). */
  sample: { index: number; loss: number; tensors: Record<string, Matrix> };
}

/** Which part of the page an error belongs to. */
export type LabErrorSource = 'data' | 'settings' | 'checkpoint' | 'training' | 'sample';

/** What the worker tells the page. */
export type LabEvent =
  | { type: 'status'; status: LabStatus }
  /** New loss points; `restart` when they begin a new run (the curves start over). */
  | { type: 'losses'; points: LossPoint[]; restart: boolean }
  /** Training diverged and the weights of `step` were kept: the curves drop the points after it. */
  | { type: 'rolled-back'; step: number }
  | { type: 'snapshot'; snapshot: LabSnapshot }
  /** A file for the learner to keep: a checkpoint, or the model as ONNX. */
  | { type: 'checkpoint'; file: LabFile }
  /** What the literal formula of errata row `row` does, measured; for the sign error (row 5), also on the live network. */
  | { type: 'erratum'; row: number; effect: string; signDemo: SignDemo | null }
  /** The current network and its last training batch, to check a derivation on; null before any data has loaded. */
  | { type: 'check-setting'; setting: CheckSetting | null; step: number }
  /**
   * The settings changed at `step`: `label` says what changed (`describeChange`); `restarted`
   * when the change needed a new network (the curves start over); `note` is what the learner
   * should know (`switchNote`), or null.
   */
  | { type: 'settings-changed'; step: number; label: string; restarted: boolean; note: string | null }
  | { type: 'error'; source: LabErrorSource; message: string }
  /** The codes map, the dead outputs and the training errors' quantiles of the current weights (at most every `ANALYSIS_MS` while training). */
  | { type: 'analysis'; analysis: ModelAnalysis }
  | { type: 'drawn'; result: DrawingResult }
  | { type: 'digit'; index: number; label: number | null; input: Float32Array; output: Float32Array }
  /** A checkpoint has loaded: what it was (`loadedMessage`). */
  | { type: 'loaded'; message: string }
  /** The data just loaded lies outside [0, 1] (`rangeNote`); null once it lies within. */
  | { type: 'data-range'; note: RangeNote | null };
