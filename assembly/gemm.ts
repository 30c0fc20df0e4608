// The matrix products, on f32x4 register tiles (PERF.md: 4 rows × 8 columns, 8 accumulators,
// the K loop not unrolled, the micro-kernel inlined, blocked along K).
import { laneMask, laneSums, madd, storePair } from './lanes';

/** Rows of A and B one pass of the K loop covers before the C tiles are written back (measured: 128). */
const KC: i32 = 128;
/** Up to this depth (a batch of one: an outer product), rows of C are done one at a time. */
const SMALL_K: i32 = 2;

/**
 * C[i, :] (+)= Σ_p A[i, p] · B[p, :] for the rows i of C in [r0, r1): the product kernel.
 * B (k × n) and C (m × n) are row-major; A is read through strides so that it may be
 * transposed: A[i, p] is at a + i·aRow + p·aCol (bytes). A·B has (aRow, aCol) = (4k, 4),
 * Aᵀ·B has (4, 4m).
 */
export function gemmRows(a: usize, aRow: usize, aCol: usize, b: usize, c: usize, n: i32, k: i32, acc: bool, r0: i32, r1: i32): void {
  const row = <usize>n << 2;
  if (k == 0) {
    if (!acc) memory.fill(c + <usize>r0 * row, 0, <usize>(r1 - r0) * row);
    return;
  }
  const transposedA = aRow == 4;
  for (let p = 0; p < k; p += KC) {
    const depth = min(KC, k - p);
    const add = acc || p > 0;
    const ap = a + <usize>p * aCol;
    const bp = b + <usize>p * row;
    let i = r0;
    for (; i + 4 <= r1 && k > SMALL_K; i += 4) {
      const ai = ap + <usize>i * aRow;
      const ci = c + <usize>i * row;
      for (let j = 0; j < n; j += 8) {
        const at = <usize>j << 2;
        // Two copies of the tile, each with its A addressing fixed (fewer address sums in the loop).
        if (transposedA) tile4x8(ai, aCol, true, bp + at, row, ci + at, row, depth, add, min(8, n - j));
        else tile4x8(ai, aRow, false, bp + at, row, ci + at, row, depth, add, min(8, n - j));
      }
    }
    for (; i < r1; i++) rowTiles(ap + <usize>i * aRow, aCol, bp, row, c + <usize>i * row, n, depth, add);
  }
}

/** C[e] += Σ_t partial_t[e] for the elements e in [e0, e1), the `count` partials (each `size` floats) in order. */
export function sumPartials(c: usize, partials: usize, size: i32, count: i32, e0: i32, e1: i32): void {
  const stride = <usize>size << 2;
  let o = <usize>e0 << 2;
  const full = <usize>(e1 & ~3) << 2;
  for (; o < full; o += 16) {
    let sum = v128.load(c + o);
    for (let t = 0; t < count; t++) sum = f32x4.add(sum, v128.load(partials + <usize>t * stride + o));
    v128.store(c + o, sum);
  }
  for (; o < (<usize>e1 << 2); o += 4) {
    let sum = load<f32>(c + o);
    for (let t = 0; t < count; t++) sum += load<f32>(partials + <usize>t * stride + o);
    store<f32>(c + o, sum);
  }
}

/** One row of C: 1 × 32 tiles (8 accumulators, for the matrix-vector case), then 1 × 8. */
@inline
function rowTiles(a: usize, aCol: usize, b: usize, bRow: usize, c: usize, n: i32, k: i32, acc: bool): void {
  let j = 0;
  for (; j + 32 <= n; j += 32) tile1x32(a, aCol, b + (<usize>j << 2), bRow, c + (<usize>j << 2), k, acc);
  for (; j < n; j += 8) tile1x8(a, aCol, b + (<usize>j << 2), bRow, c + (<usize>j << 2), k, acc, min(8, n - j));
}

/**
 * C[0..4, 0..w) (+)= Σ_p A[r, p] B[p, 0..w). A[r, p] is at a + r·step + 4p, or, when
 * `transposedA`, at a + 4r + p·step. Columns past w are computed from whatever follows
 * B's row (allocations are padded) and not stored.
 */
