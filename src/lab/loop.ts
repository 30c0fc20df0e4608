import type { Backend } from '../linalg/backend.js';
import { clone, firstRows, fromValues, rowRange } from '../linalg/matrix.js';
import { ReclinkError } from '../errors.js';
import { checkSetting } from '../check/truth.js';
import { Normalizer, type NormalizationName } from '../data/normalize.js';
import { ERRATA } from '../docs/errata-table.js';
import { decodeCheckpoint, encodeCheckpoint } from '../io/checkpoint-format.js';
import { exportOnnx } from '../onnx/export-onnx.js';
import { traceModel, type Trace } from '../model/trace.js';
import type { LabCommand, LabErrorSource, LabEvent, LabFile, LabSnapshot } from './protocol.js';
import { LabSession, type LabDataset, type LossPoint } from './session.js';
import { checkSettings, DEFAULT_LAB_SETTINGS, describeChange, needsRebuild, switchNote, type LabSettings } from './settings.js';
import { checkpointOrigin, loadedMessage } from './checkpoint-origin.js';
import { dividedDataset, rangeNote } from './data-range.js';
import { Cadence } from './cadence.js';
import { SpeedMeter } from './speed.js';
import { analyse, type ModelAnalysis } from './analysis.js';
import { project } from './code-map.js';
import { judgeError } from './pad.js';
import { SIGN_ERRATUM, signErrorDemo } from './sign-demo.js';
import { tensorStats, type TensorStats } from './view-data.js';

/** What the loop needs from the worker it runs in. */
export interface LoopHost {
  /** Sends an event to the page. */
  post(event: LabEvent): void;
  /** Runs `task` after the messages already queued (so that `pause` gets through). */
  defer(task: () => void): void;
  /** Milliseconds, monotonic. */
  now(): number;
  /** Kernels to train with, on memory of their own: each new network gets new ones (the WebAssembly heap never frees). */
  makeBackend(): Promise<Backend>;
  /** The bundled digits. */
  loadBundled(): Promise<LabDataset>;
  /** The learner's files, checked with the command line's loaders. */
  loadFiles(files: LabFile[]): Promise<LabDataset>;
}

/** Milliseconds of training between two looks at the message queue. */
export const SLICE_MS = 30;
/** Milliseconds between two snapshots while training, at least. */
const SNAPSHOT_MS = 250;
/** Milliseconds between two analyses (codes map, dead outputs, error quantiles) while training, at least. */
export const ANALYSIS_MS = 2000;
/** Validation samples shown beside their reconstructions. */
export const SHOWN_SAMPLES = 16;

/**
 * The training worker's logic: it answers the page's commands and, while running, trains
 * in slices of `SLICE_MS`, yielding between them so that `pause` or new settings arrive
 * at once. Every change is reported as events (status, loss points, snapshots).
 */
export class LabLoop {
  private session: LabSession | null = null;
  private settings: LabSettings = { ...DEFAULT_LAB_SETTINGS };
  private running = false;
  private scheduled = false;
  private sample = 0;
  private readonly snapshots = new Cadence(SNAPSHOT_MS);
  private readonly speed = new SpeedMeter();
  private analysis: ModelAnalysis | null = null;
  private readonly analyses = new Cadence(ANALYSIS_MS);

  constructor(private readonly host: LoopHost) {}

  /** Handles one command from the page; errors become `error` events, never exceptions. */
  async handle(command: LabCommand): Promise<void> {
    try {
      await this.dispatch(command);
    } catch (error) {
      this.fail(sourceOf(command), error);
    }
  }

