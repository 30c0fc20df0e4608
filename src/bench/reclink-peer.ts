import type { Backend, SgdHyper } from '../linalg/backend.js';
import { RecLinkNet } from '../model/reclink-net.js';
import { Random } from '../random.js';
import { DataParallel } from '../train/data-parallel.js';

/** One benchmarked implementation: a training step and an inference on a batch of N. */
export interface Runner {
  /** Forward, backward and an SGD update of every parameter. */
  train(): void;
  /** Forward only (null: not measured, as for data-parallel training, which has no inference of its own). */
  infer: (() => void) | null;
  /** Makes the runner ready to be timed (a peer whose settings are global sets them again). */
  prepare?(): Promise<void>;
  /** Stops any threads it started. */
  close?(): Promise<void>;
}

const SGD: SgdHyper = { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, firstStep: true };

/**
 * reclink on `backend`, the batch allocated by the backend as a training loop holds it;
 * with `dataParallel` threads, its gradients computed by a DataParallel over them.
 */
export async function reclinkRunner(backend: Backend, batch: number, dataParallel = 1): Promise<Runner> {
  const net = new RecLinkNet({ seed: 1 }, { backend });
  const parallel = dataParallel > 1 ? await DataParallel.start(net, dataParallel) : null;
  const source = parallel ?? net;
  const x = backend.alloc(batch, net.config.inputSize, 'float32');
  const random = Random.fromSeed(2);
  for (let i = 0; i < x.data.length; i++) x.data[i] = random.uniform();
  return {
    train() {
      source.computeGradients(x, 'mean');
      for (const p of net.parameters) backend.sgdUpdate(p.value, p.grad, null, SGD);
    },
    infer: parallel
      ? null
      : () => {
          net.forward(x);
        },
    async close() {
      await parallel?.close();
    },
  };
}