@inline
function tile4x8(a: usize, step: usize, transposedA: bool, b: usize, bRow: usize, c: usize, cRow: usize, k: i32, acc: bool, w: i32): void {
  const c1 = c + cRow, c2 = c1 + cRow, c3 = c2 + cRow;
  let x00 = f32x4.splat(0), x01 = x00, x10 = x00, x11 = x00, x20 = x00, x21 = x00, x30 = x00, x31 = x00;
  const r1 = step, r2 = r1 + step, r3 = r2 + step;
  let pa = a;
  let pb = b;
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let s = v128.load32_splat(pa);
    x00 = madd(x00, s, b0); x01 = madd(x01, s, b1);
    s = transposedA ? v128.load32_splat(pa, 4) : v128.load32_splat(pa + r1);
    x10 = madd(x10, s, b0); x11 = madd(x11, s, b1);
    s = transposedA ? v128.load32_splat(pa, 8) : v128.load32_splat(pa + r2);
    x20 = madd(x20, s, b0); x21 = madd(x21, s, b1);
    s = transposedA ? v128.load32_splat(pa, 12) : v128.load32_splat(pa + r3);
    x30 = madd(x30, s, b0); x31 = madd(x31, s, b1);
    pa += transposedA ? step : 4;
    pb += bRow;
  }
  // C is read only now, not before the loop: its loads then wait for no one.
  if (acc) {
    x00 = f32x4.add(x00, v128.load(c)); x01 = f32x4.add(x01, v128.load(c, 16));
    x10 = f32x4.add(x10, v128.load(c1)); x11 = f32x4.add(x11, v128.load(c1, 16));
    x20 = f32x4.add(x20, v128.load(c2)); x21 = f32x4.add(x21, v128.load(c2, 16));
    x30 = f32x4.add(x30, v128.load(c3)); x31 = f32x4.add(x31, v128.load(c3, 16));
  }
  storePair(c, x00, x01, w);
  storePair(c1, x10, x11, w);
  storePair(c2, x20, x21, w);
  storePair(c3, x30, x31, w);
}

/** C[0, 0..32) (+)= Σ_p A[0, p] B[p, 0..32). */
@inline
function tile1x32(a: usize, aCol: usize, b: usize, bRow: usize, c: usize, k: i32, acc: bool): void {
  let x0 = f32x4.splat(0), x1 = x0, x2 = x0, x3 = x0, x4 = x0, x5 = x0, x6 = x0, x7 = x0;
  if (acc) {
    x0 = v128.load(c); x1 = v128.load(c, 16); x2 = v128.load(c, 32); x3 = v128.load(c, 48);
    x4 = v128.load(c, 64); x5 = v128.load(c, 80); x6 = v128.load(c, 96); x7 = v128.load(c, 112);
  }
  let pa = a;
  let pb = b;
  for (let p = 0; p < k; p++) {
    const s = v128.load32_splat(pa);
    x0 = madd(x0, s, v128.load(pb)); x1 = madd(x1, s, v128.load(pb, 16));
    x2 = madd(x2, s, v128.load(pb, 32)); x3 = madd(x3, s, v128.load(pb, 48));
    x4 = madd(x4, s, v128.load(pb, 64)); x5 = madd(x5, s, v128.load(pb, 80));
    x6 = madd(x6, s, v128.load(pb, 96)); x7 = madd(x7, s, v128.load(pb, 112));
    pa += aCol;
    pb += bRow;
  }
  v128.store(c, x0); v128.store(c, x1, 16); v128.store(c, x2, 32); v128.store(c, x3, 48);
  v128.store(c, x4, 64); v128.store(c, x5, 80); v128.store(c, x6, 96); v128.store(c, x7, 112);
}

/** C[0, 0..w) (+)= Σ_p A[0, p] B[p, 0..w), w ≤ 8. */
@inline
function tile1x8(a: usize, aCol: usize, b: usize, bRow: usize, c: usize, k: i32, acc: bool, w: i32): void {
  let x0 = f32x4.splat(0), x1 = x0;
  if (acc) {
    x0 = v128.load(c); x1 = v128.load(c, 16);
  }
  let pa = a;
  let pb = b;
  for (let p = 0; p < k; p++) {
    const s = v128.load32_splat(pa);
    x0 = madd(x0, s, v128.load(pb));
    x1 = madd(x1, s, v128.load(pb, 16));
    pa += aCol;
    pb += bRow;
  }
  storePair(c, x0, x1, w);
}

/**
 * C[i, :] (+)= A[i, :] Bᵀ for the rows i in [r0, r1), A m × k and B n × k: dot products of
 * contiguous rows, for small batches, where transposing B would cost more than the product.
 */
export function dotRows(a: usize, b: usize, c: usize, n: i32, k: i32, acc: bool, r0: i32, r1: i32): void {
  const aRow = <usize>k << 2;
  const row = <usize>n << 2;
  for (let i = r0; i < r1; i++) {
    const ai = a + <usize>i * aRow;
    const ci = c + <usize>i * row;
    for (let j = 0; j < n; j += 8) dot1x8(ai, b, n, k, j, ci + (<usize>j << 2), acc);
  }
}

