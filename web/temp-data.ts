// TEMPORARY until the data branch lands: parse data/mnist15.bin and split it 8,000 / 2,000.
import { zeros } from '../src/linalg/matrix.js';
import type { LabDataset } from '../src/lab/session.js';
import { Random } from '../src/random.js';

export function tempBundled(bytes: Uint8Array): LabDataset {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(4, true);
  const order = Random.fromSeed(0).shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const pick = (from: number, to: number) => {
    const m = zeros(to - from, 225);
    for (let i = from; i < to; i++) for (let j = 0; j < 225; j++) m.data[(i - from) * 225 + j] = bytes[16 + order[i] * 225 + j] / 255;
    return m;
  };
  return { name: 'MNIST-15 (bundled)', train: pick(0, 8000), validation: pick(8000, 10000) };
}
