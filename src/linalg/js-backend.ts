import type { ActivationName, Backend, BackendDescription } from './backend.js';
import { zeros, type DType, type Matrix } from './matrix.js';

/**
 * The portable backend: plain TypeScript loops over typed arrays, float32 or float64.
 * It is the reference the fast backends are checked against.
 */
export const jsBackend: Backend = {
  describe(): BackendDescription {
    return { name: 'js', kernels: 'TypeScript', threads: 1 };
  },

  supports(): boolean {
    return true;
  },

  async close(): Promise<void> {},

  alloc(rows: number, cols: number, dtype: DType): Matrix {
    return zeros(rows, cols, dtype);
  },

  matmulABt(a, b, c, accumulate) {
    const { rows: m, cols: k } = a;
    const n = b.rows;
    const A = a.data, B = b.data, C = c.data;
    for (let i = 0; i < m; i++) {
      const ai = i * k;
      for (let j = 0; j < n; j++) {
        const bj = j * k;
        let sum = 0;
        for (let p = 0; p < k; p++) sum += A[ai + p] * B[bj + p];
        C[i * n + j] = accumulate ? C[i * n + j] + sum : sum;
      }
    }
  },

  matmulAtB(a, b, c, accumulate) {
    const { rows: k, cols: m } = a;
    const n = b.cols;
    const A = a.data, B = b.data, C = c.data;
    if (!accumulate) C.fill(0);
    for (let p = 0; p < k; p++) {
      const bp = p * n;
      for (let i = 0; i < m; i++) {
        const api = A[p * m + i];
        if (api === 0) continue;
        const ci = i * n;
        for (let j = 0; j < n; j++) C[ci + j] += api * B[bp + j];
      }
    }
  },

  matmulAB(a, b, c, accumulate) {
    const { rows: m, cols: k } = a;
    const n = b.cols;
    const A = a.data, B = b.data, C = c.data;
    if (!accumulate) C.fill(0);
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      for (let p = 0; p < k; p++) {
        const aip = A[i * k + p];
        if (aip === 0) continue;
        const bp = p * n;
        for (let j = 0; j < n; j++) C[ci + j] += aip * B[bp + j];
      }
    }
  },

  addRowVector(c, bias) {
    const { rows, cols } = c;
    const C = c.data, b = bias.data;
    for (let i = 0; i < rows; i++) {
      const ci = i * cols;
      for (let j = 0; j < cols; j++) C[ci + j] += b[j];
    }
  },

  columnSums(a, out, accumulate) {
    const { rows, cols } = a;
    const A = a.data, O = out.data;
    if (!accumulate) O.fill(0, 0, cols);
    for (let i = 0; i < rows; i++) {
      const ai = i * cols;
      for (let j = 0; j < cols; j++) O[j] += A[ai + j];
    }
  },

  gatherColumns(src, stride, out) {
    const { rows, cols } = out;
    const S = src.data, O = out.data, sc = src.cols;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) O[i * cols + j] = S[i * sc + stride * j];
    }
  },

  scatterAddColumns(src, stride, dst) {
    const { rows, cols } = src;
    const S = src.data, D = dst.data, dc = dst.cols;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) D[i * dc + stride * j] += S[i * cols + j];
    }
  },

  activate(f, a, z) {
    activations[f].forward(a.data, z.data);
  },

  activationBackward(f, a, z, gradZ, delta) {
    activations[f].backward(a.data, z.data, gradZ.data, delta.data);
  },

  add(a, b, c) {
    const A = a.data, B = b.data, C = c.data;
    for (let i = 0; i < C.length; i++) C[i] = A[i] + B[i];
  },

  squaredError(y, target) {
    const Y = y.data, T = target.data;
    let sum = 0;
    for (let i = 0; i < Y.length; i++) {
      const d = Y[i] - T[i];
      sum += d * d;
    }
    return sum;
  },

  squaredErrorGradient(y, target, scale, grad) {
    const Y = y.data, T = target.data, G = grad.data;
    for (let i = 0; i < G.length; i++) G[i] = scale * (Y[i] - T[i]);
  },

  zero(m) {
    m.data.fill(0);
  },

  sumOfSquares(m) {
    const M = m.data;
    let sum = 0;
    for (let i = 0; i < M.length; i++) sum += M[i] * M[i];
    return sum;
  },

  scale(m, s) {
    const M = m.data;
    for (let i = 0; i < M.length; i++) M[i] *= s;
  },

  sgdUpdate(value, grad, velocity, lr, wd, mu, dampening, nesterov, firstStep) {
    const W = value.data, G = grad.data, B = velocity?.data;
    for (let i = 0; i < W.length; i++) {
      let g = G[i] + wd * W[i];
      if (B) {
        B[i] = firstStep ? g : mu * B[i] + (1 - dampening) * g;
        g = nesterov ? g + mu * B[i] : B[i];
      }
      W[i] -= lr * g;
    }
  },

  adamUpdate(value, grad, m, v, coupledDecay, shrink, beta1, beta2, eps, stepSize, sqrtCorrection2) {
    const W = value.data, G = grad.data, M = m.data, V = v.data;
    for (let i = 0; i < W.length; i++) {
      const g = G[i] + coupledDecay * W[i];
      W[i] *= shrink;
      M[i] = beta1 * M[i] + (1 - beta1) * g;
      V[i] = beta2 * V[i] + (1 - beta2) * g * g;
      W[i] -= (stepSize * M[i]) / (Math.sqrt(V[i]) / sqrtCorrection2 + eps);
    }
  },
};

/**
 * The backend that computes `dtype` matrices for `backend`: itself when it supports them,
 * else the JS backend (float64 on the WebAssembly backend). The one place a dtype is routed.
 */
export function backendFor(backend: Backend, dtype: DType): Backend {
  return backend.supports(dtype) ? backend : jsBackend;
}

type Values = Float32Array | Float64Array;

interface ActivationKernels {
  forward(a: Values, z: Values): void;
  backward(a: Values, z: Values, gradZ: Values, delta: Values): void;
}

const activations: Record<ActivationName, ActivationKernels> = {
  // ReLU'(0) = 0 (the convention of docs/derivation.md, as PyTorch's).
  relu: {
    forward(a, z) {
      for (let i = 0; i < a.length; i++) z[i] = a[i] > 0 ? a[i] : 0;
    },
    backward(a, _z, g, d) {
      for (let i = 0; i < a.length; i++) d[i] = a[i] > 0 ? g[i] : 0;
    },
  },
  // σ'(a) = σ(a)(1 − σ(a)) = z(1 − z).
  sigmoid: {
    forward(a, z) {
      for (let i = 0; i < a.length; i++) z[i] = 1 / (1 + Math.exp(-a[i]));
    },
    backward(_a, z, g, d) {
      for (let i = 0; i < z.length; i++) d[i] = g[i] * z[i] * (1 - z[i]);
    },
  },
  identity: {
    forward(a, z) {
      z.set(a);
    },
    backward(_a, _z, g, d) {
      d.set(g);
    },
  },
};
