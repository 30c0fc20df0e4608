import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denseBackward, denseForward, type Accumulation, type ActivationName, type Backend } from '../src/linalg/backend.js';
import { adamStepScalars } from '../src/train/adam.js';
import { backendFor, jsBackend } from '../src/linalg/js-backend.js';
import { ReclinkError } from '../src/errors.js';
import { clone, type Matrix } from '../src/linalg/matrix.js';
import { loadWasmBackend, readWasmBytes } from '../src/linalg/select-backend.js';
import { WasmBackend } from '../src/linalg/wasm/wasm-backend.js';
import { WasmHeap } from '../src/linalg/wasm/heap.js';
import { imports, kernelsOf } from '../src/linalg/wasm/kernels.js';
import { Random } from '../src/random.js';

type Product = 'matmulABt' | 'matmulAtB' | 'matmulAB';
const PRODUCTS: readonly Product[] = ['matmulABt', 'matmulAtB', 'matmulAB'];
/** Sizes where the kernels change path: tiles of 4 × 8 and 1 × 32, vectors of 4, this network's widths. */
const EDGE_SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 75, 225, 300];
const GUARD = 64;
const guardedMatrices = new WeakSet<Matrix>();

let wasm: WasmBackend;
let relaxed: WasmBackend;
let threaded: WasmBackend;
let threeThreads: WasmBackend;

beforeAll(async () => {
  wasm = await loadWasmBackend({ threads: 1, kernels: 'plain' });
  relaxed = await loadWasmBackend({ threads: 1, kernels: 'relaxed' });
  threaded = await loadWasmBackend({ threads: 2, minParallelWork: 0, kernels: 'plain' });
  threeThreads = await loadWasmBackend({ threads: 3, minParallelWork: 0, kernels: 'plain' });
});

afterAll(async () => {
  await threaded.close();
  await threeThreads.close();
});

/** m, n, k: edge sizes and uniform ones from 1 to 300, seeded. */
function shapes(count: number, seed: number): [number, number, number][] {
  const random = Random.fromSeed(seed);
  const size = (): number => (random.uniform() < 0.5 ? EDGE_SIZES[random.int(EDGE_SIZES.length)] : 1 + random.int(300));
  const fixed: [number, number, number][] = [[1, 1, 1], [1, 75, 225], [1, 225, 75], [4, 8, 1], [300, 300, 300]];
  return [...fixed, ...Array.from({ length: count }, (): [number, number, number] => [size(), size(), size()])];
}

/**
 * A rows × cols matrix in the backend's memory, followed by GUARD elements set to a
 * sentinel: a kernel that stores past its output changes them.
 */
function guarded(backend: Backend, rows: number, cols: number, fill: (i: number) => number): Matrix {
  const store = backend.alloc(1, rows * cols + GUARD, 'float32');
  store.data.fill(-7.25);
  const data = store.data.subarray(0, rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = fill(i);
  const m = { rows, cols, data };
  guardedMatrices.add(m);
  return m;
}

function guardIntact(m: Matrix): boolean {
  if (!guardedMatrices.has(m)) return true;
  const after = new Float32Array(m.data.buffer, m.data.byteOffset + m.data.byteLength, GUARD);
  return after.every((v) => v === -7.25);
}

function randomIn(backend: Backend, rows: number, cols: number, random: Random): Matrix {
  return guarded(backend, rows, cols, () => random.uniformIn(-1, 1));
}

/** The operand shapes of a product with C m × n and inner size k. */
function operandShapes(product: Product, m: number, n: number, k: number): { a: [number, number]; b: [number, number] } {
  if (product === 'matmulABt') return { a: [m, k], b: [n, k] };
  if (product === 'matmulAtB') return { a: [k, m], b: [k, n] };
  return { a: [m, k], b: [k, n] };
}

/** C0 + the product in float64, and Σ|terms| for the rounding bound. */
function naive(product: Product, a: Matrix, b: Matrix, c0: Matrix | null, m: number, n: number, k: number): { value: Float64Array; magnitude: Float64Array } {
  const value = new Float64Array(m * n), magnitude = new Float64Array(m * n);
  const A = (i: number, p: number): number => (product === 'matmulAtB' ? a.data[p * m + i] : a.data[i * k + p]);
  const B = (p: number, j: number): number => (product === 'matmulABt' ? b.data[j * k + p] : b.data[p * n + j]);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = c0 ? c0.data[i * n + j] : 0, abs = Math.abs(sum);
      for (let p = 0; p < k; p++) {
        const t = A(i, p) * B(p, j);
        sum += t;
        abs += Math.abs(t);
      }
      value[i * n + j] = sum;
      magnitude[i * n + j] = abs;
    }
  }
  return { value, magnitude };
}

