// Element-wise and row-wise kernels. Each covers a range [e0, e1) of elements (or rows, or
// columns) so that threads can share it; element ranges start on a multiple of 4. Whole
// vectors first, then the last 1–3 elements, read as a vector (allocations are padded)
// of which only the lanes inside the range are stored.
import { laneMask, storeLanes } from './lanes';

/** Activation codes, as the TypeScript side passes them; any other code is the identity. */
export const RELU: i32 = 0;
export const SIGMOID: i32 = 1;

const ZERO = f32x4.splat(0);

/** ReLU(a) = a where a > 0, else 0 (also for NaN). */
@inline
function relu(a: v128): v128 {
  return v128.and(a, f32x4.gt(a, ZERO));
}

/** Z = f(A) over elements [e0, e1). */
export function activate(f: i32, a: usize, z: usize, e0: i32, e1: i32): void {
  if (f == RELU) {
    let o = <usize>e0 << 2;
    const full = <usize>(e1 & ~3) << 2;
    for (; o < full; o += 16) v128.store(z + o, relu(v128.load(a + o)));
    if (e1 & 3) storeLanes(z + o, relu(v128.load(a + o)), e1 & 3);
  } else if (f == SIGMOID) {
    for (let e = e0; e < e1; e++) {
      const o = <usize>e << 2;
      store<f32>(z + o, <f32>(1 / (1 + Math.exp(-<f64>load<f32>(a + o)))));
    }
  } else {
    memory.copy(z + (<usize>e0 << 2), a + (<usize>e0 << 2), <usize>(e1 - e0) << 2);
  }
}

/**
 * A[i, :] += bias (unless bias = 0), then Z[i, :] = f(A[i, :]), for the rows i in [r0, r1)
 * of cols-wide A and Z: a dense layer's epilogue, row by row while the row is in cache.
 */
export function biasActivate(f: i32, a: usize, bias: usize, z: usize, cols: i32, r0: i32, r1: i32): void {
  const row = <usize>cols << 2;
  if (f == RELU && bias != 0) {
    // One pass: A = A + bias, Z = ReLU(A).
    const full = <usize>(cols & ~3) << 2;
    for (let i = r0; i < r1; i++) {
      const ai = a + <usize>i * row, zi = z + <usize>i * row;
      let o: usize = 0;
      for (; o < full; o += 16) {
        const v = f32x4.add(v128.load(ai + o), v128.load(bias + o));
        v128.store(ai + o, v);
        v128.store(zi + o, relu(v));
      }
      if (cols & 3) {
        const v = f32x4.add(v128.load(ai + o), v128.load(bias + o));
        storeLanes(ai + o, v, cols & 3);
        storeLanes(zi + o, relu(v), cols & 3);
      }
    }
    return;
  }
  for (let i = r0; i < r1; i++) {
    if (bias != 0) addRowVector(a, bias, cols, i, i + 1);
    activate(f, a + <usize>i * row, z + <usize>i * row, 0, cols);
  }
}

/** G ⊙ [A > 0]: ReLU'(0) = 0. */
@inline
function reluBackward(a: v128, g: v128): v128 {
  return v128.and(g, f32x4.gt(a, ZERO));
}

/** G ⊙ z(1 − z): σ'(a) from z = σ(a). */
@inline
function sigmoidBackward(z: v128, g: v128): v128 {
  return f32x4.mul(f32x4.mul(g, z), f32x4.sub(f32x4.splat(1), z));
}

/** δ = G ⊙ f'(A) over elements [e0, e1). */
export function activationBackward(f: i32, a: usize, z: usize, g: usize, d: usize, e0: i32, e1: i32): void {
  let o = <usize>e0 << 2;
  const full = <usize>(e1 & ~3) << 2;
  if (f == RELU) {
    for (; o < full; o += 16) v128.store(d + o, reluBackward(v128.load(a + o), v128.load(g + o)));
    if (e1 & 3) storeLanes(d + o, reluBackward(v128.load(a + o), v128.load(g + o)), e1 & 3);
  } else if (f == SIGMOID) {
    for (; o < full; o += 16) v128.store(d + o, sigmoidBackward(v128.load(z + o), v128.load(g + o)));
    if (e1 & 3) storeLanes(d + o, sigmoidBackward(v128.load(z + o), v128.load(g + o)), e1 & 3);
  } else {
    memory.copy(d + o, g + o, <usize>(e1 - e0) << 2);
  }
}

