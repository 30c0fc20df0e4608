import { describe, expect, it } from 'vitest';
import type { InitName, RecLinkConfig } from '../src/model/config.js';
import { RecLinkNet } from '../src/model/reclink-net.js';

// Every initialisation, every tensor, against the definitions written out here (not taken
// from src/model/init.ts):
// - torch, PyTorch's nn.Linear.reset_parameters: W by kaiming_uniform_(a = √5), i.e.
//   U(±√3 · gain / √fan_in) with gain = √(2 / (1 + a²)), which is U(±1/√fan_in); b ~ U(±1/√fan_in)
//   with the fan-in of the layer's WEIGHT;
// - xavier, Glorot uniform with gain 1: W ~ U(±√(6 / (fan_in + fan_out))), b = 0;
// - he, as the code documents it (Kaiming normal, fan_in mode, ReLU gain √2): W ~ N(0, 2/fan_in), b = 0.
//
// The statistical checks allow 5 standard errors (a chance below 1e-6 each to fail on a correct
// draw) and assume nothing about the random stream: no drawn value is written here.

type Law = { kind: 'uniform'; bound: number } | { kind: 'normal'; std: number } | { kind: 'zero' };

/** fan_in and fan_out of each layer: input D → H, link ⌈D/s⌉ → H, rec H → H, output H → D. */
function fans(config: Partial<RecLinkConfig> & { inputSize: number; hiddenSize: number; linkStride: number }): Record<string, [number, number]> {
  const { inputSize: d, hiddenSize: h, linkStride: s } = config;
  return { input: [d, h], link: [Math.ceil(d / s), h], rec: [h, h], output: [h, d] };
}

function law(init: InitName, tensor: 'weight' | 'bias', [fanIn, fanOut]: [number, number]): Law {
  if (init === 'torch') {
    const a = Math.sqrt(5), gain = Math.sqrt(2 / (1 + a * a));
    return { kind: 'uniform', bound: (Math.sqrt(3) * gain) / Math.sqrt(fanIn) };
  }
  if (tensor === 'bias') return { kind: 'zero' };
  return init === 'xavier' ? { kind: 'uniform', bound: Math.sqrt(6 / (fanIn + fanOut)) } : { kind: 'normal', std: Math.sqrt(2 / fanIn) };
}

/** |actual − expected| below 5 standard errors. */
function expectNear(actual: number, expected: number, standardError: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} against ${expected} ± ${standardError}`).toBeLessThan(5 * standardError);
}

function expectLaw(values: Float64Array, l: Law): void {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const meanSquare = values.reduce((s, v) => s + v * v, 0) / n;
  const largest = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  if (l.kind === 'zero') {
    expect(largest, 'every value 0').toBe(0);
  } else if (l.kind === 'uniform') {
    const { bound } = l;
    expect(largest, 'within the bound').toBeLessThanOrEqual(bound);
    // P(max |w| < (1 − 15/n) · bound) = (1 − 15/n)ⁿ < e⁻¹⁵: the draws reach the bound.
    expect(largest, 'reaches the bound').toBeGreaterThan((1 - 15 / n) * bound);
    // U(±b): E w = 0, E w² = b²/3, Var w² = b⁴/5 − b⁴/9.
    expectNear(mean, 0, bound / Math.sqrt(3 * n), 'mean');
    expectNear(meanSquare, bound ** 2 / 3, bound ** 2 * Math.sqrt((1 / 5 - 1 / 9) / n), 'mean square');
  } else {
    const { std } = l;
    // N(0, σ²): E w² = σ², Var w² = 2σ⁴; P(|w| < σ) = 0.6827.
    expectNear(mean, 0, std / Math.sqrt(n), 'mean');
    expectNear(meanSquare, std ** 2, std ** 2 * Math.sqrt(2 / n), 'mean square');
    const inside = values.filter((v) => Math.abs(v) < std).length / n;
    expectNear(inside, 0.6827, Math.sqrt((0.6827 * 0.3173) / n), 'share within one σ');
  }
}

const CONFIGS = [
  { inputSize: 225, hiddenSize: 75, linkStride: 3, linkBias: true, seed: 11 }, // the defaults, with the link bias
  { inputSize: 200, hiddenSize: 60, linkStride: 4, linkBias: true, seed: 12 }, // link 60 × 50: fan_in ≠ fan_out
];
const INITS: InitName[] = ['torch', 'xavier', 'he'];

describe.each(INITS.flatMap((init) => CONFIGS.map((config) => ({ init, config }))))('$init init, D $config.inputSize, H $config.hiddenSize', ({ init, config }) => {
  const net = new RecLinkNet({ ...config, init }, { dtype: 'float64' });
  const layerFans = fans(config);

  it('initialises every tensor of the model', () => {
    expect(net.parameters.map((p) => p.name).sort()).toEqual(Object.keys(layerFans).flatMap((layer) => [`${layer}.weight`, `${layer}.bias`]).sort());
  });

  it.each(net.parameters.map((p) => p.name))('%s follows its definition', (name) => {
    const [layer, tensor] = name.split('.') as [string, 'weight' | 'bias'];
    const value = net.parameter(name).value;
    expect([value.rows, value.cols]).toEqual(tensor === 'weight' ? [layerFans[layer][1], layerFans[layer][0]] : [1, layerFans[layer][1]]);
    expectLaw(Float64Array.from(value.data), law(init, tensor, layerFans[layer]));
  });
});
