import { describe, expect, it } from 'vitest';
import { ReclinkError } from '../src/errors.js';
import { jsBackend } from '../src/linalg/js-backend.js';
import { zeros } from '../src/linalg/matrix.js';
import { LabSession } from '../src/lab/session.js';
import { DEFAULT_LAB_SETTINGS, type LabSettings } from '../src/lab/settings.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { Adam } from '../src/train/adam.js';
import { Trainer } from '../src/train/trainer.js';
import { blobDataset } from './lab-helpers.js';

const settings = (change: Partial<LabSettings> = {}): LabSettings => ({ ...DEFAULT_LAB_SETTINGS, batchSize: 16, lr: 0.01, ...change });
const weights = (session: LabSession): number[] => Array.from(session.net.parameter('output.weight').value.data);

describe('LabSession', () => {
  it('trains exactly as the command line trainer does with the same settings', () => {
    const data = blobDataset();
    const session = new LabSession(data, settings({ seed: 3 }));
    const net = new RecLinkNet({ seed: 3 });
    const trainer = new Trainer(net, new Adam(net, { lr: 0.01 }), data.train, data.validation, { batchSize: 16, seed: 3 });
    for (let i = 0; i < 8; i++) {
      session.trainStep();
      trainer.runStep();
    }
    expect(weights(session)).toEqual(Array.from(net.parameter('output.weight').value.data));
  });

  it('lowers the validation loss, and counts steps and epochs (validation at each epoch end)', () => {
    const session = new LabSession(blobDataset(), settings());
    const start = session.validationLoss();
    const points = Array.from({ length: 36 }, () => session.trainStep());
    expect(points.map((p) => p.step)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    expect(points.filter((p) => p.validation !== null).map((p) => [p.step, p.epoch])).toEqual([[6, 1], [12, 2], [18, 3], [24, 4], [30, 5], [36, 6]]);
    expect(points[35].validation).toBeLessThan(start / 3);
    expect([session.step, session.epoch]).toEqual([36, 6]);
  });

  it('changes the learning rate, optimizer and batch size without restarting; not the architecture', () => {
    const session = new LabSession(blobDataset(), settings());
    session.trainStep();
    const after1 = weights(session);
    session.configure(settings({ lr: 0.001 }));
    session.configure(settings({ lr: 0.001, optimizer: 'nesterov', batchSize: 32 }));
    expect(weights(session)).toEqual(after1);
    const point = session.trainStep();
    expect(point).toMatchObject({ step: 2, epoch: 0 });
    expect(session.currentBatch.rows).toBe(32);
    expect(session.settings).toMatchObject({ lr: 0.001, optimizer: 'nesterov', batchSize: 32 });
    expect(() => session.configure(settings({ cycles: 3 }))).toThrow('configure cannot change the architecture or the seed, expected a new session for them');
  });

  it('refuses a diverging step and keeps finite weights; a new session with a lower rate trains', () => {
    const session = new LabSession(blobDataset(), settings({ optimizer: 'sgd', lr: 10, outputActivation: 'identity' }));
    const attempt = (): void => {
      for (let i = 0; i < 50; i++) session.trainStep();
    };
    expect(attempt).toThrow(ReclinkError);
    expect(attempt).toThrow(/^training diverged: the (loss|gradient norm|weight norm|validation loss) was .*; lower the learning rate \(now 10\) and reset$/);
    for (const p of session.net.parameters) expect(p.value.data.every(Number.isFinite)).toBe(true);
    const again = new LabSession(blobDataset(), settings({ optimizer: 'sgd', lr: 1e-4, outputActivation: 'identity' }));
    expect(again.trainStep()).toMatchObject({ step: 1, train: expect.any(Number) });
  });

  it('starts from a loaded network, or from an architecture with the settings\u2019 cycles, activation and seed', () => {
    const loaded = new RecLinkNet({ hiddenSize: 20, cycles: 3, outputActivation: 'sigmoid', seed: 9 });
    const session = new LabSession(blobDataset(), settings(), jsBackend, { net: loaded, source: 'm.safetensors' });
    expect(session.net).toBe(loaded);
    expect(session.settings).toMatchObject({ cycles: 3, outputActivation: 'sigmoid' });
    expect(session.firstPoint()).toEqual({ step: 0, epoch: 0, train: null, validation: session.validationLoss() });
    const fresh = new LabSession(blobDataset(), settings({ seed: 2 }), jsBackend, session.net.config);
    expect(fresh.net.config).toMatchObject({ hiddenSize: 20, cycles: 2, outputActivation: 'relu', seed: 2 });
    const small = { net: new RecLinkNet({ inputSize: 100 }), source: 'small.safetensors' };
    expect(() => new LabSession(blobDataset(), settings(), jsBackend, small)).toThrow('small.safetensors: the model expects 100 (10 × 10 pixels) a sample, the data blobs has 225');
  });

  it('traces a validation sample and refuses one that does not exist', () => {
    const session = new LabSession(blobDataset(96, 32), settings());
    expect(session.sampleTrace(31).tensors.get('Y')?.rows).toBe(1);
    expect(() => session.sampleTrace(32)).toThrow('sample 32 does not exist, expected 0 to 31');
    expect(() => new LabSession({ ...blobDataset(), validation: zeros(0, 225) }, settings())).toThrow(
      'blobs has 96 training and 0 validation samples, expected at least one of each',
    );
  });
});
