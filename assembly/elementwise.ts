// Element-wise and row-wise kernels. Each covers a range [e0, e1) of elements (or rows, or
// columns) so that threads can share it. A vector at the end of a range may read past it
// (allocations are padded) but stores only the lanes inside it.
import { laneMask, storeLanes } from './lanes';

/** Activation codes, as the TypeScript side passes them. */
export const RELU: i32 = 0;
export const SIGMOID: i32 = 1;
export const IDENTITY: i32 = 2;

const ZERO = f32x4.splat(0);

/** Z = f(A) over elements [e0, e1). ReLU(a) = a where a > 0, else 0 (also for NaN). */
export function activate(f: i32, a: usize, z: usize, e0: i32, e1: i32): void {
  if (f == RELU) {
    for (let e = e0; e < e1; e += 4) {
      const o = <usize>e << 2;
      const v = v128.load(a + o);
      storeLanes(z + o, v128.and(v, f32x4.gt(v, ZERO)), e1 - e);
    }
  } else if (f == SIGMOID) {
    for (let e = e0; e < e1; e++) {
      const o = <usize>e << 2;
      store<f32>(z + o, <f32>(1 / (1 + Math.exp(-<f64>load<f32>(a + o)))));
    }
  } else {
    memory.copy(z + (<usize>e0 << 2), a + (<usize>e0 << 2), <usize>(e1 - e0) << 2);
  }
}

/** δ = G ⊙ f'(A) over elements [e0, e1): ReLU'(a) = [a > 0], σ'(a) = z(1 − z). */
export function activationBackward(f: i32, a: usize, z: usize, g: usize, d: usize, e0: i32, e1: i32): void {
  if (f == RELU) {
    for (let e = e0; e < e1; e += 4) {
      const o = <usize>e << 2;
      storeLanes(d + o, v128.and(v128.load(g + o), f32x4.gt(v128.load(a + o), ZERO)), e1 - e);
    }
  } else if (f == SIGMOID) {
    const one = f32x4.splat(1);
    for (let e = e0; e < e1; e += 4) {
      const o = <usize>e << 2;
      const zv = v128.load(z + o);
      storeLanes(d + o, f32x4.mul(f32x4.mul(v128.load(g + o), zv), f32x4.sub(one, zv)), e1 - e);
    }
  } else {
    memory.copy(d + (<usize>e0 << 2), g + (<usize>e0 << 2), <usize>(e1 - e0) << 2);
  }
}

/** C = A + B over elements [e0, e1). */
export function add(a: usize, b: usize, c: usize, e0: i32, e1: i32): void {
  for (let e = e0; e < e1; e += 4) {
    const o = <usize>e << 2;
    storeLanes(c + o, f32x4.add(v128.load(a + o), v128.load(b + o)), e1 - e);
  }
}

/** M ·= s over elements [e0, e1). */
export function scale(m: usize, s: f32, e0: i32, e1: i32): void {
  const sv = f32x4.splat(s);
  for (let e = e0; e < e1; e += 4) {
    const o = <usize>e << 2;
    storeLanes(m + o, f32x4.mul(v128.load(m + o), sv), e1 - e);
  }
}

/** C[i, :] += bias for the rows i in [r0, r1) of a cols-wide C. */
export function addRowVector(c: usize, bias: usize, cols: i32, r0: i32, r1: i32): void {
  const row = <usize>cols << 2;
  for (let i = r0; i < r1; i++) {
    const ci = c + <usize>i * row;
    for (let j = 0; j < cols; j += 4) {
      const o = <usize>j << 2;
      storeLanes(ci + o, f32x4.add(v128.load(ci + o), v128.load(bias + o)), cols - j);
    }
  }
}

/** out[j] += Σ_i A[i, j] for the columns j in [j0, j1), 16 columns (4 sums in flight) at a time. */
export function addColumnSums(a: usize, out: usize, rows: i32, cols: i32, j0: i32, j1: i32): void {
  const row = <usize>cols << 2;
  for (let j = j0; j < j1; j += 16) {
    const o = out + (<usize>j << 2);
    let s0 = v128.load(o), s1 = v128.load(o, 16), s2 = v128.load(o, 32), s3 = v128.load(o, 48);
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
  for (let i = r0; i < r1; i++) {
    const s = src + (<usize>i * srcCols << 2);
    const d = out + (<usize>i * cols << 2);
    for (let j = 0; j < cols; j++) store<f32>(d + (<usize>j << 2), load<f32>(s + (<usize>(stride * j) << 2)));
  }
}

/** dst[i, stride·j] += src[i, j] for the rows i in [r0, r1). */
export function scatterAddColumns(src: usize, cols: i32, stride: i32, dst: usize, dstCols: i32, r0: i32, r1: i32): void {
  for (let i = r0; i < r1; i++) {
    const s = src + (<usize>i * cols << 2);
    const d = dst + (<usize>i * dstCols << 2);
    for (let j = 0; j < cols; j++) {
      const at = d + (<usize>(stride * j) << 2);
      store<f32>(at, load<f32>(at) + load<f32>(s + (<usize>j << 2)));
    }
  }
}

/** Σ (Y − T)² over elements [e0, e1), in float64. */
export function squaredError(y: usize, t: usize, e0: i32, e1: i32): f64 {
  let lo = f64x2.splat(0), hi = lo;
  for (let e = e0; e < e1; e += 4) {
    const o = <usize>e << 2;
    const mask = laneMask(e1 - e);
    const yv = v128.and(v128.load(y + o), mask), tv = v128.and(v128.load(t + o), mask);
    const dl = f64x2.sub(f64x2.promote_low_f32x4(yv), f64x2.promote_low_f32x4(tv));
    const dh = f64x2.sub(f64x2.promote_low_f32x4(highHalf(yv)), f64x2.promote_low_f32x4(highHalf(tv)));
    lo = f64x2.add(lo, f64x2.mul(dl, dl));
    hi = f64x2.add(hi, f64x2.mul(dh, dh));
  }
  return sumLanes(f64x2.add(lo, hi));
}

/** G = scale · (Y − T) over elements [e0, e1). */
export function squaredErrorGradient(y: usize, t: usize, s: f32, g: usize, e0: i32, e1: i32): void {
  const sv = f32x4.splat(s);
  for (let e = e0; e < e1; e += 4) {
    const o = <usize>e << 2;
    storeLanes(g + o, f32x4.mul(sv, f32x4.sub(v128.load(y + o), v128.load(t + o))), e1 - e);
  }
}

/** Σ M² over elements [e0, e1), in float64. */
export function sumOfSquares(m: usize, e0: i32, e1: i32): f64 {
  let lo = f64x2.splat(0), hi = lo;
  for (let e = e0; e < e1; e += 4) {
    const v = v128.and(v128.load(m + (<usize>e << 2)), laneMask(e1 - e));
    const vl = f64x2.promote_low_f32x4(v), vh = f64x2.promote_low_f32x4(highHalf(v));
    lo = f64x2.add(lo, f64x2.mul(vl, vl));
    hi = f64x2.add(hi, f64x2.mul(vh, vh));
  }
  return sumLanes(f64x2.add(lo, hi));
}

@inline
function highHalf(v: v128): v128 {
  return v128.shuffle<f32>(v, v, 2, 3, 2, 3);
}

@inline
function sumLanes(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}
