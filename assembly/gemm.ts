// The matrix products, on f32x4 register tiles (docs/speed-limits.md: 4 rows × 8 columns, 8 accumulators,
// the K loop not unrolled, the micro-kernel inlined, blocked along K).
import { laneMask, laneSums, productMadd, storePair } from './lanes';

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
    x00 = productMadd(x00, s, b0); x01 = productMadd(x01, s, b1);
    s = transposedA ? v128.load32_splat(pa, 4) : v128.load32_splat(pa + r1);
    x10 = productMadd(x10, s, b0); x11 = productMadd(x11, s, b1);
    s = transposedA ? v128.load32_splat(pa, 8) : v128.load32_splat(pa + r2);
    x20 = productMadd(x20, s, b0); x21 = productMadd(x21, s, b1);
    s = transposedA ? v128.load32_splat(pa, 12) : v128.load32_splat(pa + r3);
    x30 = productMadd(x30, s, b0); x31 = productMadd(x31, s, b1);
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
    x0 = productMadd(x0, s, v128.load(pb)); x1 = productMadd(x1, s, v128.load(pb, 16));
    x2 = productMadd(x2, s, v128.load(pb, 32)); x3 = productMadd(x3, s, v128.load(pb, 48));
    x4 = productMadd(x4, s, v128.load(pb, 64)); x5 = productMadd(x5, s, v128.load(pb, 80));
    x6 = productMadd(x6, s, v128.load(pb, 96)); x7 = productMadd(x7, s, v128.load(pb, 112));
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
    x0 = productMadd(x0, s, v128.load(pb));
    x1 = productMadd(x1, s, v128.load(pb, 16));
    pa += aCol;
    pb += bRow;
  }
  storePair(c, x0, x1, w);
}

/**
 * C[i, :] (+)= A[i, :] Bᵀ for the rows i in [r0, r1), A m × k and B n × k: dot products of
 * contiguous rows, so that B is read as it is stored. A transposed copy of B would be
 * written by one thread and fetched by the others on every call (docs/speed-limits.md: ~20 µs per 67
 * KB), and measured no faster on one thread. Four rows at a time in 4 × 2 tiles, then
 * single rows eight columns at a time.
 */
export function dotRows(a: usize, b: usize, c: usize, n: i32, k: i32, acc: bool, r0: i32, r1: i32): void {
  const kb = <usize>k << 2;
  const row = <usize>n << 2;
  let i = r0;
  for (; i + 4 <= r1; i += 4) {
    const ai = a + <usize>i * kb;
    const ci = c + <usize>i * row;
    let j = 0;
    for (; j + 2 <= n; j += 2) tile4x2(ai, kb, b + <usize>j * kb, b + <usize>(j + 1) * kb, ci + (<usize>j << 2), row, k, acc, true);
    if (j < n) tile4x2(ai, kb, b + <usize>j * kb, b + <usize>j * kb, ci + (<usize>j << 2), row, k, acc, false);
  }
  for (; i < r1; i++) {
    const ai = a + <usize>i * kb;
    const ci = c + <usize>i * row;
    for (let j = 0; j < n; j += 8) dot1x8(ai, b, n, k, j, ci + (<usize>j << 2), acc);
  }
}

/**
 * C[r, q] (+)= A[r, :] · B_q for rows r = 0..3 (rows of A `kb` bytes apart) and the rows
 * b0, b1 of B; with `pair` false only column 0 (b0) is stored.
 */
