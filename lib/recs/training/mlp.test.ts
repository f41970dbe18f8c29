// The hand-written backward pass against finite differences, and the ONNX export against tfjs on the same inputs.
import { InferenceSession, Tensor } from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { INPUT_NAME, OUTPUT_NAME, writeRankerOnnx, type MlpWeights } from "../onnx/writer";
import { computeGradients, initWeights, meanLoss, predict, seededRandom, trainMlp, type TrainSet } from "./mlp";

function randomSet(n: number, inputs: number, outputs: number, seed: number): TrainSet {
  const random = seededRandom(seed);
  const x = Float32Array.from({ length: n * inputs }, () => random() * 2 - 1);
  const y = Float32Array.from({ length: n * outputs }, () => (random() < 0.4 ? 1 : random() * 0.3));
  return { x, y, n };
}

describe("ranker network", () => {
  it("computes the same gradients as finite differences of its loss", async () => {
    const weights = initWeights([5, 4, 3], 7);
    const set = randomSet(12, 5, 3, 8);
    const outputWeights = [1, 0.5, 2];
    const grads = await computeGradients(weights, set, outputWeights);
    const epsilon = 1e-3; // small enough not to cross a Relu kink on these rows, large enough for float32 losses
    for (const [layerIndex, field, index] of [[0, "weight", 3], [0, "bias", 1], [1, "weight", 7], [1, "bias", 2]] as const) {
      const nudged = (delta: number): MlpWeights => ({
        layers: weights.layers.map((layer, i) => {
          if (i !== layerIndex) return layer;
          const copy = { ...layer, weight: [...layer.weight], bias: [...layer.bias] };
          copy[field][index]! += delta;
          return copy;
        }),
      });
      const numeric = ((await meanLoss(nudged(epsilon), set, outputWeights)) - (await meanLoss(nudged(-epsilon), set, outputWeights))) / (2 * epsilon);
      expect(grads.layers[layerIndex]![field][index]!).toBeCloseTo(numeric, 3);
    }
  });

  it("lets the event loop run while it trains (the worker's other queues and lock renewals share the process)", async () => {
    await predict(initWeights([8, 6, 2], 2), new Float32Array(8), 1); // the backend is ready: its setup yields no turn here
    let done = false;
    let ranDuring = false;
    const training = trainMlp(initWeights([8, 6, 2], 2), randomSet(256, 8, 2, 4), { epochs: 2, batchSize: 32, learningRate: 0.01, l2: 0, seed: 2, outputWeights: [1, 1] }).then(() => {
      done = true;
    });
    // A macrotask queued now runs before training ends only if training hands the event loop back on the way.
    setImmediate(() => {
      ranDuring = !done;
    });
    await training;
    expect(ranDuring).toBe(true);
  });

  it("exports an ONNX graph whose scores match tfjs's on the same inputs within 1e-5", async () => {
    const set = randomSet(400, 20, 6, 3);
    const trained = await trainMlp(initWeights([20, 32, 16, 6], 1), set, { epochs: 3, batchSize: 64, learningRate: 0.01, l2: 0, seed: 1, outputWeights: [1, 1, 1, 1, 1, 1] });
    const reference = await predict(trained, set.x, set.n);
    const session = await InferenceSession.create(writeRankerOnnx(trained, 20, 6));
    const output = await session.run({ [INPUT_NAME]: new Tensor("float32", set.x, [set.n, 20]) });
    const exported = output[OUTPUT_NAME]!.data as Float32Array;
    await session.release();
    expect(exported.length).toBe(reference.length);
    let maxDiff = 0;
    for (let i = 0; i < exported.length; i++) maxDiff = Math.max(maxDiff, Math.abs(exported[i]! - reference[i]!));
    expect(maxDiff).toBeLessThanOrEqual(1e-5);
  });

  it("learns: training lowers the loss on the data it saw", async () => {
    const set = randomSet(300, 6, 2, 11);
    // Plant a rule: column 0 is 1 exactly when the first feature is positive.
    for (let i = 0; i < set.n; i++) set.y[i * 2] = set.x[i * 6]! > 0 ? 1 : 0;
    const start = initWeights([6, 8, 2], 5);
    const trained = await trainMlp(start, set, { epochs: 40, batchSize: 32, learningRate: 0.01, l2: 0, seed: 2, outputWeights: [1, 1] });
    expect(await meanLoss(trained, set, [1, 0])).toBeLessThan((await meanLoss(start, set, [1, 0])) * 0.5);
  });
});