  private async dispatch(command: LabCommand): Promise<void> {
    switch (command.type) {
      case 'start':
        this.requireSession();
        if (!this.running) this.speed.start(this.host.now());
        this.running = true;
        this.schedule();
        return this.postStatus();
      case 'pause':
        this.running = false;
        this.speed.stop();
        return this.session ? this.postSnapshot() : this.postStatus(); // the views catch up with the weights they stopped at
      case 'step': {
        this.running = false;
        this.speed.stop();
        const session = this.requireSession();
        try {
          this.post([session.trainStep()], false);
        } catch (error) {
          this.rollBack(session);
          throw error;
        }
        return this.postSnapshot();
      }
      case 'reset': {
        const { dataset, net } = this.requireSession();
        this.begin(new LabSession(dataset, this.settings, await this.host.makeBackend(), net.config));
        return;
      }
      case 'settings':
        return this.configure(command.settings);
      case 'data': {
        const dataset = command.files.length === 0 ? await this.host.loadBundled() : await this.host.loadFiles(command.files);
        return this.useData(dataset);
      }
      case 'divide-data':
        return this.useData(dividedDataset(this.requireSession().dataset, command.divisor));
      case 'inspect':
        this.requireSession().sampleTrace(command.sample);
        this.sample = command.sample;
        return this.postSnapshot();
      case 'save':
        return this.save();
      case 'export':
        return this.exportOnnx();
      case 'load':
        return this.load(command.file);
      case 'erratum':
        return this.erratum(command.row);
      case 'check-setting': {
        const session = this.session;
        return this.host.post({ type: 'check-setting', setting: session && checkSetting(session.net, session.currentBatch), step: session?.step ?? 0 });
      }
      case 'draw':
        return this.draw(command.pixels);
      case 'digit':
        return this.digit(command.index);
    }
  }

  /** The drawing's reconstruction, its code's place on the current map, and its error against the training digits'. */
  private draw(pixels: Float32Array): void {
    const session = this.requireSession();
    const { inputSize } = session.net.config;
    if (pixels.length !== inputSize) throw new ReclinkError(`the drawing has ${pixels.length} pixels, the model expects ${inputSize}`);
    const x = fromValues(1, inputSize, pixels);
    const output = Float32Array.from(session.net.forward(x).data);
    const code = Float32Array.from(session.net.code.data);
    const analysis = this.analysis ?? this.analyse(session);
    if (analysis === null) throw new ReclinkError('the network\'s outputs overflow: reset it (r) or load a checkpoint to draw');
    let sse = 0;
    for (let k = 0; k < inputSize; k++) sse += (pixels[k] - output[k]) ** 2;
    this.host.post({ type: 'drawn', result: { output, point: project(analysis.map, code), sse, ...judgeError(sse, analysis.quantiles) } });
  }

  /** Validation sample `index` and its reconstruction, for the codes map's hover. */
  private digit(index: number): void {
    const session = this.requireSession();
    const { validation, validationLabels } = session.dataset;
    if (!Number.isInteger(index) || index < 0 || index >= validation.rows) throw new ReclinkError(`sample ${index} does not exist, expected 0 to ${validation.rows - 1}`, 2);
    const input = Float32Array.from(rowRange(validation, index, index + 1).data);
    const output = Float32Array.from(session.net.forward(fromValues(1, validation.cols, input)).data);
    this.host.post({ type: 'digit', index, label: validationLabels?.[index] ?? null, input, output });
  }

  /** The codes map and the rest of `ModelAnalysis` for the current weights, posted and kept. */
  private analyse(session: LabSession): ModelAnalysis | null {
    const start = this.host.now();
    const fresh = analyse(session.net, session.dataset, session.step, this.analysis?.map ?? null);
    this.analyses.ran(start, this.host.now());
    if (fresh === null) return null; // outputs that overflow: the last map stays
    this.analysis = fresh;
    this.host.post({ type: 'analysis', analysis: fresh });
    return fresh;
  }

  /** Runs an erratum's literal formula; the sign error also runs on the live network and batch. */
  private erratum(row: number): void {
    const erratum = ERRATA[row];
    if (!erratum) throw new ReclinkError(`errata row ${row} does not exist, expected 0 to ${ERRATA.length - 1}`, 2);
    const signDemo = row === SIGN_ERRATUM && this.session ? signErrorDemo(this.session.net, this.session.currentBatch) : null;
    this.host.post({ type: 'erratum', row, effect: erratum.effect(), signDemo });
  }