/** C = A + B over elements [e0, e1). */
export function add(a: usize, b: usize, c: usize, e0: i32, e1: i32): void {
  let o = <usize>e0 << 2;
  const full = <usize>(e1 & ~3) << 2;
  for (; o < full; o += 16) v128.store(c + o, f32x4.add(v128.load(a + o), v128.load(b + o)));
  if (e1 & 3) storeLanes(c + o, f32x4.add(v128.load(a + o), v128.load(b + o)), e1 & 3);
}

/** M ·= s over elements [e0, e1). */
export function scale(m: usize, s: f32, e0: i32, e1: i32): void {
  const sv = f32x4.splat(s);
  let o = <usize>e0 << 2;
  const full = <usize>(e1 & ~3) << 2;
  for (; o < full; o += 16) v128.store(m + o, f32x4.mul(v128.load(m + o), sv));
  if (e1 & 3) storeLanes(m + o, f32x4.mul(v128.load(m + o), sv), e1 & 3);
}

/** G = s · (Y − T) over elements [e0, e1). */
export function squaredErrorGradient(y: usize, t: usize, s: f32, g: usize, e0: i32, e1: i32): void {
  const sv = f32x4.splat(s);
  let o = <usize>e0 << 2;
  const full = <usize>(e1 & ~3) << 2;
  for (; o < full; o += 16) v128.store(g + o, f32x4.mul(sv, f32x4.sub(v128.load(y + o), v128.load(t + o))));
  if (e1 & 3) storeLanes(g + o, f32x4.mul(sv, f32x4.sub(v128.load(y + o), v128.load(t + o))), e1 & 3);
}

/** C[i, :] += bias for the rows i in [r0, r1) of a cols-wide C. */
export function addRowVector(c: usize, bias: usize, cols: i32, r0: i32, r1: i32): void {
  const row = <usize>cols << 2;
  const full = <usize>(cols & ~3) << 2;
  for (let i = r0; i < r1; i++) {
    const ci = c + <usize>i * row;
    let o: usize = 0;
    for (; o < full; o += 16) v128.store(ci + o, f32x4.add(v128.load(ci + o), v128.load(bias + o)));
    if (cols & 3) storeLanes(ci + o, f32x4.add(v128.load(ci + o), v128.load(bias + o)), cols & 3);
  }
}

/** out[j] (+)= Σ_i A[i, j] for the columns j in [j0, j1) (added to out when `acc`), 16 columns (4 sums in flight) at a time. */
export function columnSums(a: usize, out: usize, rows: i32, cols: i32, acc: bool, j0: i32, j1: i32): void {
  const row = <usize>cols << 2;
  for (let j = j0; j < j1; j += 16) {
    const o = out + (<usize>j << 2);
    let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
    if (acc) {
      s0 = v128.load(o); s1 = v128.load(o, 16); s2 = v128.load(o, 32); s3 = v128.load(o, 48);
    }
    let p = a + (<usize>j << 2);
    for (let i = 0; i < rows; i++) {
      s0 = f32x4.add(s0, v128.load(p)); s1 = f32x4.add(s1, v128.load(p, 16));
      s2 = f32x4.add(s2, v128.load(p, 32)); s3 = f32x4.add(s3, v128.load(p, 48));
      p += row;
    }
    const w = j1 - j;
    storeLanes(o, s0, w);
    if (w > 4) storeLanes(o + 16, s1, w - 4);
    if (w > 8) storeLanes(o + 32, s2, w - 8);
    if (w > 12) storeLanes(o + 48, s3, w - 12);
  }
}

