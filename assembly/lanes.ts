// Helpers for f32x4 vectors shared by the kernels.

/** c + a·b, lane by lane, rounded twice (mul, then add) in both kernel sets. */
@inline
export function madd(c: v128, a: v128, b: v128): v128 {
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * c + a·b for the matrix products: `madd` in the plain kernel set; in the relaxed one (built
 * with `--enable relaxed-simd`), `f32x4.relaxed_madd`, which the engine may fuse into one
 * rounding, so the two sets differ in the last bits.
 */
@inline
export function productMadd(c: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return madd(c, a, b);
}

/** Stores the first `count` (1..4) lanes of `v` at `p`. */
@inline
export function storeLanes(p: usize, v: v128, count: i32): void {
  if (count >= 4) {
    v128.store(p, v);
    return;
  }
  v128.store32_lane(p, v, 0);
  if (count > 1) v128.store32_lane(p, v, 1, 4);
  if (count > 2) v128.store32_lane(p, v, 2, 8);
}

/** Stores the first `count` (1..8) floats of the pair [v0 v1] at `p`. */
@inline
export function storePair(p: usize, v0: v128, v1: v128, count: i32): void {
  if (count > 4) {
    v128.store(p, v0);
    storeLanes(p + 16, v1, count - 4);
  } else {
    storeLanes(p, v0, count);
  }
}

/** The lane sums of four vectors: [Σ x0, Σ x1, Σ x2, Σ x3]. */
@inline
export function laneSums(x0: v128, x1: v128, x2: v128, x3: v128): v128 {
  const t0 = f32x4.add(v128.shuffle<f32>(x0, x1, 0, 4, 1, 5), v128.shuffle<f32>(x0, x1, 2, 6, 3, 7));
  const t1 = f32x4.add(v128.shuffle<f32>(x2, x3, 0, 4, 1, 5), v128.shuffle<f32>(x2, x3, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
}

/** All-ones in lanes below `count` (0..4), zero above: masks the tail of a row. */
@inline
export function laneMask(count: i32): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(count));
}
