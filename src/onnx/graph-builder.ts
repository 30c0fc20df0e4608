import onnxProto from 'onnx-proto';

// onnx-proto is ONNX's own onnx.proto compiled for protobufjs (a CommonJS module: its
// namespace comes through the default import). This file is the only one that touches it.
const { onnx } = onnxProto;

/** A graph as onnx-proto gives it (GraphProto's fields). */
export type OnnxGraph = onnxProto.onnx.IGraphProto;

/** A dimension of a graph input or output: a size, or a name for a size given at run time. */
export type Dimension = number | string;

/** A model's header, as `encodeModel` writes it. */
export interface ModelHeader {
  irVersion: number;
  /** The version of the default (ai.onnx) operator set. */
  opset: number;
  producerName: string;
  producerVersion: string;
  docString: string;
  /** Free-form key-value strings (ModelProto.metadata_props). */
  metadata: Readonly<Record<string, string>>;
}

/**
 * An ONNX graph under construction: nodes in the order they run, initializers (constant
 * tensors) and the float32 inputs and outputs, as onnx-proto messages.
 */
export class GraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private tensors = 0;

  /** Declares a float32 graph input; returns its name. */
  input(name: string, dims: readonly Dimension[]): string {
    this.inputs.push(floatValueInfo(name, dims));
    return name;
  }

  /** Declares the tensor `name` a float32 graph output. */
  output(name: string, dims: readonly Dimension[]): void {
    this.outputs.push(floatValueInfo(name, dims));
  }

  /** A float32 constant; returns its name. */
  floats(name: string, dims: readonly number[], values: ArrayLike<number>): string {
    this.initializers.push({ name, dims: [...dims], dataType: onnx.TensorProto.DataType.FLOAT, floatData: Array.from(values) });
    return name;
  }

  /** A one-dimensional int64 constant; returns its name. */
  int64s(name: string, values: readonly number[]): string {
    this.initializers.push({ name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: [...values] });
    return name;
  }

  /**
   * Appends a node of the default domain with integer attributes; returns the name of its
   * output: `output`, or a fresh name.
   */
  node(opType: string, inputs: readonly string[], output?: string, attributes: Readonly<Record<string, number>> = {}): string {
    const name = output ?? `t${this.tensors++}`;
    const attribute = Object.entries(attributes).map(([key, i]) => ({ name: key, type: onnx.AttributeProto.AttributeType.INT, i }));
    this.nodes.push({ opType, input: [...inputs], output: [name], name: `${opType}_${this.nodes.length}`, attribute });
    return name;
  }

  /** The graph so far. */
  graph(name: string, docString: string): OnnxGraph {
    return { name, docString, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs };
  }
}

/** The bytes of a ModelProto of `graph` under `header`. */
export function encodeModel(graph: OnnxGraph, header: ModelHeader): Uint8Array {
  const model: onnxProto.onnx.IModelProto = {
    irVersion: header.irVersion,
    opsetImport: [{ domain: '', version: header.opset }],
    producerName: header.producerName,
    producerVersion: header.producerVersion,
    docString: header.docString,
    graph,
    metadataProps: Object.entries(header.metadata).map(([key, value]) => ({ key, value })),
  };
  return onnx.ModelProto.encode(model).finish();
}

function floatValueInfo(name: string, dims: readonly Dimension[]): onnxProto.onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim } } } };
}
