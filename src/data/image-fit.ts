import { ReclinkError } from '../errors.js';
import { expectedValues } from './checks.js';
import type { FloatArray } from '../linalg/matrix.js';
import { AreaResampler, type ImageSize } from './resample.js';

/** How images of one size become samples of the model. */
export interface ImageFit {
  /** The size of the images as samples: the model's input seen as an image. */
  readonly size: ImageSize;
  /** Writes one image's pixels (row-major, in [0, 1]) as a sample at `dst[offset..]`. */
  write(pixels: ArrayLike<number>, dst: FloatArray, offset: number): void;
}

/**
 * How images of `size` become samples of `inputSize` values: as they are when they have
 * `inputSize` pixels; resampled by area averaging when both they and the model's input are
 * square (√inputSize an integer); otherwise refused. `what` names the source in the error.
 */
export function fitImages(size: ImageSize, inputSize: number, what: string): ImageFit {
  const pixels = size.height * size.width;
  if (pixels === inputSize) {
    return { size: { height: size.height, width: size.width }, write: (src, dst, offset) => dst.set(src, offset) };
  }
  const side = Math.round(Math.sqrt(inputSize));
  if (size.height === size.width && side * side === inputSize) {
    const resampler = new AreaResampler(size, { height: side, width: side });
    return { size: resampler.to, write: (src, dst, offset) => resampler.resample(src, dst, offset) };
  }
  throw new ReclinkError(
    `${what}: images are ${size.width} wide and ${size.height} high (${pixels} pixels), the model expects ${expectedValues(inputSize)}; ` +
      'images are resampled only when both they and the input are square',
  );
}
