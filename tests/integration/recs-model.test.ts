// The learned ranker's loop against the real database and onnxruntime: the prior serves before any training; training
// on the served-features log learns planted signals and is promoted; the web-side ranker hot-reloads it without a
// restart; a worse model is not promoted; a corrupt promoted model does not break serving; rollback re-promotes the
// previous version; the CLI commands run.
import { randomBytes } from "node:crypto";
import { InferenceSession, Tensor } from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { FEATURE_COUNT, FEATURE_NAMES, featurizeBatch } from "@/lib/recs/features";
import { checkForNewRanker, closeRanker, getRanker } from "@/lib/recs/ranker";
import { describeTrainResult, rollbackRanker, trainRanker } from "@/lib/recs/training";
import { loadExamples } from "@/lib/recs/training/examples";
import { predict, seededRandom } from "@/lib/recs/training/mlp";
import { getModelBytes, getPromotedVersion, newModelVersion, promoteModel, saveCandidate, type StoredWeights } from "@/lib/recs/training/registry";
import { INPUT_NAME, OUTPUT_NAME } from "@/lib/recs/onnx/writer";
import { HEADS } from "@/lib/recs/types";
import { plantedInput, seedServedLog } from "./recs-model-helpers";
import { flick } from "./cli-helper";

// Two rows a viewer would tell apart: a video of a hashtag they love vs one of a hashtag they keep skipping.
const probeRows = featurizeBatch([plantedInput("probe-a", 25, 15, 0.9), plantedInput("probe-b", -8, 3, 0.1)]);

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}

