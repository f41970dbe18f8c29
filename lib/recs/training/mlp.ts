// The multi-task ranker network trained with TensorFlow.js (tfjs-core on its pure-JS CPU backend: no native
// download, runs anywhere Node does). A shared trunk of dense Relu layers feeds one dense layer with a logit per head;
// every head is a sigmoid trained with binary cross-entropy, the watch head on a fractional target (cross-entropy on a
// fraction in [0, 1] is minimised at the true mean fraction, so it is a regression that stays inside 0–1).
//
// Gradients are written out by hand with tfjs ops rather than tfjs's autodiff: tfjs-core's Node bundle ships without
// its gradient registry (it is registered by the full @tensorflow/tfjs package, which would pull in layers, webgl and
// the converter), and for dense layers with Relu and sigmoid cross-entropy the backward pass is four matrix products a
// layer. The update is tfjs's own Adam optimizer. Tested against finite differences (mlp.test.ts).
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { randomBytes } from "node:crypto";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { DenseLayer, MlpWeights } from "../onnx/writer";
import { seededRandom } from "../../random";

export { seededRandom };

let backendReady: Promise<boolean> | null = null;
async function ensureBackend(): Promise<void> {
  // PROD silences tfjs's console advice to install tfjs-node (which we deliberately do not: it downloads a binary).
  tf.env().set("PROD", true);
  backendReady ??= tf.setBackend("cpu");
  await backendReady;
}

/** He-initialised weights for an MLP of the given widths (input, hidden…, output). */
export function initWeights(widths: number[], seed: number): MlpWeights {
  const random = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const layers: DenseLayer[] = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    const inputs = widths[i]!;
    const outputs = widths[i + 1]!;
    const scale = Math.sqrt(2 / inputs);
    layers.push({ inputs, outputs, weight: Array.from({ length: inputs * outputs }, () => gaussian() * scale), bias: new Array<number>(outputs).fill(0) });
  }
  return { layers };
}

export type TrainSet = {
  /** Row-major n × inputs. */
  x: Float32Array;
  /** Row-major n × outputs, targets in [0, 1]. */
  y: Float32Array;
  n: number;
};

export type TrainOptions = {
  epochs: number;
  batchSize: number;
  learningRate: number;
  l2: number;
  seed: number;
  /** Loss weight per output column. */
  outputWeights: number[];
};

type Params = { w: tf.Variable[]; b: tf.Variable[] };

function toVariables(weights: MlpWeights, prefix: string): Params {
  return {
    w: weights.layers.map((layer, i) => tf.variable(tf.tensor2d(layer.weight, [layer.inputs, layer.outputs]), true, `${prefix}w${i}`)),
    b: weights.layers.map((layer, i) => tf.variable(tf.tensor1d(layer.bias), true, `${prefix}b${i}`)),
  };
}

function forward(params: Params, x: tf.Tensor2D): { activations: tf.Tensor2D[]; preacts: tf.Tensor2D[]; probabilities: tf.Tensor2D } {
  const activations: tf.Tensor2D[] = [x];
  const preacts: tf.Tensor2D[] = [];
  let h = x;
  for (let i = 0; i < params.w.length; i++) {
    const z = tf.add(tf.matMul(h, params.w[i]!), params.b[i]!) as tf.Tensor2D;
    preacts.push(z);
    if (i < params.w.length - 1) {
      h = tf.relu(z);
      activations.push(h);
    }
  }
  return { activations, preacts, probabilities: tf.sigmoid(preacts.at(-1)!) };
}

/** Gradients of the mean weighted cross-entropy (plus L2) with respect to every weight and bias. */
function gradients(params: Params, x: tf.Tensor2D, y: tf.Tensor2D, outputWeights: tf.Tensor1D, l2: number): tf.NamedTensorMap {
  const { activations, preacts, probabilities } = forward(params, x);
  const n = x.shape[0];
  // d(loss)/d(logit) for sigmoid + cross-entropy is (p − y), times the column's weight, averaged over rows.
  let delta = tf.div(tf.mul(tf.sub(probabilities, y), outputWeights), n) as tf.Tensor2D;
  const grads: tf.NamedTensorMap = {};
  for (let i = params.w.length - 1; i >= 0; i--) {
    const input = activations[i]!;
    grads[params.w[i]!.name] = tf.add(tf.matMul(input, delta, true, false), tf.mul(params.w[i]!, l2));
    grads[params.b[i]!.name] = tf.sum(delta, 0);
    if (i > 0) {
      const back = tf.matMul(delta, params.w[i]!, false, true);
      delta = tf.mul(back, tf.step(preacts[i - 1]!)) as tf.Tensor2D;
    }
  }
  return grads;
}

