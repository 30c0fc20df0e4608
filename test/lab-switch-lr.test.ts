// The learning rates the lab suggests after switching optimizer (SWITCH_LR), measured: a model
// trained with Adam on the bundled digits keeps its loss after the switch at these rates.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MNIST15_PATH } from '../src/data/mnist15.js';
import { decodeCheckpoint, encodeCheckpoint } from '../src/io/checkpoint-format.js';
import { bundledDataset } from '../src/lab/data-files.js';
import { LabSession } from '../src/lab/session.js';
import { DEFAULT_LAB_SETTINGS, SWITCH_LR, type LabOptimizer } from '../src/lab/settings.js';
import { loadWasmBackend } from '../src/linalg/select-backend.js';

/** Adam's steps before the switch, and the new optimizer's after it. */
const BEFORE = 3000;
const AFTER = 500;

describe('the learning rate suggested after switching optimizer', async () => {
  const data = bundledDataset(new Uint8Array(readFileSync(MNIST15_PATH)));
  const backend = await loadWasmBackend({ threads: 1 });
  const trained = new LabSession(data, { ...DEFAULT_LAB_SETTINGS }, backend);
  const untrained = trained.validationLoss();
  for (let i = 0; i < BEFORE; i++) trained.trainStep();
  const before = trained.validationLoss();
  const bytes = encodeCheckpoint(trained.net);

  it.each(Object.keys(SWITCH_LR) as LabOptimizer[])('keeps a trained model trained when switching to %s', (optimizer) => {
    const { net } = decodeCheckpoint(bytes, 'trained', { backend });
    const session = new LabSession(data, { ...DEFAULT_LAB_SETTINGS }, backend, { net, source: 'trained' });
    session.configure({ ...session.settings, optimizer, lr: SWITCH_LR[optimizer] });
    let worst = 0;
    for (let i = 0; i < AFTER; i++) worst = Math.max(worst, session.trainStep().train ?? 0);
    expect(before).toBeLessThan(0.2 * untrained); // a trained model: the loss fell fivefold and more
    expect(worst).toBeLessThan(1.5 * before);
    expect(session.validationLoss()).toBeLessThan(1.05 * before);
  });
});
