// The optimizers' element-wise kernels, float32 SIMD: `sgd` runs the rule of src/train/sgd.ts
// (PyTorch's SGD), `adam` that of src/train/adam.ts (Adam, AdamW), over a range of elements so
// that threads can share a parameter.
import { madd, storeLanes } from './lanes';

/**
 * SGD over elements [e0, e1): g = ∇ + λw; with momentum (b ≠ 0) b = g on the first step,
 * else μb + (1 − dampening)g, then g = g + μb (Nesterov) or b; w = w − lr·g.
 */
export function sgd(w: usize, grad: usize, b: usize, lr: f64, decay: f64, mu: f64, dampening: f64, nesterov: bool, first: bool, e0: i32, e1: i32): void {
  const vlr = splat(lr), vdecay = splat(decay), vmu = splat(mu), vkeep = splat(1 - dampening);
  let o = <usize>e0 << 2;
  const full = <usize>(e1 & ~3) << 2;
  if (b == 0 && decay == 0) {
    // Plain SGD, the common case: w −= lr·∇, four vectors a pass (fewer loop branches).
    for (; o + 64 <= full; o += 64) {
      const p = w + o, g = grad + o;
      const w0 = v128.load(p), w1 = v128.load(p, 16), w2 = v128.load(p, 32), w3 = v128.load(p, 48);
      const g0 = v128.load(g), g1 = v128.load(g, 16), g2 = v128.load(g, 32), g3 = v128.load(g, 48);
      v128.store(p, f32x4.sub(w0, f32x4.mul(vlr, g0)));
      v128.store(p, f32x4.sub(w1, f32x4.mul(vlr, g1)), 16);
      v128.store(p, f32x4.sub(w2, f32x4.mul(vlr, g2)), 32);
      v128.store(p, f32x4.sub(w3, f32x4.mul(vlr, g3)), 48);
    }
    for (; o < full; o += 16) v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.mul(vlr, v128.load(grad + o))));
    if (e1 & 3) storeLanes(w + o, f32x4.sub(v128.load(w + o), f32x4.mul(vlr, v128.load(grad + o))), e1 & 3);
    return;
  }
  for (; o < full; o += 16) sgdStep(w + o, grad + o, b == 0 ? 0 : b + o, vlr, vdecay, vmu, vkeep, nesterov, first, 4);
  if (e1 & 3) sgdStep(w + o, grad + o, b == 0 ? 0 : b + o, vlr, vdecay, vmu, vkeep, nesterov, first, e1 & 3);
}

/** The SGD update of the `count` (1–4) weights at w. */
@inline
function sgdStep(w: usize, grad: usize, b: usize, vlr: v128, vdecay: v128, vmu: v128, vkeep: v128, nesterov: bool, first: bool, count: i32): void {
  const wv = v128.load(w);
  let g = madd(v128.load(grad), vdecay, wv);
  if (b != 0) {
    const bv = first ? g : flushSubnormals(madd(f32x4.mul(vmu, v128.load(b)), vkeep, g));
    storeLanes(b, bv, count);
    g = nesterov ? madd(g, vmu, bv) : bv;
  }
  storeLanes(w, f32x4.sub(wv, f32x4.mul(vlr, g)), count);
}

/**
 * Adam over elements [e0, e1): g = ∇ + λw (coupled decay), w ·= shrink (decoupled decay),
 * m = β₁m + (1 − β₁)g, v = β₂v + (1 − β₂)g², w −= stepSize · m / (√v / √(1 − β₂ᵗ) + ε).
 * Two sums are taken in float64, where float32 would lose what the step amplifies:
 * 1 − β₂ (rounding β₂ = 0.999 first changes 1 − β₂ by 1.3e-5 of itself), and g, whose
 * cancellation error (∇ ≈ −λw) grows into a step of about m/|g| when v is mostly g².
 */