describe("learned ranker", () => {
  let trainedVersion = "";
  let priorScores: Float32Array;

  beforeAll(async () => {
    // Back to "nothing trained", whatever earlier test files promoted: rollback until the prior serves. And an empty
    // served log: every For You page other test files asked for is logged too, and these tests count examples.
    while ((await rollbackRanker()).rolledBack !== null);
    await getDb().recServed.deleteMany({});
  });

  afterAll(async () => {
    // Later test files expect For You ordered by the prior, not by a model trained on planted signals.
    while ((await rollbackRanker()).rolledBack !== null);
    await closeRanker();
  });

  it("serves the hand-set prior through ONNX before any model is trained, preferring a loved hashtag", async () => {
    expect(await getPromotedVersion()).toBeNull();
    const ranker = await getRanker();
    expect(ranker.version).toBe("prior");
    const scores = await ranker.score(probeRows, 2);
    expect(scores.fused[0]!).toBeGreaterThan(scores.fused[1]!);
    expect(scores.heads.negative[1]!).toBeGreaterThan(scores.heads.negative[0]!);
    priorScores = scores.fused;
  });

  it("answers 'not enough data' instead of training on a handful of examples", async () => {
    const result = await trainRanker();
    expect(result.status).toBe("not_enough_data");
    if (result.status !== "not_enough_data") return;
    expect(result.message).toMatch(/^not enough data \(\d+ examples, need \d+\)$/);
  });

  it("learns planted signals from the served log, beats the prior on held-out data and is promoted", async () => {
    await seedServedLog(220, 8, 1);
    const result = await trainRanker({ full: true });
    expect(result.status, result.status === "not_enough_data" ? result.message : describeTrainResult(result)).toBe("promoted");
    if (result.status === "not_enough_data") return;
    trainedVersion = result.version;
    expect(result.trainExamples + result.testExamples).toBe(220 * 8);
    // The held-out window is the newest fifth: AUC well above chance where a signal was planted.
    expect(result.metrics.heads.complete.auc!).toBeGreaterThan(0.7);
    expect(result.metrics.heads.like.auc!).toBeGreaterThan(0.65);
    // …and better than the prior, which cannot see the hour or motion rules.
    expect(result.metrics.heads.like.auc!).toBeGreaterThan(result.parentMetrics.heads.like.auc!);
    expect(result.metrics.ndcg10).not.toBeNull();
    expect(Math.abs(result.metrics.heads.complete.meanPredicted - result.metrics.heads.complete.meanObserved)).toBeLessThan(0.15);
    expect(describeTrainResult(result)).toContain("PROMOTED");
    const row = await getDb().recModel.findUniqueOrThrow({ where: { version: result.version } });
    expect(row.status).toBe("promoted");
    expect(row.parentVersion).toBe("prior");
    expect(row.featureNames).toEqual([...FEATURE_NAMES]);
  });

  it("exports ONNX whose scores match tfjs's on the same inputs (max abs diff ≤ 1e-5)", async () => {
    const row = await getDb().recModel.findUniqueOrThrow({ where: { version: trainedVersion } });
    const examples = await loadExamples(2000);
    const n = Math.min(examples.n, 500);
    const x = examples.x.slice(0, n * FEATURE_COUNT);
    const reference = await predict({ layers: (row.weights as unknown as StoredWeights).layers }, x, n);
    const session = await InferenceSession.create(new Uint8Array(row.onnx));
    const output = await session.run({ [INPUT_NAME]: new Tensor("float32", x, [n, FEATURE_COUNT]) });
    await session.release();
    const exported = output[OUTPUT_NAME]!.data as Float32Array;
    let maxDiff = 0;
    for (let i = 0; i < n * HEADS.length; i++) maxDiff = Math.max(maxDiff, Math.abs(exported[i]! - reference[i]!));
    expect(maxDiff).toBeLessThanOrEqual(1e-5);
  });

  it("hot-reloads the promoted model in the running process, without a restart", async () => {
    // No explicit reload: the poll started by the first getRanker() finds the new version.
    const ranker = await waitFor(getRanker, (r) => r.version === trainedVersion);
    expect(ranker.version).toBe(trainedVersion);
    const scores = await ranker.score(probeRows, 2);
    expect(scores.version).toBe(trainedVersion);
    expect(Array.from(scores.fused)).not.toEqual(Array.from(priorScores));
    expect(scores.fused[0]!).toBeGreaterThan(scores.fused[1]!);
  });

  it("does not promote a worse model (trained on shuffled labels)", async () => {
    const examples = await loadExamples(100_000);
    const random = seededRandom(3);
    // Shuffle the outcomes of the older three quarters (the training part); the held-out window keeps the truth.
    const shuffled = Math.floor(examples.n * 0.75);
    const y = examples.y.slice();
    for (let i = shuffled - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      for (let h = 0; h < HEADS.length; h++) {
        const a = y[i * HEADS.length + h]!;
        y[i * HEADS.length + h] = y[j * HEADS.length + h]!;
        y[j * HEADS.length + h] = a;
      }
    }
    const result = await trainRanker({ full: true, examples: { ...examples, y } });
    expect(result.status, result.status === "not_enough_data" ? result.message : describeTrainResult(result)).toBe("rejected");
    if (result.status === "not_enough_data") return;
    expect(result.parentVersion).toBe(trainedVersion);
    expect(result.reason).toMatch(/AUC/);
    expect(describeTrainResult(result)).toContain("NOT promoted");
    expect(await getPromotedVersion()).toBe(trainedVersion);
    expect((await getDb().recModel.findUniqueOrThrow({ where: { version: result.version } })).status).toBe("rejected");
  });

  it("keeps serving the last good model when a corrupt one is promoted, and rollback restores it", async () => {
    const corrupt = newModelVersion();
    await saveCandidate({
      version: corrupt,
      parentVersion: trainedVersion,
      metrics: {},
      onnx: randomBytes(512),
      weights: { layers: [] },
      featureNames: FEATURE_NAMES,
      trainExamples: 0,
      testExamples: 0,
      reason: "test: corrupt bytes",
    });
    await promoteModel(corrupt);
    await checkForNewRanker();
    const ranker = await getRanker();
    expect(ranker.version).toBe(trainedVersion);
    const scores = await ranker.score(probeRows, 2);
    expect(scores.fused.every(Number.isFinite)).toBe(true);

    expect(await rollbackRanker()).toEqual({ version: trainedVersion, rolledBack: corrupt });
    expect(await getPromotedVersion()).toBe(trainedVersion);
    expect((await getDb().recModel.findUniqueOrThrow({ where: { version: corrupt } })).status).toBe("rejected");
  });

  it("rollback re-promotes the previous version and the process follows it", async () => {
    const good = await getModelBytes(trainedVersion);
    const stored = await getDb().recModel.findUniqueOrThrow({ where: { version: trainedVersion } });
    const next = newModelVersion();
    // A second good version (the same network under a new name), promoted after the first.
    const weights = stored.weights as unknown as StoredWeights;
    await saveCandidate({ version: next, parentVersion: trainedVersion, metrics: {}, onnx: good!.onnx, weights, featureNames: FEATURE_NAMES, trainExamples: 0, testExamples: 0, reason: "test: second version" });
    await promoteModel(next);
    expect((await waitFor(getRanker, (r) => r.version === next)).version).toBe(next);

    expect(await rollbackRanker()).toEqual({ version: trainedVersion, rolledBack: next });
    expect((await waitFor(getRanker, (r) => r.version === trainedVersion)).version).toBe(trainedVersion);
  });

  it("runs recs:train, recs:rollback and recs:embeddings from the CLI", async () => {
    const train = await flick("recs:train");
    expect(train.code, train.stderr).toBe(0);
    expect(train.stdout).toMatch(/Ranker r\d{8}-\d{6}-[0-9a-f]{4} (PROMOTED|NOT promoted)/);
    expect(train.stdout).toContain("NDCG@10");
    const rollback = await flick("recs:rollback");
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(rollback.stdout).toMatch(/Rolled back|already serves/);
    const embeddings = await flick("recs:embeddings");
    expect(embeddings.code, embeddings.stderr).toBe(0);
    expect(embeddings.stdout).toMatch(/^Embeddings/);
  });
});