/** Mean weighted cross-entropy of the model on a set (for logs and tests). */
export async function meanLoss(weights: MlpWeights, set: TrainSet, outputWeights: number[]): Promise<number> {
  const p = await predict(weights, set.x, set.n);
  const k = outputWeights.length;
  let total = 0;
  for (let i = 0; i < set.n * k; i++) {
    const q = Math.min(1 - 1e-7, Math.max(1e-7, p[i]!));
    const t = set.y[i]!;
    total -= outputWeights[i % k]! * (t * Math.log(q) + (1 - t) * Math.log(1 - q));
  }
  return total / set.n;
}

/** Trains from `start` and returns the new weights; `start` is not modified. */
export async function trainMlp(start: MlpWeights, set: TrainSet, options: TrainOptions): Promise<MlpWeights> {
  await ensureBackend();
  const inputs = start.layers[0]!.inputs;
  const outputs = start.layers.at(-1)!.outputs;
  // Unique names: tfjs registers variables globally by name, and a process may train more than once.
  const prefix = `ranker-${randomBytes(4).toString("hex")}-`;
  const params = toVariables(start, prefix);
  const optimizer = tf.train.adam(options.learningRate);
  const outputWeights = tf.tensor1d(options.outputWeights);
  const random = seededRandom(options.seed);
  const order = Array.from({ length: set.n }, (_, i) => i);
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (let from = 0; from < set.n; from += options.batchSize) {
        const rows = order.slice(from, from + options.batchSize);
        const bx = new Float32Array(rows.length * inputs);
        const by = new Float32Array(rows.length * outputs);
        rows.forEach((row, r) => {
          bx.set(set.x.subarray(row * inputs, (row + 1) * inputs), r * inputs);
          by.set(set.y.subarray(row * outputs, (row + 1) * outputs), r * outputs);
        });
        tf.tidy(() => {
          const grads = gradients(params, tf.tensor2d(bx, [rows.length, inputs]), tf.tensor2d(by, [rows.length, outputs]), outputWeights, options.l2);
          optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
        });
        // Training runs in the worker process beside the other queues: between batches their jobs, and BullMQ's lock
        // renewals, get a turn (a minute of training in one go let the index build's lock lapse, and it ran twice).
        await yieldToEventLoop();
      }
    }
    return {
      layers: start.layers.map((layer, i) => ({
        inputs: layer.inputs,
        outputs: layer.outputs,
        weight: Array.from(params.w[i]!.dataSync()),
        bias: Array.from(params.b[i]!.dataSync()),
      })),
    };
  } finally {
    optimizer.dispose();
    outputWeights.dispose();
    for (const variable of [...params.w, ...params.b]) variable.dispose();
  }
}

/** The network's head probabilities for n rows with tfjs (row-major n × outputs): the reference the ONNX export must match. */
export async function predict(weights: MlpWeights, x: Float32Array, n: number): Promise<Float32Array> {
  await ensureBackend();
  const inputs = weights.layers[0]!.inputs;
  return tf.tidy(() => {
    const params = {
      w: weights.layers.map((layer) => tf.tensor2d(layer.weight, [layer.inputs, layer.outputs])),
      b: weights.layers.map((layer) => tf.tensor1d(layer.bias)),
    } as unknown as Params;
    return forward(params, tf.tensor2d(x, [n, inputs])).probabilities.dataSync() as Float32Array;
  });
}

/** Exposed for the gradient check in tests. */
export async function computeGradients(weights: MlpWeights, set: TrainSet, outputWeights: number[], l2 = 0): Promise<MlpWeights> {
  await ensureBackend();
  const inputs = weights.layers[0]!.inputs;
  const outputs = weights.layers.at(-1)!.outputs;
  const prefix = `grad-${randomBytes(4).toString("hex")}-`;
  const params = toVariables(weights, prefix);
  try {
    const grads = tf.tidy(() => {
      const g = gradients(params, tf.tensor2d(set.x, [set.n, inputs]), tf.tensor2d(set.y, [set.n, outputs]), tf.tensor1d(outputWeights), l2);
      return Object.fromEntries(Object.entries(g).map(([name, t]) => [name, Array.from(t.dataSync())]));
    });
    return {
      layers: weights.layers.map((layer, i) => ({ ...layer, weight: grads[`${prefix}w${i}`]!, bias: grads[`${prefix}b${i}`]! })),
    };
  } finally {
    for (const variable of [...params.w, ...params.b]) variable.dispose();
  }
}
