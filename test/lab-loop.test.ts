import { describe, expect, it } from 'vitest';
import { ReclinkError } from '../src/errors.js';
import { decodeCheckpoint, encodeCheckpoint } from '../src/io/checkpoint-format.js';
import { jsBackend } from '../src/linalg/js-backend.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { rowRange } from '../src/linalg/matrix.js';
import { backwardEquations, forwardEquations } from '../src/lab/equations.js';
import { ERRATA } from '../src/docs/errata-table.js';
import { LabLoop, SHOWN_SAMPLES, SLICE_MS } from '../src/lab/loop.js';
import { SIGN_ERRATUM } from '../src/lab/sign-demo.js';
import type { LabCommand, LabEvent, LabSnapshot, LabStatus } from '../src/lab/protocol.js';
import type { LossPoint } from '../src/lab/session.js';
import { DEFAULT_LAB_SETTINGS } from '../src/lab/settings.js';
import { formatNumber } from '../src/lab/view-data.js';
import { blobDataset } from './lab-helpers.js';
import { expectOnnxAgrees } from './onnx-helpers.js';
import { Normalizer } from '../src/data/normalize.js';

/** A loop with a fake clock (each reading advances it by `tick` ms) and a task queue run by hand. */
function harness(tick = 10) {
  const events: LabEvent[] = [];
  const tasks: (() => void)[] = [];
  const made = { backends: 0 };
  let clock = 0;
  const loop = new LabLoop({
    post: (event) => events.push(event),
    defer: (task) => tasks.push(task),
    now: () => (clock += tick),
    makeBackend: async () => {
      made.backends++;
      return jsBackend;
    },
    loadBundled: async () => blobDataset(),
    loadFiles: async (files) => {
      if (files[0].name.endsWith('.bad')) throw new ReclinkError(`${files[0].name}: not a data file`);
      return { ...blobDataset(40, 8), name: files[0].name };
    },
  });
  const send = (command: LabCommand): Promise<void> => loop.handle(command);
  const runTasks = (): number => {
    let n = 0;
    while (tasks.length > 0 && n < 20) {
      tasks.shift()?.();
      n++;
    }
    return n;
  };
  const take = (): LabEvent[] => events.splice(0);
  return { send, runTasks, take, tasks, made };
}

const of = <T extends LabEvent['type']>(events: LabEvent[], type: T): Extract<LabEvent, { type: T }>[] =>
  events.filter((e): e is Extract<LabEvent, { type: T }> => e.type === type);
const lastStatus = (events: LabEvent[]): LabStatus => of(events, 'status').at(-1)!.status;
const points = (events: LabEvent[]): LossPoint[] => of(events, 'losses').flatMap((e) => e.points);

