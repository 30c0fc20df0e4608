import type { Backend } from '../linalg/backend.js';
import { RecLinkNet } from '../model/reclink-net.js';
import { Random } from '../random.js';
import type { GradientSource } from '../train/gradient-source.js';

/** One benchmarked implementation: a training step and an inference on a batch of N. */
export interface Runner {
  /** Forward, backward and an SGD update of every parameter. */
  train(): void;
  /** Forward only (null: not measured, as for data-parallel training, which has no inference of its own). */
  infer: (() => void) | null;
  /** Makes the runner ready to be timed (a peer whose settings are global sets them again). */
  prepare?(): Promise<void>;
}


/**
 * reclink on `backend`, the batch allocated by the backend as a training loop holds it;
 * with `gradients` (a DataParallel, say), on its model, which computes the gradients.
 */
export function reclinkRunner(backend: Backend, batch: number, gradients: GradientSource | null = null): Runner {
  const net = gradients?.net ?? new RecLinkNet({ seed: 1 }, { backend });
  const source = gradients ?? net;
  const x = backend.alloc(batch, net.config.inputSize, 'float32');
  const random = Random.fromSeed(2);
  for (let i = 0; i < x.data.length; i++) x.data[i] = random.uniform();
  return {
    train() {
      source.computeGradients(x, 'mean');
      for (const p of net.parameters) backend.sgdUpdate(p.value, p.grad, null, 1e-3, 0, 0, 0, false, true); // plain SGD, lr 1e-3
    },
    infer: gradients
      ? null
      : () => {
          net.forward(x);
        },
  };
}
