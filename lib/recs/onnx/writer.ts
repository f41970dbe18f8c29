// Writes the ranker as an ONNX graph, programmatically with onnx-proto: features [N, F] → (Gemm → Relu)* → Gemm →
// Sigmoid → heads [N, HEADS]. The same writer serves the hand-set prior and every trained model, so serving always
// runs one kind of artefact in onnxruntime-node. Weights are stored row-major [inputs, outputs] (Gemm with transB = 0),
// the layout tfjs's matMul uses, so export is a copy, not a transpose.
import { createRequire } from "node:module";

// onnx-proto is CommonJS with one default export; require gives its `onnx` namespace with the types it declares.
const { onnx } = createRequire(import.meta.url)("onnx-proto") as typeof import("onnx-proto");

// IR version 8 and opset 13: understood by every onnxruntime since 1.10, and Gemm/Relu/Sigmoid are stable there.
const IR_VERSION = 8;
const OPSET = 13;

export const INPUT_NAME = "features";
export const OUTPUT_NAME = "heads";

export type DenseLayer = {
  inputs: number;
  outputs: number;
  /** Row-major [inputs, outputs]. */
  weight: number[];
  bias: number[];
};

/** A multilayer perceptron: Relu after every layer but the last, Sigmoid after the last. */
export type MlpWeights = { layers: DenseLayer[] };

/** Checks shapes and finiteness; a model that fails this is never written or served. */
export function validateWeights(weights: MlpWeights, inputSize: number, outputSize: number): void {
  if (weights.layers.length === 0) throw new Error("A ranker needs at least one layer");
  let expected = inputSize;
  for (const [i, layer] of weights.layers.entries()) {
    if (layer.inputs !== expected) throw new Error(`Layer ${i} takes ${layer.inputs} inputs, expected ${expected}`);
    if (layer.weight.length !== layer.inputs * layer.outputs) throw new Error(`Layer ${i} weight has ${layer.weight.length} values, expected ${layer.inputs * layer.outputs}`);
    if (layer.bias.length !== layer.outputs) throw new Error(`Layer ${i} bias has ${layer.bias.length} values, expected ${layer.outputs}`);
    if (!layer.weight.every(Number.isFinite) || !layer.bias.every(Number.isFinite)) throw new Error(`Layer ${i} has a non-finite weight`);
    expected = layer.outputs;
  }
  if (expected !== outputSize) throw new Error(`The last layer has ${expected} outputs, expected ${outputSize}`);
}

function floatInitializer(name: string, dims: number[], values: number[]) {
  const data = Float32Array.from(values);
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.FLOAT,
    // Little-endian float32 bytes, as ONNX's raw_data requires (every platform onnxruntime runs on is little-endian).
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  });
}

function floatTensor(shape: Array<number | string>) {
  return {
    tensorType: {
      elemType: onnx.TensorProto.DataType.FLOAT,
      shape: { dim: shape.map((dim) => (typeof dim === "string" ? { dimParam: dim } : { dimValue: dim })) },
    },
  };
}

/** The ONNX bytes of an MLP ranker; `docString` says where it came from (registry version, training run). */
export function writeRankerOnnx(weights: MlpWeights, inputSize: number, outputSize: number, docString = ""): Uint8Array {
  validateWeights(weights, inputSize, outputSize);
  const nodes: Array<Record<string, unknown>> = [];
  const initializers = [];
  let current = INPUT_NAME;
  for (const [i, layer] of weights.layers.entries()) {
    const last = i === weights.layers.length - 1;
    initializers.push(floatInitializer(`W${i}`, [layer.inputs, layer.outputs], layer.weight));
    initializers.push(floatInitializer(`B${i}`, [layer.outputs], layer.bias));
    const linear = `linear${i}`;
    nodes.push({ name: `gemm${i}`, opType: "Gemm", input: [current, `W${i}`, `B${i}`], output: [linear] });
    const activated = last ? OUTPUT_NAME : `hidden${i}`;
    nodes.push({ name: last ? "sigmoid" : `relu${i}`, opType: last ? "Sigmoid" : "Relu", input: [linear], output: [activated] });
    current = activated;
  }
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: "flick-recs",
    docString,
    opsetImport: [{ domain: "", version: OPSET }],
    graph: {
      name: "ranker",
      node: nodes,
      initializer: initializers,
      input: [{ name: INPUT_NAME, type: floatTensor(["N", inputSize]) }],
      output: [{ name: OUTPUT_NAME, type: floatTensor(["N", outputSize]) }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
