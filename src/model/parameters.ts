import { linkWidth, type RecLinkConfig } from './config.js';

/**
 * A layer of the network that has parameters, declared once: its name (PyTorch's module
 * name, the prefix of its parameters' names), the subscript of its symbols in
 * docs/derivation.md (W_in, b_in), and the shape of its weight for a config. The model's
 * parameters, the summary, the checkpoint names, config inference and the lab's labels
 * derive from `PARAMETER_LAYERS`.
 */
export interface ParameterLayer {
  readonly name: 'input' | 'link' | 'rec' | 'output';
  readonly subscript: string;
  /** Said of the weight in the summary, besides its symbol. */
  readonly note?: string;
  /** The weight's rows (outputs) and columns (inputs). */
  weightShape(config: RecLinkConfig): [number, number];
  /** Whether the layer has a bias with `config`. */
  hasBias(config: RecLinkConfig): boolean;
}

/** The layers with parameters, in the order of the model's (and a checkpoint's) parameters. */
export const PARAMETER_LAYERS: readonly ParameterLayer[] = [
  { name: 'input', subscript: 'in', weightShape: (c) => [c.hiddenSize, c.inputSize], hasBias: () => true },
  { name: 'link', subscript: 'link', weightShape: (c) => [c.hiddenSize, linkWidth(c)], hasBias: (c) => c.linkBias },
  { name: 'rec', subscript: 'rec', note: 'shared by every cycle', weightShape: (c) => [c.hiddenSize, c.hiddenSize], hasBias: () => true },
  { name: 'output', subscript: 'out', weightShape: (c) => [c.inputSize, c.hiddenSize], hasBias: () => true },
];

/** One parameter of a network with a given config: a layer's weight (out × in) or bias (1 × out). */
export interface ParameterSpec {
  /** `input.weight`, ..., `output.bias`: PyTorch's name, the checkpoint's. */
  name: string;
  layer: ParameterLayer;
  kind: 'weight' | 'bias';
  /** `W_in`, `b_in`, ... as docs/derivation.md writes it. */
  symbol: string;
  rows: number;
  cols: number;
}

/** Every parameter of a network with `config`, in the model's order: each layer's weight, then its bias. */
export function parameterSpecs(config: RecLinkConfig): ParameterSpec[] {
  return PARAMETER_LAYERS.flatMap((layer) => {
    const [out, inputs] = layer.weightShape(config);
    const weight: ParameterSpec = { name: `${layer.name}.weight`, layer, kind: 'weight', symbol: `W_${layer.subscript}`, rows: out, cols: inputs };
    const bias: ParameterSpec = { name: `${layer.name}.bias`, layer, kind: 'bias', symbol: `b_${layer.subscript}`, rows: 1, cols: out };
    return layer.hasBias(config) ? [weight, bias] : [weight];
  });
}

/** The symbol of parameter `name` (`rec.weight` → `W_rec`), whatever the config; undefined for another name. */
export function parameterSymbol(name: string): string | undefined {
  const [layerName, kind] = name.split('.');
  const layer = PARAMETER_LAYERS.find((l) => l.name === layerName);
  if (!layer || (kind !== 'weight' && kind !== 'bias')) return undefined;
  return `${kind === 'weight' ? 'W' : 'b'}_${layer.subscript}`;
}
