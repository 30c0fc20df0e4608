import { ReclinkError } from '../errors.js';
import { readBytes } from '../io/bytes.js';
import { zeros } from '../linalg/matrix.js';
import { checkSampleCount } from './checks.js';
import type { Dataset } from './dataset.js';
import { fitImages } from './image-fit.js';

/** IDX magic of uint8 data in 3 dimensions: N images of h × w pixels. */
const IMAGES_MAGIC = 0x00000803;
/** IDX magic of uint8 data in 1 dimension: MNIST's label files. */
const LABELS_MAGIC = 0x00000801;
const HEADER_BYTES = 16;

/** Reads an IDX image file (see `parseIdx`). */
export function readIdx(path: string, inputSize: number): Dataset {
  return parseIdx(readBytes(path), inputSize, path);
}

/**
 * Parses the bytes of an IDX image file, MNIST's original format: the magic 0x00000803
 * (uint8, 3 dimensions), then N, h and w as big-endian uint32, then N·h·w pixels. Pixels
 * are divided by 255; images are fitted to `inputSize` as `fitImages` says. The dimensions
 * are checked against the file's length before anything is allocated.
 */
export function parseIdx(bytes: Uint8Array, inputSize: number, file: string): Dataset {
  if (bytes.length < 4) throw new ReclinkError(`${file}: ${bytes.length} bytes, too short for an IDX file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== IMAGES_MAGIC) throw new ReclinkError(`${file}: ${describeMagic(magic)}, expected IDX images (magic ${hex(IMAGES_MAGIC)})`);
  if (bytes.length < HEADER_BYTES) {
    throw new ReclinkError(`${file}: truncated IDX header of ${bytes.length} bytes, expected ${HEADER_BYTES}`);
  }
  const [count, height, width] = [4, 8, 12].map((at) => view.getUint32(at));
  if (height === 0 || width === 0) throw new ReclinkError(`${file}: images are ${height}x${width}, expected at least 1x1`);
  const pixels = height * width;
  const expected = HEADER_BYTES + count * pixels;
  if (bytes.length !== expected) {
    throw new ReclinkError(
      `${file}: the header announces ${count} images of ${height}x${width} (${expected} bytes), the file has ${bytes.length} bytes`,
    );
  }
  checkSampleCount(file, count, inputSize);
  const fit = fitImages({ height, width }, inputSize, file);
  const x = zeros(count, inputSize);
  const image = new Float64Array(pixels);
  for (let n = 0; n < count; n++) {
    const start = HEADER_BYTES + n * pixels;
    for (let p = 0; p < pixels; p++) image[p] = bytes[start + p] / 255;
    fit.write(image, x.data, n * inputSize);
  }
  return { x, imageSize: fit.size, source: file };
}

function describeMagic(magic: number): string {
  if (magic === LABELS_MAGIC) return `an IDX label file (magic ${hex(magic)}); labels are not samples`;
  return magic >>> 8 === 0x08 ? `IDX uint8 data in ${magic & 0xff} dimensions (magic ${hex(magic)})` : `magic ${hex(magic)}`;
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
