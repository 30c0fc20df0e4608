import { describe, expect, it } from 'vitest';
import { ReclinkError } from '../src/errors.js';
import type { ActivationName } from '../src/linalg/backend.js';
import { jsBackend } from '../src/linalg/js-backend.js';
import { zeros, type Matrix } from '../src/linalg/matrix.js';
import { Dense } from '../src/nn/dense.js';
import { LinkSelect } from '../src/nn/link-select.js';
import { SquaredError, type LossReduction } from '../src/nn/loss.js';
import type { Parameter } from '../src/nn/parameter.js';
import { Recurrent } from '../src/nn/recurrent.js';
import { checkLayer, type LayerUnderCheck } from '../src/reference/layer-check.js';
import { Random } from '../src/random.js';
import { randomMatrix } from './helpers.js';

// Each layer's backward pass against finite differences of that layer alone (float64), so
// that a wrong term is reported by the layer and tensor that hold it.

const N = 5;
const random = Random.fromSeed(17);
const values = (rows: number, cols: number): Matrix => randomMatrix(rows, cols, random);
const parameter = (name: string, rows: number, cols: number): Parameter => ({ name, value: values(rows, cols), grad: zeros(rows, cols, 'float64') });
const grads = (...ms: Matrix[]): void => ms.forEach((m) => m.data.fill(0));

function dense(activation: ActivationName, withBias: boolean): LayerUnderCheck {
  const x = values(N, 7), weight = parameter('W', 4, 7), bias = withBias ? parameter('b', 1, 4) : null;
  const layer = new Dense(weight, bias, activation, jsBackend, 'float64');
  const gradX = zeros(N, 7, 'float64');
  const params = bias ? [weight, bias] : [weight];
  return {
    tensors: [{ name: 'X', value: x }, ...params],
    forward: () => layer.forward(x),
    backward: (gradZ) => {
      grads(gradX, ...params.map((p) => p.grad));
      layer.backward(gradZ, gradX);
      return [gradX, ...params.map((p) => p.grad)];
    },
  };
}

function linkSelect(stride: number): LayerUnderCheck {
  const x = values(N, 10);
  const layer = new LinkSelect(10, stride, jsBackend, 'float64');
  const gradX = zeros(N, 10, 'float64');
  return {
    tensors: [{ name: 'X', value: x }],
    forward: () => layer.forward(x),
    backward: (gradRed) => {
      grads(gradX);
      layer.backward(gradRed, gradX);
      return [gradX];
    },
  };
}

function recurrent(cycles: number): LayerUnderCheck {
  const zIn = values(N, 6), weight = parameter('W_rec', 6, 6), bias = parameter('b_rec', 1, 6);
  const layer = new Recurrent(weight, bias, 'relu', cycles, jsBackend, 'float64');
  const gradZIn = zeros(N, 6, 'float64');
  return {
    tensors: [{ name: 'Z_in', value: zIn }, weight, bias],
    forward: () => layer.forward(zIn),
    backward: (gradZRec) => {
      grads(gradZIn, weight.grad, bias.grad);
      layer.backward(gradZRec, gradZIn);
      return [gradZIn, weight.grad, bias.grad];
    },
  };
}

function loss(reduction: LossReduction): LayerUnderCheck {
  const y = values(N, 8), target = values(N, 8);
  const layer = new SquaredError(reduction, jsBackend);
  const gradY = zeros(N, 8, 'float64');
  return {
    tensors: [{ name: 'Y', value: y }],
    forward: () => ({ rows: 1, cols: 1, data: Float64Array.of(layer.forward(y, target)) }),
    backward: (gradE) => {
      layer.backward(y, target, gradY);
      for (let i = 0; i < gradY.data.length; i++) gradY.data[i] *= gradE.data[0];
      return [gradY];
    },
  };
}

const CASES: [string, () => LayerUnderCheck][] = [
  ...(['relu', 'sigmoid', 'identity'] as const).flatMap((f): [string, () => LayerUnderCheck][] => [
    [`Dense ${f} with bias`, () => dense(f, true)],
    [`Dense ${f} without bias`, () => dense(f, false)],
  ]),
  ['LinkSelect, stride 3', () => linkSelect(3)],
  ['LinkSelect, stride 4 (a partial last group)', () => linkSelect(4)],
  ['Recurrent, 1 cycle', () => recurrent(1)],
  ['Recurrent, 3 cycles', () => recurrent(3)],
  ['SquaredError, sum', () => loss('sum')],
  ['SquaredError, mean', () => loss('mean')],
];

describe('each layer against finite differences', () => {
  it.each(CASES)('%s', (_, make) => {
    const layer = make();
    checkLayer(layer).forEach((check, k) => {
      const size = layer.tensors[k].value.data.length;
      expect(check.checked, check.name).toBeGreaterThanOrEqual(Math.ceil(0.6 * Math.min(20, size))); // few kinks crossed
      expect(check.maxError, check.name).toBeLessThan(1e-7);
    });
  });
});

describe('shape checks at the layers', () => {
  it('refuse a wrongly shaped gradient or input with a ReclinkError naming it', () => {
    const layer = new Dense(parameter('d.weight', 4, 7), null, 'relu', jsBackend, 'float64');
    layer.forward(values(N, 7));
    expect(() => layer.backward(zeros(N, 5, 'float64'), null)).toThrow(new ReclinkError('the output gradient of d.weight is 5x5, expected 5x4'));
    expect(() => layer.backward(zeros(N - 1, 4, 'float64'), null)).toThrow(ReclinkError);
    expect(() => layer.backward(zeros(N, 4, 'float64'), zeros(N, 6, 'float64'))).toThrow('the input gradient of d.weight is 5x6, expected 5x7');
    const link = new LinkSelect(10, 3, jsBackend, 'float64');
    expect(() => link.forward(zeros(N, 9, 'float64'))).toThrow('the input of the link selection is 5x9, expected 5x10');
    expect(() => link.backward(zeros(N, 4, 'float64'), zeros(N, 9, 'float64'))).toThrow('the input gradient of the link selection is 5x9, expected 5x10');
    const rec = new Recurrent(parameter('W', 6, 6), null, 'relu', 2, jsBackend, 'float64');
    rec.forward(values(N, 6));
    expect(() => rec.backward(zeros(N, 6, 'float64'), zeros(N, 5, 'float64'))).toThrow('the input gradient of the recurrent layer is 5x5, expected 5x6');
    const sse = new SquaredError('sum', jsBackend);
    expect(() => sse.forward(zeros(N, 8, 'float64'), zeros(N, 7, 'float64'))).toThrow('the target of the loss is 5x7, expected 5x8');
  });
});