/** out[i, j] = src[i, stride·j] for the rows i in [r0, r1). */
export function gatherColumns(src: usize, srcCols: i32, stride: i32, out: usize, cols: i32, r0: i32, r1: i32): void {
  if (stride == 3) {
    gatherEveryThird(src, srcCols, out, cols, r0, r1);
    return;
  }
  const step = <usize>stride << 2;
  for (let i = r0; i < r1; i++) {
    let s = src + (<usize>i * srcCols << 2);
    const d = out + (<usize>i * cols << 2);
    for (let j = 0; j < cols; j++) {
      store<f32>(d + (<usize>j << 2), load<f32>(s));
      s += step;
    }
  }
}

/**
 * `gatherColumns` with stride 3 (the network's link layer), four columns from three vectors
 * and two shuffles. The last vectors of a row may read past it (allocations are padded).
 */
function gatherEveryThird(src: usize, srcCols: i32, out: usize, cols: i32, r0: i32, r1: i32): void {
  const full = cols & ~3;
  for (let i = r0; i < r1; i++) {
    let s = src + (<usize>i * srcCols << 2);
    const d = out + (<usize>i * cols << 2);
    let j = 0;
    for (; j < full; j += 4) {
      v128.store(d + (<usize>j << 2), everyThird(s));
      s += 48;
    }
    if (j < cols) storeLanes(d + (<usize>j << 2), everyThird(s), cols - j);
  }
}

/** [s₀ s₃ s₆ s₉] of the floats at s. */
@inline
function everyThird(s: usize): v128 {
  const t = v128.shuffle<f32>(v128.load(s), v128.load(s, 16), 0, 3, 6, 7); // s₀ s₃ s₆ s₇
  return v128.shuffle<f32>(t, v128.load(s, 32), 0, 1, 2, 5); // s₀ s₃ s₆ s₉
}

/** dst[i, stride·j] += src[i, j] for the rows i in [r0, r1). */
export function scatterAddColumns(src: usize, cols: i32, stride: i32, dst: usize, dstCols: i32, r0: i32, r1: i32): void {
  const step = <usize>stride << 2;
  for (let i = r0; i < r1; i++) {
    const s = src + (<usize>i * cols << 2);
    let d = dst + (<usize>i * dstCols << 2);
    for (let j = 0; j < cols; j++) {
      store<f32>(d, load<f32>(d) + load<f32>(s + (<usize>j << 2)));
      d += step;
    }
  }
}

/** Σ (Y − T)² over elements [e0, e1), in float64. */
export function squaredError(y: usize, t: usize, e0: i32, e1: i32): f64 {
  let sum = f64x2.splat(0);
  let o = <usize>e0 << 2;
  const full = <usize>(e1 & ~3) << 2;
  for (; o < full; o += 16) sum = f64x2.add(sum, squaredDifferences(v128.load(y + o), v128.load(t + o)));
  if (e1 & 3) {
    const mask = laneMask(e1 & 3);
    sum = f64x2.add(sum, squaredDifferences(v128.and(v128.load(y + o), mask), v128.and(v128.load(t + o), mask)));
  }
  return f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1);
}

/** Σ M² over elements [e0, e1), in float64. */
export function sumOfSquares(m: usize, e0: i32, e1: i32): f64 {
  let sum = f64x2.splat(0);
  let o = <usize>e0 << 2;
  const full = <usize>(e1 & ~3) << 2;
  for (; o < full; o += 16) sum = f64x2.add(sum, squaredDifferences(v128.load(m + o), ZERO));
  if (e1 & 3) sum = f64x2.add(sum, squaredDifferences(v128.and(v128.load(m + o), laneMask(e1 & 3)), ZERO));
  return f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1);
}

/**
 * [(y₀ − t₀)² + (y₂ − t₂)², (y₁ − t₁)² + (y₃ − t₃)²], the differences rounded to float32
 * (relative error 2⁻²⁴), then squared and summed in float64: half the conversions of
 * subtracting in float64, which are what the loop waits on.
 */
@inline
function squaredDifferences(y: v128, t: v128): v128 {
  const d = f32x4.sub(y, t);
  const lo = f64x2.promote_low_f32x4(d);
  const hi = f64x2.promote_low_f32x4(highHalf(d));
  return f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi));
}

@inline
function highHalf(v: v128): v128 {
  return v128.shuffle<f32>(v, v, 2, 3, 2, 3);
}
