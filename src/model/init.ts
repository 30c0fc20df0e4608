import type { Matrix } from '../linalg/matrix.js';
import { Random } from '../random.js';
import type { Parameter } from '../nn/parameter.js';
import type { InitName } from './config.js';
import { InternalError } from '../errors.js';

/**
 * Draws every parameter in order, element by element, from the seed's `init` stream:
 * - `torch`: W and b ~ U(±1/√fan_in), PyTorch's `nn.Linear` default;
 * - `he`: W ~ N(0, 2/fan_in), b = 0 (suits ReLU);
 * - `xavier`: W ~ U(±√(6/(fan_in + fan_out))), b = 0.
 */
export function initialize(parameters: readonly Parameter[], init: InitName, seed: number): void {
  const random = Random.fromSeed(seed, 'init');
  for (const p of parameters) {
    // A bias is 1 × out; its fan-in is that of the weight before it (same layer).
    const isBias = p.name.endsWith('.bias');
    const weight = isBias ? parameters.find((q) => q.name === p.name.replace(/bias$/, 'weight')) : p;
    if (!weight) throw new InternalError(`no weight for ${p.name}`);
    const fanIn = weight.value.cols;
    const fanOut = weight.value.rows;
    draw(p.value, init, isBias, fanIn, fanOut, random);
  }
}

function draw(m: Matrix, init: InitName, isBias: boolean, fanIn: number, fanOut: number, random: Random): void {
  const values = m.data;
  if (init === 'torch') {
    const bound = 1 / Math.sqrt(fanIn);
    for (let i = 0; i < values.length; i++) values[i] = random.uniformIn(-bound, bound);
  } else if (isBias) {
    values.fill(0);
  } else if (init === 'he') {
    const std = Math.sqrt(2 / fanIn);
    for (let i = 0; i < values.length; i++) values[i] = std * random.normal();
  } else {
    const bound = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < values.length; i++) values[i] = random.uniformIn(-bound, bound);
  }
}