/** Largest error of `got` in units of float32 accumulation's bound (k + 2)·2⁻²³·Σ|terms|. */
function errorInBounds(got: Matrix, ref: { value: Float64Array; magnitude: Float64Array }, k: number): number {
  let worst = 0;
  for (let i = 0; i < ref.value.length; i++) {
    const bound = (k + 2) * 2 ** -23 * ref.magnitude[i] + 1e-30;
    worst = Math.max(worst, Math.abs(got.data[i] - ref.value[i]) / bound);
  }
  return worst;
}

describe('wasm matrix products against naive float64 loops', () => {
  for (const product of PRODUCTS) {
    // Both kernel sets keep float32 accumulation's bound: a fused multiply-add rounds once where mul + add round twice.
    it.each(['plain', 'relaxed'])(`${product}: random shapes from 1 to 300, overwrite and accumulate, %s kernels`, (kernels) => {
      const backend = kernels === 'plain' ? wasm : relaxed;
      const random = Random.fromSeed(PRODUCTS.indexOf(product) + 11);
      for (const [m, n, k] of shapes(36, PRODUCTS.indexOf(product) + 1)) {
        const { a: sa, b: sb } = operandShapes(product, m, n, k);
        const a = randomIn(backend, ...sa, random), b = randomIn(backend, ...sb, random);
        for (const accumulate of [false, true]) {
          // Overwriting must not read C: NaN there would show.
          const c = accumulate ? randomIn(backend, m, n, random) : guarded(backend, m, n, () => NaN);
          const ref = naive(product, a, b, accumulate ? clone(c, 'float64') : null, m, n, k);
          backend[product](a, b, c, accumulate);
          const label = `${product} m=${m} n=${n} k=${k} accumulate=${accumulate}`;
          expect(errorInBounds(c, ref, k), label).toBeLessThan(1);
          expect(guardIntact(c), `${label}: stored past C`).toBe(true);
        }
      }
    });
  }

  it('computes on float32 matrices from outside its memory as the JS backend', () => {
    const random = Random.fromSeed(5);
    for (const product of PRODUCTS) {
      for (const [m, n, k] of [[3, 9, 17], [20, 75, 225]] as const) {
        const { a: sa, b: sb } = operandShapes(product, m, n, k);
        const a = randomIn(jsBackend, ...sa, random), b = randomIn(jsBackend, ...sb, random);
        const c = randomIn(jsBackend, m, n, random), expected = clone(c);
        wasm[product](a, b, c, true);
        jsBackend[product](a, b, expected, true);
        expect(maxRelativeDifference(c, expected), product).toBeLessThan(1e-5);
      }
    }
  });

});

function maxRelativeDifference(a: Matrix, b: Matrix): number {
  let diff = 0, scale = 1e-30;
  for (let i = 0; i < a.data.length; i++) {
    diff = Math.max(diff, Math.abs(a.data[i] - b.data[i]));
    scale = Math.max(scale, Math.abs(b.data[i]));
  }
  return diff / scale;
}

/** One call of every other backend method, on operands built by `make`; returns what it wrote. */
type MethodCase = {
  name: string;
  run(backend: Backend, make: (rows: number, cols: number) => Matrix): Matrix[] | number;
  /** Relative tolerance against the JS backend: float32 sums over a row of `cols` need more. */
  tolerance?: number;
  /** Whether threads add float32 partial sums in another order than one thread (a weight gradient split along the batch). */
  reorders?: boolean;
};

/** Every way a backward pass may add to or write its gradients. */
const ACCUMULATIONS: Accumulation[] = [true, false].flatMap((params) => [true, false].map((input) => ({ params, input })));

