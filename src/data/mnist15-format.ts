import { ReclinkError } from '../errors.js';
import { zeros } from '../linalg/matrix.js';
import type { Dataset } from './dataset.js';

/**
 * The bundled data set's file format, little-endian:
 *
 *     bytes 0..3    "RLM1"
 *     bytes 4..15   N, height, width (uint32 each)
 *     then          N · height · width pixels, uint8, round(v · 255), row-major, sample by sample
 *     then          N labels, uint8
 */
const MAGIC = 'RLM1';
const HEADER_BYTES = 16;

/** What the bundled data set says where it comes from. */
export const MNIST15_SOURCE = 'bundled MNIST-15';

/** Images in [0, 1] (one a row of `pixels`, `height × width` each) and their labels, to encode. */
export interface LabelledImages {
  readonly height: number;
  readonly width: number;
  readonly pixels: ArrayLike<number>;
  readonly labels: Uint8Array;
}

/** The bytes of the bundled data set's file for `images`. */
export function encodeMnist15({ height, width, pixels, labels }: LabelledImages): Uint8Array {
  const count = labels.length;
  if (pixels.length !== count * height * width) {
    throw new ReclinkError(`${pixels.length} pixels for ${count} images of ${height}x${width}, expected ${count * height * width}`);
  }
  const bytes = new Uint8Array(HEADER_BYTES + pixels.length + count);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < MAGIC.length; i++) bytes[i] = MAGIC.charCodeAt(i);
  [count, height, width].forEach((value, i) => view.setUint32(4 + 4 * i, value, true));
  for (let i = 0; i < pixels.length; i++) bytes[HEADER_BYTES + i] = Math.round(Math.min(1, Math.max(0, pixels[i])) * 255);
  bytes.set(labels, HEADER_BYTES + pixels.length);
  return bytes;
}

/**
 * Parses the bundled data set's file (`data/mnist15.bin`) from its bytes, as a browser
 * fetches it: N samples of height·width values in [0, 1] and their labels.
 */
export function parseMnist15(bytes: Uint8Array): Required<Dataset> {
  const what = `${MNIST15_SOURCE} (data/mnist15.bin)`;
  const magic = String.fromCharCode(...bytes.subarray(0, MAGIC.length));
  if (bytes.length < HEADER_BYTES || magic !== MAGIC) throw new ReclinkError(`${what}: not a reclink data file (magic "${MAGIC}")`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [count, height, width] = [4, 8, 12].map((at) => view.getUint32(at, true));
  const size = height * width;
  const expected = HEADER_BYTES + count * (size + 1);
  if (bytes.length !== expected || size === 0) {
    throw new ReclinkError(`${what}: ${bytes.length} bytes, its header announces ${count} images of ${height}x${width} (${expected} bytes)`);
  }
  const x = zeros(count, size);
  for (let i = 0; i < count * size; i++) x.data[i] = bytes[HEADER_BYTES + i] / 255;
  const labels = bytes.slice(HEADER_BYTES + count * size);
  return { x, labels, imageSize: { height, width }, source: MNIST15_SOURCE };
}