export function adam(w: usize, grad: usize, m: usize, v: usize, decay: f64, shrink: f64, beta1: f64, beta2: f64, eps: f64, stepSize: f64, sqrtCorrection2: f64, e0: i32, e1: i32): void {
  const vshrink = splat(shrink);
  const vb1 = splat(beta1), vc1 = splat(1 - beta1), vb2 = splat(beta2), vc2 = splat(1 - beta2);
  const veps = splat(eps), vstep = splat(stepSize), vcorr = splat(sqrtCorrection2);
  let o = <usize>e0 << 2;
  const full = <usize>(e1 & ~3) << 2;
  if (decay == 0 && shrink == 1) {
    // Adam without weight decay, the common case: g = ∇, w is not shrunk (the same bits, fewer steps).
    for (; o < full; o += 16) adamStep(w + o, grad + o, m + o, v + o, 0, vshrink, vb1, vc1, vb2, vc2, veps, vstep, vcorr, 4, false);
    if (e1 & 3) adamStep(w + o, grad + o, m + o, v + o, 0, vshrink, vb1, vc1, vb2, vc2, veps, vstep, vcorr, e1 & 3, false);
    return;
  }
  for (; o < full; o += 16) adamStep(w + o, grad + o, m + o, v + o, decay, vshrink, vb1, vc1, vb2, vc2, veps, vstep, vcorr, 4, true);
  if (e1 & 3) adamStep(w + o, grad + o, m + o, v + o, decay, vshrink, vb1, vc1, vb2, vc2, veps, vstep, vcorr, e1 & 3, true);
}

/** The Adam update of the `count` (1–4) weights at w; without `decays`, decay is 0 and shrink 1. */
@inline
function adamStep(w: usize, grad: usize, m: usize, v: usize, decay: f64, vshrink: v128, vb1: v128, vc1: v128, vb2: v128, vc2: v128, veps: v128, vstep: v128, vcorr: v128, count: i32, decays: bool): void {
  const wv = v128.load(w);
  const g = decays ? sumInFloat64(v128.load(grad), decay, wv) : v128.load(grad);
  const mv = flushSubnormals(madd(f32x4.mul(vb1, v128.load(m)), vc1, g));
  const vv = flushSubnormals(madd(f32x4.mul(vb2, v128.load(v)), vc2, f32x4.mul(g, g)));
  const denom = f32x4.add(f32x4.div(f32x4.sqrt(vv), vcorr), veps);
  storeLanes(m, mv, count);
  storeLanes(v, vv, count);
  storeLanes(w, f32x4.sub(decays ? f32x4.mul(wv, vshrink) : wv, f32x4.div(f32x4.mul(vstep, mv), denom)), count);
}

/**
 * x with its subnormal lanes (0 < |x| < 2⁻¹²⁶) set to zero. Optimizer state that a zero
 * gradient leaves decaying (μb, β₁m, β₂v: a dead ReLU unit's weights) passes through the
 * subnormals, where every multiply takes the processor a slow path: measured on an Intel Xeon,
 * an Adam update of 45,375 weights with subnormal moments took 1.5 ms instead of 43 µs, and the
 * last epochs of the default `reclink train` ran 40 % slower. Flushed, the weights get the same
 * update in float32: such a moment moves a weight by less than 10⁻²⁹.
 */
@inline
function flushSubnormals(x: v128): v128 {
  return v128.andnot(x, i32x4.eq(v128.and(x, EXPONENT), f32x4.splat(0)));
}

/** The exponent bits of a float32: all zero in zeros and subnormals. */
const EXPONENT = i32x4.splat(0x7f800000);

/** A float64 scalar rounded to float32, in every lane. */
@inline
function splat(x: f64): v128 {
  return f32x4.splat(<f32>x);
}

/** a + s·b lane by lane, computed in float64 and rounded once to float32. */
@inline
function sumInFloat64(a: v128, s: f64, b: v128): v128 {
  const sv = f64x2.splat(s);
  const lo = f64x2.add(f64x2.promote_low_f32x4(a), f64x2.mul(sv, f64x2.promote_low_f32x4(b)));
  const ah = v128.shuffle<f32>(a, a, 2, 3, 2, 3), bh = v128.shuffle<f32>(b, b, 2, 3, 2, 3);
  const hi = f64x2.add(f64x2.promote_low_f32x4(ah), f64x2.mul(sv, f64x2.promote_low_f32x4(bh)));
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}
