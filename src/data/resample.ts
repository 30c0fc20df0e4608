import type { FloatArray } from '../linalg/matrix.js';
import { ReclinkError } from '../errors.js';

/** The size of a grey image stored row-major: `height × width` values. */
export interface ImageSize {
  readonly height: number;
  readonly width: number;
}

/** One output pixel along an axis: the input pixels it covers and the share of each. */
interface Span {
  readonly first: number;
  readonly weights: Float64Array;
}

/**
 * Area-averaging resampling of `from` images to `to` images: each output pixel is the mean
 * of the input pixels it covers, each weighted by the fraction of the output pixel it
 * overlaps. Overlaps are exact (28 → 15 is not an integer ratio): along an axis of n input
 * and m output pixels, output i covers [i·n, (i+1)·n) and input k covers [k·m, (k+1)·m) in
 * units of 1/m pixel, so every overlap is an integer before the division by n.
 *
 * The weights factor by axis; resampling runs along rows, then along columns, through a
 * buffer allocated once. The sum of an image is scaled by (H·W)/(h·w): a constant image
 * stays constant, and equal sizes give the image back.
 */
export class AreaResampler {
  private readonly rowSpans: Span[];
  private readonly colSpans: Span[];
  private readonly buffer: Float64Array;

  constructor(
    readonly from: ImageSize,
    readonly to: ImageSize,
  ) {
    this.rowSpans = axisSpans(from.height, to.height);
    this.colSpans = axisSpans(from.width, to.width);
    this.buffer = new Float64Array(from.height * to.width);
  }

  /**
   * Writes the resampled `src` (from.height × from.width values) into
   * `dst[offset .. offset + to.height · to.width)`.
   */
  resample(src: ArrayLike<number>, dst: FloatArray, offset = 0): void {
    const { from, to, buffer } = this;
    for (let r = 0; r < from.height; r++) {
      for (let c = 0; c < to.width; c++) buffer[r * to.width + c] = weightedSum(src, r * from.width, 1, this.colSpans[c]);
    }
    for (let r = 0; r < to.height; r++) {
      for (let c = 0; c < to.width; c++) dst[offset + r * to.width + c] = weightedSum(buffer, c, to.width, this.rowSpans[r]);
    }
  }
}

/** `src` resampled by area averaging into a new `to.height × to.width` image. */
export function resampleArea(src: ArrayLike<number>, from: ImageSize, to: ImageSize): Float64Array {
  if (src.length !== from.height * from.width) {
    throw new ReclinkError(`image has ${src.length} values, expected ${from.height}x${from.width}`);
  }
  const dst = new Float64Array(to.height * to.width);
  new AreaResampler(from, to).resample(src, dst);
  return dst;
}

/** Σ_k weights[k] · values[start + (first + k) · stride]. */
function weightedSum(values: ArrayLike<number>, start: number, stride: number, span: Span): number {
  let sum = 0;
  for (let k = 0; k < span.weights.length; k++) sum += span.weights[k] * values[start + (span.first + k) * stride];
  return sum;
}

/** For each of m output pixels, the n input pixels it overlaps and their weights (summing to 1). */
function axisSpans(n: number, m: number): Span[] {
  return Array.from({ length: m }, (_, i) => {
    const start = i * n, end = (i + 1) * n;
    const first = Math.floor(start / m), last = Math.ceil(end / m) - 1;
    const weights = new Float64Array(last - first + 1);
    for (let k = first; k <= last; k++) {
      weights[k - first] = (Math.min(end, (k + 1) * m) - Math.max(start, k * m)) / n;
    }
    return { first, weights };
  });
}
