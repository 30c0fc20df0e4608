import type { ActivationName } from '../linalg/backend.js';
import { ReclinkError } from '../errors.js';
import { checkInteger, show } from '../checks.js';

/** How the weights are drawn: PyTorch's `nn.Linear` default U(±1/√fan_in), He or Xavier. */
export type InitName = 'torch' | 'he' | 'xavier';

/** The network's architecture and initialisation (docs/derivation.md, "The network"). */
export interface RecLinkConfig {
  /** D: input and output width (225: a 15×15 image). */
  inputSize: number;
  /** H: width of the input, link and recurrent layers (75). */
  hiddenSize: number;
  /** s: the link layer reads inputs 0, s, 2s, ... (3). */
  linkStride: number;
  /** T: cycles of the recurrent layer (2). */
  cycles: number;
  /** Whether the link layer has a bias (the exercise's 3.1.2 writes one; off by default). */
  linkBias: boolean;
  /** g, the output activation (ReLU in the exercise). */
  outputActivation: ActivationName;
  /** Weight initialisation. */
  init: InitName;
  /** Seed of the initial weights. */
  seed: number;
}

/** The exercise's network: 225 → 75, link stride 3, 2 cycles, ReLU output. */
export const DEFAULT_CONFIG: Readonly<RecLinkConfig> = Object.freeze({
  inputSize: 225,
  hiddenSize: 75,
  linkStride: 3,
  cycles: 2,
  linkBias: false,
  outputActivation: 'relu',
  init: 'torch',
  seed: 0,
});

const ACTIVATIONS: readonly ActivationName[] = ['relu', 'sigmoid', 'identity'];
const INITS: readonly InitName[] = ['torch', 'he', 'xavier'];
const MAX_WIDTH = 1 << 16;

/** The defaults completed by `overrides`, checked: a field that cannot work is named. */
export function resolveConfig(overrides: Partial<RecLinkConfig> = {}): RecLinkConfig {
  const config: RecLinkConfig = { ...DEFAULT_CONFIG, ...overrides };
  checkInteger('config field inputSize', config.inputSize, 1, MAX_WIDTH);
  checkInteger('config field hiddenSize', config.hiddenSize, 1, MAX_WIDTH);
  checkInteger('config field linkStride', config.linkStride, 1, config.inputSize);
  checkInteger('config field cycles', config.cycles, 1, 64);
  checkInteger('config field seed', config.seed, -(2 ** 31), 2 ** 31 - 1);
  if (typeof config.linkBias !== 'boolean') fail('linkBias', config.linkBias, 'true or false');
  if (!ACTIVATIONS.includes(config.outputActivation)) fail('outputActivation', config.outputActivation, ACTIVATIONS.join(', '));
  if (!INITS.includes(config.init)) fail('init', config.init, INITS.join(', '));
  return config;
}

/** Width of X_red: ⌈inputSize / linkStride⌉. */
export function linkWidth(config: RecLinkConfig): number {
  return Math.ceil(config.inputSize / config.linkStride);
}

function fail(field: keyof RecLinkConfig, value: unknown, expected: string): never {
  throw new ReclinkError(`config field ${field} is ${show(value)}, expected ${expected}`, 2);
}
