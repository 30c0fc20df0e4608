import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type * as Tf from '@tensorflow/tfjs-core';
import type { Runner } from './reclink-peer.js';

/** TensorFlow.js backends the bench compares with. */
export type TfjsBackendName = 'cpu' | 'wasm';

/** A TensorFlow.js peer: its version, and a runner for a batch size. */
export interface TfjsPeer {
  version: string;
  runner(batch: number): Promise<Runner>;
}

const D = 225, H = 75, STRIDE = 3, CYCLES = 2, LR = 1e-3;

/**
 * The same network in TensorFlow.js (a devDependency: null when it is not installed), on
 * its `cpu` or `wasm` backend; the wasm backend's .wasm files come from node_modules.
 * Weights are stored in × out, TensorFlow.js's own layout, so that the forward products
 * take its fast untransposed path. The backward pass is written out with tf ops (as
 * reclink's is), because `tf.grad` needs gradient registrations that tfjs-core's ES
 * modules cannot load in plain Node.
 */
export async function loadTfjsPeer(backend: TfjsBackendName): Promise<TfjsPeer | null> {
  let tf: typeof Tf;
  try {
    tf = await import('@tensorflow/tfjs-core');
    if (backend === 'cpu') {
      await import('@tensorflow/tfjs-backend-cpu');
    } else {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const require = createRequire(import.meta.url);
      wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'))}/dist/`);
    }
    if (!(await tf.setBackend(backend))) return null;
  } catch {
    return null;
  }
  return {
    version: tf.version_core,
    async runner(batch) {
      await tf.setBackend(backend);
      return tfjsRunner(tf, backend, batch);
    },
  };
}

/**
 * The network on `backend`, which must be TensorFlow.js's active backend while the runner
 * is built and run: the backend is global, so `prepare` sets it again before each timing.
 */
function tfjsRunner(tf: typeof Tf, backend: TfjsBackendName, batch: number): Runner {
  const uniform = (rows: number, cols: number, fanIn: number): Tf.Variable => {
    const bound = 1 / Math.sqrt(fanIn);
    return tf.variable(tf.randomUniform(cols === 0 ? [rows] : [rows, cols], -bound, bound, 'float32', 1));
  };
  const r = Math.ceil(D / STRIDE);
  const wIn = uniform(D, H, D), bIn = uniform(H, 0, D), wLink = uniform(r, H, r);
  const wRec = uniform(H, H, H), bRec = uniform(H, 0, H), wOut = uniform(H, D, H), bOut = uniform(D, 0, H);
  const x = tf.keep(tf.randomUniform([batch, D], 0, 1, 'float32', 2));
  const linkColumns = tf.keep(tf.range(0, D, STRIDE, 'int32'));

  const forward = () => {
    const aIn = tf.add(tf.matMul(x, wIn), bIn), zIn = tf.relu(aIn);
    const xRed = tf.gather(x, linkColumns, 1);
    const aLink = tf.matMul(xRed, wLink), zLink = tf.relu(aLink);
    const us: Tf.Tensor[] = [], as: Tf.Tensor[] = [];
    let zRec: Tf.Tensor | null = null;
    for (let t = 0; t < CYCLES; t++) {
      us.push(zRec === null ? zIn : tf.add(zIn, zRec));
      as.push(tf.add(tf.matMul(us[t], wRec), bRec));
      zRec = tf.relu(as[t]);
    }
    const s = tf.add(zRec!, zLink);
    const aOut = tf.add(tf.matMul(s, wOut), bOut);
    return { aIn, xRed, aLink, us, as, s, aOut, y: tf.relu(aOut) };
  };

  return {
    async prepare() {
      if (tf.getBackend() !== backend) await tf.setBackend(backend);
    },
    infer() {
      tf.tidy(() => {
        forward();
      });
    },
    train() {
      tf.tidy(() => {
        const f = forward();
        const dOut = tf.mul(tf.mul(tf.sub(f.y, x), 2 / (batch * D)), tf.step(f.aOut)); // mean squared error
        const gS = tf.matMul(dOut, wOut, false, true);
        const dLink = tf.mul(gS, tf.step(f.aLink));
        let gZ = gS, gWRec: Tf.Tensor | null = null, gBRec: Tf.Tensor | null = null, gIn: Tf.Tensor | null = null;
        for (let t = CYCLES - 1; t >= 0; t--) {
          const d = tf.mul(gZ, tf.step(f.as[t]));
          const gU = tf.matMul(d, wRec, false, true);
          gWRec = add(tf, gWRec, tf.matMul(f.us[t], d, true, false));
          gBRec = add(tf, gBRec, tf.sum(d, 0));
          gIn = add(tf, gIn, gU);
          gZ = gU;
        }
        const dIn = tf.mul(gIn!, tf.step(f.aIn));
        const updates: [Tf.Variable, Tf.Tensor][] = [
          [wOut, tf.matMul(f.s, dOut, true, false)], [bOut, tf.sum(dOut, 0)],
          [wLink, tf.matMul(f.xRed, dLink, true, false)], [wRec, gWRec!], [bRec, gBRec!],
          [wIn, tf.matMul(x, dIn, true, false)], [bIn, tf.sum(dIn, 0)],
        ];
        for (const [v, g] of updates) v.assign(tf.sub(v, tf.mul(g, LR)));
      });
    },
  };
}

function add<T extends Tf.Tensor>(tf: typeof Tf, sum: T | null, term: T): T {
  return sum === null ? term : tf.add(sum, term);
}