function methodCases(rows: number, cols: number): MethodCase[] {
  const activations: ActivationName[] = ['relu', 'sigmoid', 'identity'];
  const [lr, weightDecay, momentum, dampening] = [0.1, 0.01, 0.9, 0.1];
  return [
    { name: 'addRowVector', run: (be, mk) => { const c = mk(rows, cols); be.addRowVector(c, mk(1, cols)); return [c]; } },
    ...[true, false].map((accumulate) => ({
      name: `columnSums accumulate=${accumulate}`,
      run: (be: Backend, mk: (r: number, c: number) => Matrix) => { const o = mk(1, cols); be.columnSums(mk(rows, cols), o, accumulate); return [o]; },
    })),
    { name: 'gatherColumns', run: (be, mk) => { const o = mk(rows, Math.ceil(cols / 3)); be.gatherColumns(mk(rows, cols), 3, o); return [o]; } },
    { name: 'scatterAddColumns', run: (be, mk) => { const d = mk(rows, cols); be.scatterAddColumns(mk(rows, Math.ceil(cols / 3)), 3, d); return [d]; } },
    ...activations.map((f) => ({ name: `activate ${f}`, run: (be: Backend, mk: (r: number, c: number) => Matrix) => { const z = mk(rows, cols); be.activate(f, mk(rows, cols), z); return [z]; } })),
    ...activations.map((f) => ({
      name: `activationBackward ${f}`,
      run: (be: Backend, mk: (r: number, c: number) => Matrix) => { const d = mk(rows, cols); be.activationBackward(f, mk(rows, cols), mk(rows, cols), mk(rows, cols), d); return [d]; },
    })),
    ...[true, false].flatMap((withBias) => activations.map((f) => ({
      name: `denseForward ${f} bias=${withBias}`,
      tolerance: 2e-5,
      run: (be: Backend, mk: (r: number, c: number) => Matrix) => {
        const a = mk(rows, 13), z = mk(rows, 13);
        denseForward(be, mk(rows, cols), mk(13, cols), withBias ? mk(1, 13) : null, f, a, z);
        return [a, z];
      },
    }))),
    ...[true, false].flatMap((withGrads) => activations.flatMap((f) => ACCUMULATIONS.map((accumulate) => ({
      name: `denseBackward ${f} bias and input gradients=${withGrads} ${JSON.stringify(accumulate)}`,
      tolerance: 2e-5,
      reorders: true,
      run: (be: Backend, mk: (r: number, c: number) => Matrix) => {
        const delta = mk(rows, 13), gradW = mk(13, cols), gradB = withGrads ? mk(1, 13) : null, gradX = withGrads ? mk(rows, cols) : null;
        denseBackward(be, f, mk(rows, 13), mk(rows, 13), mk(rows, 13), delta, mk(rows, cols), mk(13, cols), gradW, gradB, gradX, accumulate);
        return [delta, gradW, ...(gradB ? [gradB] : []), ...(gradX ? [gradX] : [])];
      },
    })))),
    { name: 'add', run: (be, mk) => { const c = mk(rows, cols); be.add(mk(rows, cols), mk(rows, cols), c); return [c]; } },
    { name: 'add in place', run: (be, mk) => { const a = mk(rows, cols); be.add(a, mk(rows, cols), a); return [a]; } },
    { name: 'squaredError', run: (be, mk) => be.squaredError(mk(rows, cols), mk(rows, cols)) },
    { name: 'squaredErrorGradient', run: (be, mk) => { const g = mk(rows, cols); be.squaredErrorGradient(mk(rows, cols), mk(rows, cols), 0.37, g); return [g]; } },
    { name: 'sumOfSquares', run: (be, mk) => be.sumOfSquares(mk(rows, cols)) },
    { name: 'scale', run: (be, mk) => { const m = mk(rows, cols); be.scale(m, -1.5); return [m]; } },
    { name: 'zero', run: (be, mk) => { const m = mk(rows, cols); be.zero(m); return [m]; } },
    { name: 'sgdUpdate plain', run: (be, mk) => { const w = mk(rows, cols); be.sgdUpdate(w, mk(rows, cols), null, lr, 0, 0, 0, false, false); return [w]; } },
    { name: 'sgdUpdate', run: (be, mk) => { const w = mk(rows, cols); be.sgdUpdate(w, mk(rows, cols), null, lr, weightDecay, 0, dampening, true, false); return [w]; } },
    ...[true, false].flatMap((nesterov) => [true, false].map((firstStep) => ({
      name: `sgdUpdate momentum nesterov=${nesterov} first=${firstStep}`,
      run: (be: Backend, mk: (r: number, c: number) => Matrix) => { const w = mk(rows, cols), b = mk(rows, cols); be.sgdUpdate(w, mk(rows, cols), b, lr, weightDecay, momentum, dampening, nesterov, firstStep); return [w, b]; },
    }))),
    ...[true, false].flatMap((decoupled) => [0, 0.1].map((weightDecay) => ({
      name: `adamUpdate decoupled=${decoupled} weightDecay=${weightDecay}`,
      run: (be: Backend, mk: (r: number, c: number) => Matrix) => {
        const w = mk(rows, cols), m = mk(rows, cols), v = mk(rows, cols);
        v.data.forEach((x, i) => (v.data[i] = Math.abs(x)));
        const s = adamStepScalars({ lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay, decoupled, step: 3 });
        be.adamUpdate(w, mk(rows, cols), m, v, s.coupledDecay, s.shrink, 0.9, 0.999, 1e-8, s.stepSize, s.sqrtCorrection2);
        return [w, m, v];
      },
    }))),
  ];
}