  /** Sends the model as a checkpoint in the command line's format, with where training stood and the kernel set it ran on. */
  private save(): void {
    const session = this.requireSession();
    const metadata = { source: 'reclink lab', step: String(session.step), epoch: String(session.epoch), kernels: session.backend.describe().kernels };
    const bytes = encodeCheckpoint(session.net, { metadata });
    this.host.post({ type: 'checkpoint', file: { name: `reclink-lab-step-${session.step}.safetensors`, bytes } });
  }

  /** Sends the model as an ONNX file, for onnxruntime and other runtimes (the lab trains on raw values: no normaliser). */
  private exportOnnx(): void {
    const session = this.requireSession();
    this.host.post({ type: 'checkpoint', file: { name: `reclink-lab-step-${session.step}.onnx`, bytes: exportOnnx(session.net) } });
  }

  /**
   * Continues from a checkpoint (the lab's, or a `reclink train` run's): its weights and
   * architecture, a fresh optimizer, step 0. A run that normalised its inputs is refused:
   * the lab trains on the data's own values.
   */
  private async load(file: LabFile): Promise<void> {
    const { dataset } = this.requireSession();
    const backend = await this.host.makeBackend();
    const { net, metadata } = decodeCheckpoint(file.bytes, file.name, { backend });
    const normalisation = normalisationOf(metadata, file.name);
    if (normalisation !== 'none') {
      throw new ReclinkError(`${file.name}: the model was trained on inputs normalised with ${normalisation}, expected none (the lab trains on the data's own values)`);
    }
    const session = new LabSession(dataset, this.settings, backend, { net, source: file.name });
    this.settings = session.settings;
    const { validation } = this.begin(session);
    this.host.post({ type: 'loaded', message: loadedMessage(file.name, checkpointOrigin(metadata), validation ?? NaN) });
  }

  /** New settings: a new architecture or seed restarts (a new session), the rest applies at once. */
  private async configure(settings: LabSettings): Promise<void> {
    const next = checkSettings({ ...settings });
    const session = this.session;
    const previous = this.settings;
    const label = describeChange(previous, next);
    if (session && needsRebuild(previous, next)) {
      this.settings = next;
      this.begin(new LabSession(session.dataset, next, await this.host.makeBackend(), session.net.config));
    } else {
      session?.configure(next);
      this.settings = next;
      this.postStatus();
    }
    if (session && label !== null) {
      const restarted = needsRebuild(previous, next);
      this.host.post({ type: 'settings-changed', step: restarted ? 0 : session.step, label, restarted, note: restarted ? null : switchNote(previous, next) });
    }
  }

  /** A new session on `dataset`, with a word when its values leave [0, 1]. */
  private async useData(dataset: LabDataset): Promise<void> {
    this.begin(new LabSession(dataset, this.settings, await this.host.makeBackend()));
    this.host.post({ type: 'data-range', note: rangeNote(dataset) });
  }

  /** Paused at step 0 of a new session: the first loss point (the curves start over, returned) and a snapshot. */
  private begin(session: LabSession): LossPoint {
    this.running = false;
    this.speed.stop();
    this.session = session;
    this.analysis = null; // a new network: a new map, its axes owing nothing to the last
    this.sample = Math.min(this.sample, session.dataset.validation.rows - 1);
    const first = session.firstPoint();
    this.post([first], true);
    this.postSnapshot();
    return first;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.host.defer(() => {
      this.scheduled = false;
      this.tick();
    });
  }

  /** One slice of training while running. */
  private tick(): void {
    const session = this.session;
    if (!this.running || session === null) return;
    const start = this.host.now();
    const points: LossPoint[] = [];
    let samples = 0;
    try {
      do {
        points.push(session.trainStep());
        samples += Math.min(this.settings.batchSize, session.dataset.train.rows);
      } while (this.host.now() - start < SLICE_MS);
    } catch (error) {
      this.running = false;
      this.speed.stop();
      this.post(points, false);
      this.rollBack(session);
      this.fail('training', error);
      return;
    }
    const end = this.host.now();
    this.speed.add(samples, end);
    this.post(points, false);
    if (this.snapshots.due(end)) this.postSnapshot();
    else this.postStatus();
    this.schedule();
  }

