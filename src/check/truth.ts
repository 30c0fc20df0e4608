import { ReclinkError } from '../errors.js';
import { clone, type Matrix } from '../linalg/matrix.js';
import type { RecLinkConfig } from '../model/config.js';
import { RecLinkNet } from '../model/reclink-net.js';
import { traceModel } from '../model/trace.js';
import { boundNames, intermediateNames, requiredGradients } from './names.js';

/** The network and batch a derivation is checked on, as plain data (it crosses to a worker). */
export interface CheckSetting {
  config: RecLinkConfig;
  /** Every parameter's value by name (`input.weight`, …), in any precision. */
  parameters: Record<string, Matrix>;
  /** The batch, N × inputSize, one sample a row. */
  x: Matrix;
}

/** The setting of `net` (its config and a copy of its weights) on the batch `x`. */
export function checkSetting(net: RecLinkNet, x: Matrix): CheckSetting {
  return { config: { ...net.config }, parameters: Object.fromEntries(net.parameters.map((p) => [p.name, clone(p.value)])), x: clone(x) };
}

/** The true quantities of a setting, in float64, by the language's names. */
export interface Truth {
  config: RecLinkConfig;
  /** What a derivation may read: X, the forward intermediates, the parameters. */
  bound: Map<string, Matrix>;
  /** What it is checked against: the backward intermediates and the gradients (G_Y, d_out, …, dW_in). */
  expected: Map<string, Matrix>;
}

/** One forward and backward pass of the setting's network in float64 (`traceModel`), by the language's names. */
export function truthOf({ config, parameters, x }: CheckSetting): Truth {
  const net = new RecLinkNet(config, { dtype: 'float64' });
  for (const p of net.parameters) {
    const given = parameters[p.name] as Matrix | undefined;
    if (!given || given.rows !== p.value.rows || given.cols !== p.value.cols) {
      throw new ReclinkError(`the check needs ${p.name} of ${p.value.rows} × ${p.value.cols}, got ${given ? `${given.rows} × ${given.cols}` : 'none'}`);
    }
    p.value.data.set(given.data);
  }
  if (x.rows < 1 || x.cols !== config.inputSize) throw new ReclinkError(`the batch is ${x.rows} × ${x.cols}, expected N × ${config.inputSize} with N ≥ 1`);
  const x64 = clone(x, 'float64');
  const { tensors } = traceModel(net, x64);
  const known = (source: string): Matrix => tensors.get(source) ?? net.parameter(source).value;
  const bound = new Map(boundNames(config).map(({ name, source }) => [name, source === 'X' ? x64 : known(source)]));
  const expected = new Map([...intermediateNames(config), ...requiredGradients(config)].map(({ name, source }) => [name, known(source)]));
  return { config: { ...net.config }, bound, expected };
}