/** Operands drawn from one seeded stream, a few exact zeros included (ReLU'(0) = 0). */
function maker(backend: Backend, seed: number): (rows: number, cols: number) => Matrix {
  const random = Random.fromSeed(seed);
  return (rows, cols) => guarded(backend, rows, cols, () => (random.uniform() < 0.05 ? 0 : random.uniformIn(-2, 2)));
}

function compare(got: Matrix[] | number, expected: Matrix[] | number, tolerance: number, label: string): void {
  if (typeof got === 'number' || typeof expected === 'number') {
    expect(Math.abs(Number(got) - Number(expected)) / Math.max(Math.abs(Number(expected)), 1e-30), label).toBeLessThan(tolerance);
    return;
  }
  got.forEach((m, i) => {
    expect(maxRelativeDifference(m, expected[i]), label).toBeLessThan(tolerance);
    expect(guardIntact(m), `${label}: stored past its output`).toBe(true);
  });
}

/** The smallest normal float32, 2⁻¹²⁶: below it, float32 numbers are subnormal. */
const MIN_NORMAL = 2 ** -126;

describe('optimizer state that decays into the subnormals', () => {
  // A zero gradient leaves μb, β₁m and β₂v decaying; one step from just above 2⁻¹²⁶ they would be
  // subnormal, which the kernels store as zero (the weight update is the same in float32).
  it.each(['plain', 'relaxed'] as const)('is stored as zero by the %s kernels, the weights as the JS backend has them', (kernels) => {
    const be = kernels === 'plain' ? wasm : relaxed;
    const count = 37;
    const make = (backend: Backend, value: (i: number) => number): Matrix => {
      const m = backend.alloc(1, count, 'float32');
      for (let i = 0; i < count; i++) m.data[i] = value(i);
      return m;
    };
    const tiny = (i: number): number => (i % 2 ? -1.05 : 1.05) * MIN_NORMAL;
    const run = (backend: Backend): Matrix[] => {
      const w = make(backend, (i) => 0.5 - i / count), b = make(backend, tiny), m = make(backend, tiny), v = make(backend, () => 1.0005 * MIN_NORMAL);
      const zero = make(backend, () => 0);
      backend.sgdUpdate(w, zero, b, 0.1, 0, 0.9, 0, false, false);
      backend.adamUpdate(w, zero, m, v, 0, 1, 0.9, 0.999, 1e-8, 0.01, 0.5);
      return [w, b, m, v];
    };
    const [w, ...state] = run(be);
    const [expectedW, ...expectedState] = run(jsBackend);
    for (const s of expectedState) expect(s.data.every((x) => x !== 0 && Math.abs(x) < MIN_NORMAL), 'the JS backend keeps the subnormals').toBe(true);
    for (const s of state) expect(Array.from(s.data)).toEqual(Array.from({ length: count }, () => 0));
    expect(Array.from(w.data)).toEqual(Array.from(expectedW.data));
  });
});

const METHOD_SHAPES: [number, number][] = [[1, 1], [1, 225], [3, 5], [7, 75], [64, 225], [300, 17], [129, 300]];