  /** After a divergence: the step whose weights the trainer kept (the curves drop what came after), and those weights. */
  private rollBack(session: LabSession): void {
    this.host.post({ type: 'rolled-back', step: session.step });
    this.postSnapshot();
  }

  private post(points: LossPoint[], restart: boolean): void {
    if (points.length > 0 || restart) this.host.post({ type: 'losses', points, restart });
  }

  /** A snapshot; the analysis too when paused, or when due while training (it takes a few passes over the data). */
  private postSnapshot(): void {
    const session = this.requireSession();
    const start = this.host.now();
    this.host.post({ type: 'snapshot', snapshot: snapshotOf(session, this.sample) });
    const end = this.host.now();
    this.snapshots.ran(start, end);
    const due = !this.running || this.analyses.due(end);
    if (due && this.analysis?.step !== session.step) this.analyse(session);
    this.postStatus();
  }

  private postStatus(): void {
    const session = this.session;
    this.host.post({
      type: 'status',
      status: {
        running: this.running,
        step: session?.step ?? 0,
        epoch: session?.epoch ?? 0,
        settings: { ...this.settings },
        data: session && { name: session.dataset.name, train: session.dataset.train.rows, validation: session.dataset.validation.rows },
        kernels: session?.backend.describe().kernels ?? null,
        samplesPerSecond: this.running ? this.speed.reading : null,
      },
    });
  }

  private requireSession(): LabSession {
    if (this.session === null) throw new ReclinkError('no data loaded yet: choose the bundled digits or your own files');
    return this.session;
  }

  private fail(source: LabErrorSource, error: unknown): void {
    if (!(error instanceof ReclinkError)) console.error(error);
    const message = error instanceof Error ? error.message : String(error);
    this.host.post({ type: 'error', source, message });
    this.postStatus();
  }
}

/** The input normalisation a `reclink train` checkpoint records (`none` in any other). */
function normalisationOf(metadata: Record<string, string>, source: string): NormalizationName {
  if (metadata.normalizer === undefined) return 'none';
  try {
    return Normalizer.fromJSON(JSON.parse(metadata.normalizer)).kind;
  } catch (error) {
    throw new ReclinkError(`${source}: the metadata normalizer is not valid (${error instanceof Error ? error.message : String(error)})`);
  }
}

function sourceOf(command: LabCommand): LabErrorSource {
  switch (command.type) {
    case 'settings':
      return 'settings';
    case 'data':
    case 'divide-data':
      return 'data';
    case 'inspect':
      return 'sample';
    case 'save':
    case 'export':
    case 'load':
      return 'checkpoint';
    default:
      return 'training';
  }
}

/** What the views draw, copied out of the session. */
function snapshotOf(session: LabSession, sample: number): LabSnapshot {
  const samples = session.dataset.validation;
  const inputs = clone(firstRows(samples, SHOWN_SAMPLES));
  const outputs = session.reconstruct(inputs);
  const x = session.currentBatch;
  const batch = traceModel(session.net, x);
  const traced = session.sampleTrace(sample);
  return {
    step: session.step,
    config: { ...session.net.config },
    inputs,
    outputs,
    inputWeight: clone(session.net.parameter('input.weight').value),
    outputWeight: clone(session.net.parameter('output.weight').value),
    batch: { size: x.rows, loss: batch.loss / x.rows, tensors: { X: tensorStats(x), ...statsOf(batch), E: tensorStats(fromValues(1, 1, [batch.loss])) } },
    sample: { index: sample, loss: traced.loss, tensors: { X: clone(rowRange(samples, sample, sample + 1)), ...Object.fromEntries(traced.tensors) } },
  };
}

function statsOf(trace: Trace): Record<string, TensorStats> {
  return Object.fromEntries([...trace.tensors].map(([name, m]) => [name, tensorStats(m)]));
}