/** C[0, j..j+8) (+)= A[0, :] · B[j..j+8, :]ᵀ, the rows of B past n clamped to its last row. */
@inline
function dot1x8(a: usize, b: usize, n: i32, k: i32, j: i32, c: usize, acc: bool): void {
  const kb = <usize>k << 2;
  const last = n - 1;
  const b0 = b + <usize>j * kb;
  const b1 = b + <usize>min(j + 1, last) * kb, b2 = b + <usize>min(j + 2, last) * kb;
  const b3 = b + <usize>min(j + 3, last) * kb, b4 = b + <usize>min(j + 4, last) * kb;
  const b5 = b + <usize>min(j + 5, last) * kb, b6 = b + <usize>min(j + 6, last) * kb;
  const b7 = b + <usize>min(j + 7, last) * kb;
  let x0 = f32x4.splat(0), x1 = x0, x2 = x0, x3 = x0, x4 = x0, x5 = x0, x6 = x0, x7 = x0;
  const full = <usize>(k & ~3) << 2;
  for (let o: usize = 0; o < full; o += 16) {
    const u = v128.load(a + o);
    x0 = madd(x0, u, v128.load(b0 + o)); x1 = madd(x1, u, v128.load(b1 + o));
    x2 = madd(x2, u, v128.load(b2 + o)); x3 = madd(x3, u, v128.load(b3 + o));
    x4 = madd(x4, u, v128.load(b4 + o)); x5 = madd(x5, u, v128.load(b5 + o));
    x6 = madd(x6, u, v128.load(b6 + o)); x7 = madd(x7, u, v128.load(b7 + o));
  }
  const rest = k & 3;
  if (rest != 0) {
    // Both operands masked: the lanes past k hold other data, possibly not finite.
    const mask = laneMask(rest);
    const u = v128.and(v128.load(a + full), mask);
    x0 = madd(x0, u, v128.and(v128.load(b0 + full), mask)); x1 = madd(x1, u, v128.and(v128.load(b1 + full), mask));
    x2 = madd(x2, u, v128.and(v128.load(b2 + full), mask)); x3 = madd(x3, u, v128.and(v128.load(b3 + full), mask));
    x4 = madd(x4, u, v128.and(v128.load(b4 + full), mask)); x5 = madd(x5, u, v128.and(v128.load(b5 + full), mask));
    x6 = madd(x6, u, v128.and(v128.load(b6 + full), mask)); x7 = madd(x7, u, v128.and(v128.load(b7 + full), mask));
  }
  let lo = laneSums(x0, x1, x2, x3);
  let hi = laneSums(x4, x5, x6, x7);
  if (acc) {
    lo = f32x4.add(lo, v128.load(c));
    hi = f32x4.add(hi, v128.load(c, 16));
  }
  storePair(c, lo, hi, min(8, n - j));
}

/** T[p, j] = B[j, p] for the rows p of T in [r0, r1): B (n × k) into T (k × n), 4 × 4 blocks at a time. */
export function transposeRows(b: usize, t: usize, n: i32, k: i32, r0: i32, r1: i32): void {
  const kb = <usize>k << 2;
  const row = <usize>n << 2;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const s0 = b + <usize>j * kb, s1 = s0 + kb, s2 = s1 + kb, s3 = s2 + kb;
    const d = t + (<usize>j << 2);
    let p = r0;
    for (; p + 4 <= r1; p += 4) {
      const o = <usize>p << 2;
      const x0 = v128.load(s0 + o), x1 = v128.load(s1 + o), x2 = v128.load(s2 + o), x3 = v128.load(s3 + o);
      const lo01 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5), lo23 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
      const hi01 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7), hi23 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
      const dp = d + <usize>p * row;
      v128.store(dp, v128.shuffle<f32>(lo01, lo23, 0, 1, 4, 5));
      v128.store(dp + row, v128.shuffle<f32>(lo01, lo23, 2, 3, 6, 7));
      v128.store(dp + 2 * row, v128.shuffle<f32>(hi01, hi23, 0, 1, 4, 5));
      v128.store(dp + 3 * row, v128.shuffle<f32>(hi01, hi23, 2, 3, 6, 7));
    }
    for (; p < r1; p++) {
      const o = <usize>p << 2;
      const dp = d + <usize>p * row;
      store<f32>(dp, load<f32>(s0 + o));
      store<f32>(dp, load<f32>(s1 + o), 4);
      store<f32>(dp, load<f32>(s2 + o), 8);
      store<f32>(dp, load<f32>(s3 + o), 12);
    }
  }
  for (; j < n; j++) {
    const s = b + <usize>j * kb;
    for (let p = r0; p < r1; p++) store<f32>(t + <usize>p * row + (<usize>j << 2), load<f32>(s + (<usize>p << 2)));
  }
}