describe('the training worker loop', () => {
  it('says that data must come first', async () => {
    const lab = harness();
    await lab.send({ type: 'start' });
    const events = lab.take();
    expect(of(events, 'error')).toEqual([{ type: 'error', source: 'training', message: 'no data loaded yet: choose the bundled digits or your own files' }]);
    expect(lastStatus(events)).toMatchObject({ running: false, data: null, kernels: null });
  });

  it('loads data, then reports the first validation loss and a snapshot of every view', async () => {
    const lab = harness();
    await lab.send({ type: 'data', files: [] });
    const events = lab.take();
    const [losses] = of(events, 'losses');
    expect(losses.restart).toBe(true);
    expect(losses.points).toEqual([{ step: 0, epoch: 0, train: null, validation: expect.any(Number) }]);
    expect(lastStatus(events)).toMatchObject({ running: false, step: 0, data: { name: 'blobs', train: 96, validation: 32 }, settings: DEFAULT_LAB_SETTINGS, kernels: 'TypeScript' });
    const snapshot: LabSnapshot = of(events, 'snapshot')[0].snapshot;
    expect([snapshot.inputs.rows, snapshot.inputs.cols, snapshot.outputs.rows]).toEqual([SHOWN_SAMPLES, 225, SHOWN_SAMPLES]);
    expect([snapshot.inputWeight.rows, snapshot.inputWeight.cols, snapshot.outputWeight.rows, snapshot.outputWeight.cols]).toEqual([75, 225, 225, 75]);
    const named = [...forwardEquations(snapshot.config), ...backwardEquations(snapshot.config)].flatMap((e) => e.tensors);
    expect(Object.keys(snapshot.batch.tensors).sort()).toEqual([...named].sort());
    expect(snapshot.batch.size).toBe(64);
    expect(snapshot.sample.index).toBe(0);
    expect(snapshot.sample.tensors.X.data).toEqual(snapshot.inputs.data.subarray(0, 225));
    expect(snapshot.sample.tensors['delta_rec.1'].cols).toBe(75);
  });

  it('takes one step, then trains in slices until paused', async () => {
    const lab = harness();
    await lab.send({ type: 'data', files: [] });
    lab.take();
    await lab.send({ type: 'step' });
    let events = lab.take();
    expect(points(events)).toEqual([{ step: 1, epoch: 0, train: expect.any(Number), validation: null }]);
    expect(of(events, 'snapshot')[0].snapshot.step).toBe(1);
    expect(lastStatus(events)).toMatchObject({ running: false, step: 1 });

    await lab.send({ type: 'start' });
    expect(lastStatus(lab.take()).running).toBe(true);
    lab.tasks.shift()?.(); // one slice: the fake clock advances 10 ms a reading, so a slice is SLICE_MS / 10 steps
    events = lab.take();
    expect(points(events).map((p) => p.step)).toEqual(Array.from({ length: SLICE_MS / 10 }, (_, i) => i + 2));
    expect(lastStatus(events)).toMatchObject({ running: true, step: 1 + SLICE_MS / 10, samplesPerSecond: null }); // less than a second of wall clock yet
    expect(lab.tasks.length).toBe(1); // the next slice is queued

    await lab.send({ type: 'pause' });
    expect(lastStatus(lab.take())).toMatchObject({ running: false, samplesPerSecond: null });
    lab.runTasks();
    expect(lab.take()).toEqual([]); // nothing ran after the pause
  });

  it('measures the validation loss at the end of each epoch', async () => {
    const lab = harness();
    await lab.send({ type: 'data', files: [] });
    await lab.send({ type: 'settings', settings: { ...DEFAULT_LAB_SETTINGS, batchSize: 32 } });
    lab.take();
    for (let i = 0; i < 4; i++) await lab.send({ type: 'step' });
    const steps = points(lab.take());
    expect(steps.map((p) => [p.step, p.epoch, p.validation === null])).toEqual([[1, 0, true], [2, 0, true], [3, 1, false], [4, 1, true]]);
  });

  it('applies the learning rate at once, and restarts for a new architecture', async () => {
    const lab = harness();
    await lab.send({ type: 'data', files: [] });
    await lab.send({ type: 'step' });
    lab.take();
    await lab.send({ type: 'settings', settings: { ...DEFAULT_LAB_SETTINGS, lr: 0.01 } });
    let events = lab.take();
    expect(of(events, 'losses')).toEqual([]);
    expect(lastStatus(events)).toMatchObject({ step: 1, settings: { lr: 0.01 } });
    expect(of(events, 'settings-changed')).toEqual([{ type: 'settings-changed', step: 1, label: 'learning rate 0.001 → 0.01', restarted: false, note: null }]);
    await lab.send({ type: 'settings', settings: { ...DEFAULT_LAB_SETTINGS, lr: 0.01, optimizer: 'sgd' } });
    expect(of(lab.take(), 'settings-changed')[0].note).toMatch(/^SGD starts with fresh state .* try 0\.00003\.$/);
    await lab.send({ type: 'settings', settings: { ...DEFAULT_LAB_SETTINGS, cycles: 3 } });
    events = lab.take();
    expect(of(events, 'settings-changed')).toEqual([{ type: 'settings-changed', step: 0, label: 'optimizer SGD → Adam, learning rate 0.01 → 0.001, cycles 2 → 3', restarted: true, note: null }]);
    expect(of(events, 'losses')[0]).toMatchObject({ restart: true, points: [{ step: 0 }] });
    expect(of(events, 'snapshot')[0].snapshot.config.cycles).toBe(3);
    expect(Object.keys(of(events, 'snapshot')[0].snapshot.sample.tensors)).toContain('Z_rec.3');
    expect(lab.made.backends).toBe(2); // a new network gets kernels of its own; a new learning rate does not
  });

  it('after a divergence, says which step\u2019s weights were kept, and the status agrees', async () => {
    const lab = harness();
    await lab.send({ type: 'data', files: [] });
    await lab.send({ type: 'settings', settings: { ...DEFAULT_LAB_SETTINGS, optimizer: 'sgd', lr: 10 } });
    lab.take();
    await lab.send({ type: 'start' });
    lab.runTasks();
    const events = lab.take();
    const [rolledBack] = of(events, 'rolled-back');
    expect(of(events, 'error')[0].message).toMatch(/^training diverged: .*kept the weights from after step (\d+);/);
    expect(rolledBack.step).toBe(Number(/after step (\d+)/.exec(of(events, 'error')[0].message)?.[1]));
    expect(lastStatus(events)).toMatchObject({ running: false, step: rolledBack.step });
    expect(events.indexOf(rolledBack)).toBeLessThan(events.indexOf(of(events, 'error')[0]));
  });

  it('maps the validation codes when paused, reconstructs a drawing onto that map, and sends a digit for the hover', async () => {
    const lab = harness();
    await lab.send({ type: 'data', files: [] });
    const [{ analysis }] = of(lab.take(), 'analysis');
    expect(analysis.map.points.length).toBe(2 * 32);
    expect(analysis.dead.length).toBe(225);
    expect(Object.keys(analysis.quantiles.quantiles)).toEqual(['0.5', '0.9', '0.99', '0.999']);
    await lab.send({ type: 'inspect', sample: 3 });
    expect(of(lab.take(), 'analysis')).toEqual([]); // the same weights: no new analysis
    const blob = blobDataset(0, 1).validation;
    await lab.send({ type: 'draw', pixels: Float32Array.from(rowRange(blob, 0, 1).data) });
    const [{ result }] = of(lab.take(), 'drawn');
    expect(result.output.length).toBe(225);
    expect(result.point?.every(Number.isFinite)).toBe(true);
    expect(result.sse).toBeGreaterThan(0);
    await lab.send({ type: 'draw', pixels: new Float32Array(225).fill(1) }); // all white: nothing like the blobs
    expect(of(lab.take(), 'drawn')[0].result.unusual).toBe(true);
    await lab.send({ type: 'digit', index: 2 });
    const [digit] = of(lab.take(), 'digit');
    expect([digit.index, digit.label, digit.input.length, digit.output.length]).toEqual([2, null, 225, 225]);
    await lab.send({ type: 'draw', pixels: new Float32Array(3) });
    expect(of(lab.take(), 'error')[0].message).toBe('the drawing has 3 pixels, the model expects 225');
  });

  it('reports bad settings, bad files and missing samples as errors, and keeps going', async () => {
    const lab = harness();
    await lab.send({ type: 'data', files: [] });
    lab.take();
    await lab.send({ type: 'settings', settings: { ...DEFAULT_LAB_SETTINGS, lr: -1 } });
    let events = lab.take();
    expect(of(events, 'error')).toEqual([{ type: 'error', source: 'settings', message: 'learning rate is -1, expected a number above 0 and at most 10' }]);
    expect(lastStatus(events).settings.lr).toBe(DEFAULT_LAB_SETTINGS.lr);
    await lab.send({ type: 'data', files: [{ name: 'x.bad', bytes: new Uint8Array(3) }] });
    events = lab.take();
    expect(of(events, 'error')).toEqual([{ type: 'error', source: 'data', message: 'x.bad: not a data file' }]);
    expect(lastStatus(events).data?.name).toBe('blobs');
    await lab.send({ type: 'inspect', sample: 32 });
    expect(of(lab.take(), 'error')[0]).toMatchObject({ source: 'sample', message: 'sample 32 does not exist, expected 0 to 31' });
    await lab.send({ type: 'inspect', sample: 5 });
    expect(of(lab.take(), 'snapshot')[0].snapshot.sample.index).toBe(5);
    await lab.send({ type: 'data', files: [{ name: 'mine.csv', bytes: new Uint8Array(3) }] });
    expect(lastStatus(lab.take()).data).toEqual({ name: 'mine.csv', train: 40, validation: 8 });
  });

  it('resets to step 0 with the same first loss', async () => {
    const lab = harness();
    await lab.send({ type: 'data', files: [] });
    const first = points(lab.take())[0];
    await lab.send({ type: 'step' });
    await lab.send({ type: 'reset' });
    const events = lab.take();
    const restart = of(events, 'losses').find((e) => e.restart);
    expect(restart?.points).toEqual([first]);
    expect(lastStatus(events)).toMatchObject({ step: 0, running: false });
  });

  it('saves a checkpoint in the command line format and loads it back', async () => {
    const lab = harness();
    await lab.send({ type: 'data', files: [] });
    for (let i = 0; i < 3; i++) await lab.send({ type: 'step' });
    lab.take();
    await lab.send({ type: 'save' });
    const [{ file }] = of(lab.take(), 'checkpoint');
    expect(file.name).toBe('reclink-lab-step-3.safetensors');
    const { net, metadata } = decodeCheckpoint(file.bytes, file.name);
    expect(metadata).toEqual({ source: 'reclink lab', step: '3', epoch: '1', kernels: 'TypeScript' });
    await lab.send({ type: 'inspect', sample: 0 });
    const trained = of(lab.take(), 'snapshot')[0].snapshot;
    expect(net.parameter('output.weight').value.data).toEqual(trained.outputWeight.data);

    await lab.send({ type: 'reset' });
    lab.take();
    await lab.send({ type: 'load', file });
    const events = lab.take();
    const loaded = of(events, 'snapshot')[0].snapshot;
    expect(loaded.outputWeight.data).toEqual(trained.outputWeight.data);
    expect(of(events, 'losses')[0]).toMatchObject({ restart: true, points: [{ step: 0 }] });
    expect(lastStatus(events)).toMatchObject({ step: 0, running: false });
    const validation = of(events, 'losses')[0].points[0].validation ?? NaN;
    expect(of(events, 'loaded')).toEqual([{ type: 'loaded', message: `Loaded reclink-lab-step-3.safetensors, saved at step 3, epoch 1: validation loss ${formatNumber(validation)} on this data. The lab counts from step 0 again and the chart starts over.` }]);
  });

  it('exports the trained network as ONNX that onnxruntime runs to the same reconstruction', async () => {
    const lab = harness();
    await lab.send({ type: 'data', files: [] });
    for (let i = 0; i < 3; i++) await lab.send({ type: 'step' });
    await lab.send({ type: 'save' });
    const [{ file: checkpoint }] = of(lab.take(), 'checkpoint');
    await lab.send({ type: 'export' });
    const [{ file }] = of(lab.take(), 'checkpoint');
    expect(file.name).toBe('reclink-lab-step-3.onnx');
    const { net } = decodeCheckpoint(checkpoint.bytes, checkpoint.name);
    await expectOnnxAgrees(file.bytes, net, blobDataset().validation, Normalizer.fromJSON({ kind: 'none' }));
  });

  it('takes cycles and output activation from a loaded checkpoint, and names a bad file', async () => {
    const lab = harness();
    await lab.send({ type: 'data', files: [] });
    lab.take();
    const bytes = encodeCheckpoint(new RecLinkNet({ cycles: 3, outputActivation: 'sigmoid' }));
    await lab.send({ type: 'load', file: { name: 'cli.safetensors', bytes } });
    expect(lastStatus(lab.take()).settings).toMatchObject({ cycles: 3, outputActivation: 'sigmoid' });
    await lab.send({ type: 'load', file: { name: 'junk.safetensors', bytes: new Uint8Array(4) } });
    const [failure] = of(lab.take(), 'error');
    expect(failure).toMatchObject({ source: 'checkpoint', message: expect.stringMatching(/^junk\.safetensors: truncated file of 4 bytes/) });
    const normalised = encodeCheckpoint(new RecLinkNet(), { metadata: { normalizer: JSON.stringify({ kind: 'standardize', mean: 0.1, std: 0.3 }) } });
    await lab.send({ type: 'load', file: { name: 'std.safetensors', bytes: normalised } });
    expect(of(lab.take(), 'error')[0].message).toBe("std.safetensors: the model was trained on inputs normalised with standardize, expected none (the lab trains on the data's own values)");
  });

  it('runs an erratum\'s literal formula, and the sign error on the live network too', async () => {
    const lab = harness();
    await lab.send({ type: 'data', files: [] });
    lab.take();
    await lab.send({ type: 'erratum', row: 1 });
    expect(of(lab.take(), 'erratum')).toEqual([{ type: 'erratum', row: 1, effect: ERRATA[1].effect(), signDemo: null }]);
    await lab.send({ type: 'erratum', row: SIGN_ERRATUM });
    const [sign] = of(lab.take(), 'erratum');
    expect(sign.effect).toMatch(/^the exact opposite of the gradient: one SGD step/);
    expect(sign.signDemo?.literal.at(-1)).toBeGreaterThan(sign.signDemo?.literal[0] ?? Infinity);
    await lab.send({ type: 'erratum', row: 10 });
    expect(of(lab.take(), 'error')[0].message).toBe('errata row 10 does not exist, expected 0 to 9');
  });
});
