import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { ReclinkError } from '../errors.js';
import { readBytes } from '../io/bytes.js';
import { fileError } from '../io/fs-errors.js';
import { zeros } from '../linalg/matrix.js';
import { checkSampleCount } from './checks.js';
import type { Dataset } from './dataset.js';
import { fitImages, type ImageFit } from './image-fit.js';
import type { ImageSize } from './resample.js';

/**
 * Reads every `.png` file of a folder (other files are ignored), in the order of their
 * names, as one sample each: luma by ITU-R BT.601 (0.299 R + 0.587 G + 0.114 B) / 255,
 * alpha ignored, fitted to `inputSize` as `fitImages` says (`imageSize` is set when every
 * image fits to the same size). A file that is not a readable PNG is named.
 */
export function readPngFolder(folder: string, inputSize: number): Dataset {
  const names = entries(folder)
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.png'))
    .map((entry) => entry.name)
    .sort();
  if (names.length === 0) throw new ReclinkError(`${folder}: no .png files, expected a folder of PNG images`);
  checkSampleCount(folder, names.length, inputSize);
  const x = zeros(names.length, inputSize);
  const fits = new Map<string, ImageFit>();
  names.forEach((name, n) => {
    const file = join(folder, name);
    const png = decode(file);
    const key = `${png.height}x${png.width}`;
    const fit = fits.get(key) ?? fitImages(png, inputSize, file);
    fits.set(key, fit);
    fit.write(luma(png), x.data, n * inputSize);
  });
  const [first, ...others] = [...fits.values()].map((fit) => fit.size);
  const sameSize = others.every((size) => size.height === first.height && size.width === first.width);
  return sameSize ? { x, imageSize: first, source: folder } : { x, source: folder };
}

function entries(folder: string): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    throw fileError('read', folder, error);
  }
}

/** The most pixels an image may have: a PNG's header may claim any size, and decoding allocates it. */
const MAX_PIXELS = 2 ** 24;

function decode(file: string): PNG {
  const bytes = readBytes(file);
  const claimed = claimedSize(bytes);
  if (claimed && claimed.width * claimed.height > MAX_PIXELS) {
    throw new ReclinkError(`${file}: a ${claimed.height}x${claimed.width} image, expected at most ${MAX_PIXELS} pixels`);
  }
  try {
    return PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ReclinkError(`${file}: not a readable PNG image (${reason})`);
  }
}

/** The size in a PNG's IHDR chunk (always the first, at byte 8), when it is there. */
function claimedSize(bytes: Uint8Array): ImageSize | undefined {
  if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** BT.601 luma of an RGBA image, in [0, 1]. */
function luma(png: PNG): Float64Array {
  const grey = new Float64Array(png.width * png.height);
  for (let p = 0; p < grey.length; p++) {
    grey[p] = (0.299 * png.data[4 * p] + 0.587 * png.data[4 * p + 1] + 0.114 * png.data[4 * p + 2]) / 255;
  }
  return grey;
}