@inline
function tile4x2(a0: usize, kb: usize, b0: usize, b1: usize, c: usize, row: usize, k: i32, acc: bool, pair: bool): void {
  const a1 = a0 + kb, a2 = a1 + kb, a3 = a2 + kb;
  let x00 = f32x4.splat(0), x01 = x00, x10 = x00, x11 = x00, x20 = x00, x21 = x00, x30 = x00, x31 = x00;
  const full = <usize>(k & ~3) << 2;
  for (let o: usize = 0; o < full; o += 16) {
    const u = v128.load(b0 + o), v = v128.load(b1 + o);
    let s = v128.load(a0 + o);
    x00 = productMadd(x00, s, u); x01 = productMadd(x01, s, v);
    s = v128.load(a1 + o);
    x10 = productMadd(x10, s, u); x11 = productMadd(x11, s, v);
    s = v128.load(a2 + o);
    x20 = productMadd(x20, s, u); x21 = productMadd(x21, s, v);
    s = v128.load(a3 + o);
    x30 = productMadd(x30, s, u); x31 = productMadd(x31, s, v);
  }
  const rest = k & 3;
  if (rest != 0) {
    // Both operands masked: the lanes past k hold other data, possibly not finite.
    const mask = laneMask(rest);
    const u = v128.and(v128.load(b0 + full), mask), v = v128.and(v128.load(b1 + full), mask);
    let s = v128.and(v128.load(a0 + full), mask);
    x00 = productMadd(x00, s, u); x01 = productMadd(x01, s, v);
    s = v128.and(v128.load(a1 + full), mask);
    x10 = productMadd(x10, s, u); x11 = productMadd(x11, s, v);
    s = v128.and(v128.load(a2 + full), mask);
    x20 = productMadd(x20, s, u); x21 = productMadd(x21, s, v);
    s = v128.and(v128.load(a3 + full), mask);
    x30 = productMadd(x30, s, u); x31 = productMadd(x31, s, v);
  }
  // [C00 C01 C10 C11] and [C20 C21 C30 C31]
  let lo = laneSums(x00, x01, x10, x11);
  let hi = laneSums(x20, x21, x30, x31);
  const c1 = c + row, c2 = c1 + row, c3 = c2 + row;
  if (pair) {
    if (acc) {
      lo = f32x4.add(lo, v128.load64_lane(c1, v128.load64_zero(c), 1));
      hi = f32x4.add(hi, v128.load64_lane(c3, v128.load64_zero(c2), 1));
    }
    v128.store64_lane(c, lo, 0);
    v128.store64_lane(c1, lo, 1);
    v128.store64_lane(c2, hi, 0);
    v128.store64_lane(c3, hi, 1);
  } else {
    store<f32>(c, f32x4.extract_lane(lo, 0) + (acc ? load<f32>(c) : 0));
    store<f32>(c1, f32x4.extract_lane(lo, 2) + (acc ? load<f32>(c1) : 0));
    store<f32>(c2, f32x4.extract_lane(hi, 0) + (acc ? load<f32>(c2) : 0));
    store<f32>(c3, f32x4.extract_lane(hi, 2) + (acc ? load<f32>(c3) : 0));
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
    x0 = productMadd(x0, u, v128.load(b0 + o)); x1 = productMadd(x1, u, v128.load(b1 + o));
    x2 = productMadd(x2, u, v128.load(b2 + o)); x3 = productMadd(x3, u, v128.load(b3 + o));
    x4 = productMadd(x4, u, v128.load(b4 + o)); x5 = productMadd(x5, u, v128.load(b5 + o));
    x6 = productMadd(x6, u, v128.load(b6 + o)); x7 = productMadd(x7, u, v128.load(b7 + o));
  }
  const rest = k & 3;
  if (rest != 0) {
    // Both operands masked: the lanes past k hold other data, possibly not finite.
    const mask = laneMask(rest);
    const u = v128.and(v128.load(a + full), mask);
    x0 = productMadd(x0, u, v128.and(v128.load(b0 + full), mask)); x1 = productMadd(x1, u, v128.and(v128.load(b1 + full), mask));
    x2 = productMadd(x2, u, v128.and(v128.load(b2 + full), mask)); x3 = productMadd(x3, u, v128.and(v128.load(b3 + full), mask));
    x4 = productMadd(x4, u, v128.and(v128.load(b4 + full), mask)); x5 = productMadd(x5, u, v128.and(v128.load(b5 + full), mask));
    x6 = productMadd(x6, u, v128.and(v128.load(b6 + full), mask)); x7 = productMadd(x7, u, v128.and(v128.load(b7 + full), mask));
  }
  let lo = laneSums(x0, x1, x2, x3);
  let hi = laneSums(x4, x5, x6, x7);
  if (acc) {
    lo = f32x4.add(lo, v128.load(c));
    hi = f32x4.add(hi, v128.load(c, 16));
  }
  storePair(c, lo, hi, min(8, n - j));
}