describe('every other wasm backend method against the JS backend', () => {
  for (const [rows, cols] of METHOD_SHAPES) {
    it(`${rows} × ${cols}`, () => {
      methodCases(rows, cols).forEach((c, i) => {
        const expected = c.run(jsBackend, maker(jsBackend, i));
        const tolerance = c.tolerance ?? 1e-6;
        compare(c.run(wasm, maker(wasm, i)), expected, tolerance, `${c.name} ${rows}x${cols}`);
        // From outside the memory: copied in and out.
        compare(c.run(wasm, maker(jsBackend, i)), expected, tolerance, `${c.name} ${rows}x${cols} from outside`);
      });
    });
  }

  it('supports float32 only: backendFor routes float64 to the JS backend, and float64 matrices are refused', () => {
    expect([wasm.supports('float32'), wasm.supports('float64')]).toEqual([true, false]);
    expect(backendFor(wasm, 'float32')).toBe(wasm);
    expect(backendFor(wasm, 'float64')).toBe(jsBackend);
    const make = (seed: number) => (rows: number, cols: number) => clone(maker(jsBackend, seed)(rows, cols), 'float64');
    const computing = methodCases(33, 41).filter((c) => c.name !== 'zero'); // zeroing a matrix outside the memory works on any
    for (const [i, c] of computing.entries()) expect(() => c.run(wasm, make(i)), c.name).toThrow(ReclinkError);
    expect(() => wasm.alloc(2, 2, 'float64')).toThrow('the wasm backend computes float32 matrices, asked for a float64 one');
  });

  it('describes itself, and computes on the calling thread once closed', async () => {
    expect(jsBackend.describe()).toEqual({ name: 'js', kernels: 'TypeScript', threads: 1 });
    expect([wasm.kernelSet, relaxed.kernelSet]).toEqual(['plain', 'relaxed']);
    expect(relaxed.describe()).toEqual({ name: 'wasm', kernels: 'WebAssembly relaxed SIMD', threads: 1 });
    const backend = await loadWasmBackend({ threads: 2, kernels: 'plain' });
    expect(backend.describe()).toEqual({ name: 'wasm', kernels: 'WebAssembly SIMD', threads: 2 });
    await backend.close();
    expect(backend.describe().threads).toBe(1);
  });

});

describe('threads', () => {
  it('split every kernel, give the single-thread results within float32 rounding and the same bits run to run', () => {
    for (const [rows, cols] of METHOD_SHAPES) {
      methodCases(rows, cols).forEach((c, i) => {
        const single = c.run(wasm, maker(wasm, i));
        const first = c.run(threaded, maker(threaded, i));
        // Rows split between threads compute the same sums; only reordered float32 partial sums may differ.
        compare(first, single, c.reorders ? 1e-5 : 1e-12, `${c.name} ${rows}x${cols}`);
        expect(bits(c.run(threaded, maker(threaded, i))), `${c.name} ${rows}x${cols} run to run`).toEqual(bits(first));
      });
    }
    for (const backend of [threaded, threeThreads]) {
      for (const product of PRODUCTS) {
        // Weight gradients with a long batch (k) are split along it, into partial sums.
        for (const [m, n, k] of [...shapes(6, 9), [75, 225, 300], [13, 7, 9]] as const) {
          const random = Random.fromSeed(m * n * k);
          const { a: sa, b: sb } = operandShapes(product, m, n, k);
          const a = randomIn(backend, ...sa, random), b = randomIn(backend, ...sb, random), c = randomIn(backend, m, n, random);
          const single = clone(c), again = clone(c);
          wasm[product](a, b, single, true);
          backend[product](a, b, c, true);
          backend[product](a, b, again, true);
          const label = `${product} ${m}x${n}x${k}, ${backend.threads} threads`;
          expect(maxRelativeDifference(c, single), label).toBeLessThan(1e-5);
          expect(bits(again), `${label} run to run`).toEqual(bits(c));
        }
      }
    }
  });
});

describe('threads without their workers', () => {
  it('leave every chunk to the calling thread, with the bits of a running worker', async () => {
    // A backend told of two threads, whose second never starts: what a busy machine does to a worker.
    const module = await WebAssembly.compile(await readWasmBytes());
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 16384, shared: true });
    const kernels = kernelsOf(await WebAssembly.instantiate(module, imports(memory)));
    const heap = new WasmHeap(memory, kernels.heapBase(), 2 ** 30);
    const jobBlock = heap.allocate(kernels.jobBlockBytes());
    kernels.configure(jobBlock, 2, 0);
    const abandoned = new WasmBackend(module, kernels, heap, jobBlock, null, 2);
    for (const [rows, cols] of [[64, 225], [300, 17]] as const) {
      methodCases(rows, cols).forEach((c, i) => {
        const expected = c.run(threaded, maker(threaded, i));
        expect(bits(c.run(abandoned, maker(abandoned, i))), `${c.name} ${rows}x${cols}`).toEqual(bits(expected));
      });
    }
  });
});

function bits(result: Matrix[] | number | Matrix): number[] {
  if (typeof result === 'number') return [result];
  const list = Array.isArray(result) ? result : [result];
  return list.flatMap((m) => Array.from(new Uint32Array(Float32Array.from(m.data).buffer)));
}
