import { zeros } from '../linalg/matrix.js';
import { checkSampleCount } from './checks.js';
import type { Dataset } from './dataset.js';
import { fitImages, type ImageFit } from './image-fit.js';

/** A decoded image: RGBA bytes, 4 a pixel, row-major (what pngjs and a canvas give). */
export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly data: ArrayLike<number>;
}

/**
 * Images as samples, one each in the order of `files`: luma by ITU-R BT.601 (0.299 R +
 * 0.587 G + 0.114 B) / 255, alpha ignored, fitted to `inputSize` as `fitImages` says
 * (`imageSize` is set when every image fits to the same size). `decode` gives each file's
 * pixels; `source` names the whole in errors.
 */
export function imageSamples(files: readonly string[], inputSize: number, source: string, decode: (file: string) => DecodedImage): Dataset {
  checkSampleCount(source, files.length, inputSize);
  const x = zeros(files.length, inputSize);
  const fits = new Map<string, ImageFit>();
  files.forEach((file, n) => {
    const image = decode(file);
    const key = `${image.height}x${image.width}`;
    const fit = fits.get(key) ?? fitImages(image, inputSize, file);
    fits.set(key, fit);
    fit.write(luma(image), x.data, n * inputSize);
  });
  const [first, ...others] = [...fits.values()].map((fit) => fit.size);
  const sameSize = others.every((size) => size.height === first.height && size.width === first.width);
  return sameSize ? { x, imageSize: first, source } : { x, source };
}

/** BT.601 luma of an RGBA image, in [0, 1]. */
function luma(image: DecodedImage): Float64Array {
  const grey = new Float64Array(image.width * image.height);
  for (let p = 0; p < grey.length; p++) {
    grey[p] = (0.299 * image.data[4 * p] + 0.587 * image.data[4 * p + 1] + 0.114 * image.data[4 * p + 2]) / 255;
  }
  return grey;
}
