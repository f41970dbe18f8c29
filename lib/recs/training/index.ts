// Training the ranker, end to end: examples from the served-features log joined with outcomes, a time split (train on
// the past, evaluate on the most recent window, as serving will meet the future), training with tfjs (warm-started
// from the promoted model when its shape matches, so the scheduled run is incremental), export to ONNX, evaluation of
// both the new model and the one serving on the same held-out window (both run through onnxruntime, as served), then
// the registry: promoted if it does not regress, rejected with the reason otherwise.
//
// Promotion rule (PROMOTION in model-config.ts): on every head with at least minPositivesToJudge positives and both
// classes in the window, the new AUC ≥ the serving model's AUC − maxHeadAucDrop; NDCG@10 ≥ serving − a margin
// (maxNdcgDrop, or ndcgNoise/√requests when the window holds few feed requests); and the mean AUC over the judged
// heads is not lower than the serving model's. Against the hand-set prior (no model trained yet) the same rule
// applies, so the first model is promoted only if it at least matches the prior.
import { InferenceSession, Tensor } from "onnxruntime-node";
import { getDb } from "@/lib/db";
import { getLogger } from "@/lib/logger";
import { FEATURE_COUNT, FEATURE_NAMES } from "../features";
import { HEAD_LOSS_WEIGHTS, HIDDEN_LAYERS, PROMOTION, TRAINING } from "../model-config";
import { PRIOR_VERSION, priorWeights } from "../onnx/prior";
import { INPUT_NAME, OUTPUT_NAME, writeRankerOnnx, type MlpWeights } from "../onnx/writer";
import { HEADS } from "../types";
import { evaluate, type EvalMetrics } from "./evaluate";
import { loadExamples, sliceExamples, type Examples } from "./examples";
import { initWeights, trainMlp } from "./mlp";
import { getPromotedModel, newModelVersion, promoteModel, rejectModel, rollbackModel, saveCandidate } from "./registry";

export type TrainResult =
  | { status: "not_enough_data"; examples: number; needed: number; message: string }
  | {
      status: "promoted" | "rejected";
      version: string;
      parentVersion: string;
      warmStart: boolean;
      trainExamples: number;
      testExamples: number;
      metrics: EvalMetrics;
      parentMetrics: EvalMetrics;
      reason: string;
      trainMs: number;
    };

// Training runs one at a time across every process (the scheduled job, the CLI): a PostgreSQL advisory lock, released
// with the session even if the process dies. The number is arbitrary but fixed ("recs" in ASCII).
const TRAIN_LOCK = 0x72656373;

export type TrainOptions = {
  /** Start from random weights and train the full number of epochs instead of warm-starting. */
  full?: boolean;
  /** Examples to use instead of reading them (tests of the decision on crafted data). */
  examples?: Examples;
};

async function scoreOnnx(bytes: Uint8Array, x: Float32Array, n: number): Promise<Float32Array> {
  const session = await InferenceSession.create(bytes, { executionProviders: ["cpu"], intraOpNumThreads: 1 });
  try {
    const output = await session.run({ [INPUT_NAME]: new Tensor("float32", x, [n, FEATURE_COUNT]) });
    return output[OUTPUT_NAME]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

function sameShape(weights: MlpWeights | undefined, widths: number[]): boolean {
  if (!weights || weights.layers.length !== widths.length - 1) return false;
  return weights.layers.every((layer, i) => layer.inputs === widths[i] && layer.outputs === widths[i + 1]);
}

/** Why the new model should not replace the serving one, or null when it may. */
export function regressionReason(candidate: EvalMetrics, serving: EvalMetrics): string | null {
  const problems: string[] = [];
  const judged = HEADS.filter((head) => {
    const mine = candidate.heads[head];
    return mine.auc !== null && serving.heads[head].auc !== null && mine.positives >= PROMOTION.minPositivesToJudge;
  });
  if (judged.length === 0) return "no head has enough positives in the held-out window to judge";
  const errors = new Map(judged.map((head) => [head, aucStandardError(candidate.heads[head].auc!, candidate.heads[head].positives, candidate.examples - candidate.heads[head].positives)]));
  for (const head of judged) {
    const drop = serving.heads[head].auc! - candidate.heads[head].auc!;
    const margin = Math.max(PROMOTION.maxHeadAucDrop, PROMOTION.aucNoise * errors.get(head)!);
    if (drop > margin) problems.push(`${head} AUC ${fmt(candidate.heads[head].auc)} < ${fmt(serving.heads[head].auc)} − ${margin.toFixed(3)}`);
  }
  const mean = (m: EvalMetrics) => judged.reduce((sum, head) => sum + m.heads[head].auc!, 0) / judged.length;
  const meanMargin = (PROMOTION.aucNoise * Math.sqrt(judged.reduce((sum, head) => sum + errors.get(head)! ** 2, 0))) / judged.length;
  if (mean(serving) - mean(candidate) > meanMargin) problems.push(`mean AUC ${fmt(mean(candidate))} < ${fmt(mean(serving))} − ${meanMargin.toFixed(3)}`);
  const ndcgMargin = Math.max(PROMOTION.maxNdcgDrop, PROMOTION.ndcgNoise / Math.sqrt(Math.max(1, candidate.requests)));
  if (candidate.ndcg10 !== null && serving.ndcg10 !== null && serving.ndcg10 - candidate.ndcg10 > ndcgMargin) {
    problems.push(`NDCG@10 ${fmt(candidate.ndcg10)} < ${fmt(serving.ndcg10)} − ${ndcgMargin.toFixed(3)}`);
  }
  return problems.length ? problems.join("; ") : null;
}

/** Standard error of an AUC measured on `positives` and `negatives` rows (Hanley & McNeil, 1982). */
export function aucStandardError(auc: number, positives: number, negatives: number): number {
  if (positives < 1 || negatives < 1) return 1;
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const variance = (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) / (positives * negatives);
  return Math.sqrt(Math.max(0, variance));
}

const fmt = (value: number | null) => (value === null ? "n/a" : value.toFixed(3));

/** Index where the held-out window starts: the newest testFraction, moved forward to a feed request boundary. */
function splitIndex(examples: Examples): number {
  let split = Math.floor(examples.n * (1 - TRAINING.testFraction));
  while (split > 0 && split < examples.n && examples.requestIds[split] === examples.requestIds[split - 1]) split++;
  return split;
}

async function withTrainLock<T>(run: () => Promise<T>): Promise<T> {
  const db = getDb();
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${TRAIN_LOCK})`;
      return run();
    },
    { timeout: 30 * 60_000, maxWait: 30 * 60_000 }, // a long training run holds the lock; another waits for it
  );
}

/** Builds examples, trains, evaluates, stores and (unless it regresses) promotes a new ranker version. */
export function trainRanker(opts: TrainOptions = {}): Promise<TrainResult> {
  return withTrainLock(() => trainUnlocked(opts));
}

async function trainUnlocked(opts: TrainOptions): Promise<TrainResult> {
  const log = getLogger();
  const examples = opts.examples ?? (await loadExamples(TRAINING.maxExamples));
  const needed = Math.max(TRAINING.minExamples, Math.ceil(TRAINING.minTestExamples / TRAINING.testFraction));
  if (examples.n < needed) {
    return { status: "not_enough_data", examples: examples.n, needed, message: `not enough data (${examples.n} examples, need ${needed})` };
  }
  const split = splitIndex(examples);
  const train = sliceExamples(examples, 0, split);
  const test = sliceExamples(examples, split, examples.n);
  if (test.n < TRAINING.minTestExamples) {
    return { status: "not_enough_data", examples: examples.n, needed, message: `not enough data (${test.n} held-out examples, need ${TRAINING.minTestExamples})` };
  }

  const promoted = await getPromotedModel();
  const servingNames = promoted?.featureNames ?? FEATURE_NAMES;
  const servingComparable = servingNames.length === FEATURE_NAMES.length && servingNames.every((name, i) => name === FEATURE_NAMES[i]);
  const parentVersion = promoted && servingComparable ? promoted.version : PRIOR_VERSION;
  const parentOnnx = promoted && servingComparable ? promoted.onnx : writeRankerOnnx(priorWeights(), FEATURE_COUNT, HEADS.length, "hand-set prior");

  const widths = [FEATURE_COUNT, ...HIDDEN_LAYERS, HEADS.length];
  const warmStart = !opts.full && servingComparable && sameShape(promoted?.weights, widths);
  const start = warmStart ? { layers: promoted!.weights.layers } : initWeights(widths, TRAINING.seed);
  const started = Date.now();
  const stepsPerEpoch = Math.ceil(train.n / TRAINING.batchSize);
  const [base, minSteps, maxSteps] = warmStart
    ? [TRAINING.epochsIncremental, TRAINING.minStepsIncremental, TRAINING.maxStepsIncremental]
    : [TRAINING.epochsFull, TRAINING.minStepsFull, TRAINING.maxStepsFull];
  const epochs = Math.max(1, Math.min(Math.floor(maxSteps / stepsPerEpoch), Math.max(base, Math.ceil(minSteps / stepsPerEpoch))));
  const weights = await trainMlp(start, train, {
    epochs,
    batchSize: TRAINING.batchSize,
    learningRate: TRAINING.learningRate,
    l2: TRAINING.l2,
    seed: TRAINING.seed,
    outputWeights: HEADS.map((head) => HEAD_LOSS_WEIGHTS[head]),
  });
  const trainMs = Date.now() - started;
  const version = newModelVersion();
  const onnx = writeRankerOnnx(weights, FEATURE_COUNT, HEADS.length, `flick ranker ${version} (parent ${parentVersion})`);

  const evalSet = { n: test.n, labels: test.y, requestIds: test.requestIds };
  const metrics = evaluate(evalSet, await scoreOnnx(onnx, test.x, test.n));
  const parentMetrics = evaluate(evalSet, await scoreOnnx(parentOnnx, test.x, test.n));
  const regression = regressionReason(metrics, parentMetrics);
  const reason = regression ? `not promoted: ${regression} (vs ${parentVersion})` : `promoted: does not regress against ${parentVersion} on ${test.n} held-out examples`;
  await saveCandidate({
    version,
    parentVersion,
    metrics: { heldOut: metrics, parent: parentMetrics, trainMs, warmStart } as never,
    onnx,
    weights: { layers: weights.layers, trainedOn: `${train.n} examples, ${train.servedAt[0]?.toISOString()} … ${train.servedAt.at(-1)?.toISOString()}` },
    featureNames: FEATURE_NAMES,
    trainExamples: train.n,
    testExamples: test.n,
    reason,
  });
  if (regression) await rejectModel(version, reason);
  else await promoteModel(version, reason);
  log.info({ version, parentVersion, promoted: !regression, trainExamples: train.n, testExamples: test.n, trainMs }, "ranker trained");
  return {
    status: regression ? "rejected" : "promoted",
    version,
    parentVersion,
    warmStart,
    trainExamples: train.n,
    testExamples: test.n,
    metrics,
    parentMetrics,
    reason,
    trainMs,
  };
}

/** Re-promotes the version that served before the current one (or the prior); web processes hot-reload it. */
export async function rollbackRanker(): Promise<{ version: string; rolledBack: string | null }> {
  return rollbackModel();
}

/** A human-readable report of a training run, for the CLI and logs. */
export function describeTrainResult(result: TrainResult): string {
  if (result.status === "not_enough_data") return `Ranker not trained: ${result.message}.\n`;
  const lines = [
    `Ranker ${result.version} ${result.status === "promoted" ? "PROMOTED" : "NOT promoted"} (compared with ${result.parentVersion}).`,
    `  ${result.reason}`,
    `  trained on ${result.trainExamples} examples in ${(result.trainMs / 1000).toFixed(1)} s (${result.warmStart ? "warm start from " + result.parentVersion : "from scratch"}), evaluated on the newest ${result.testExamples}`,
    `  NDCG@10 over ${result.metrics.requests} feed requests: new ${fmt(result.metrics.ndcg10)}  serving ${fmt(result.parentMetrics.ndcg10)}`,
    `  head        AUC new / serving     mean predicted / observed   ECE      positives`,
  ];
  for (const head of HEADS) {
    const mine = result.metrics.heads[head];
    const theirs = result.parentMetrics.heads[head];
    lines.push(
      `  ${head.padEnd(10)}  ${fmt(mine.auc).padStart(5)} / ${fmt(theirs.auc).padEnd(12)}  ${mine.meanPredicted.toFixed(3)} / ${mine.meanObserved.toFixed(3).padEnd(17)}  ${mine.ece.toFixed(3)}    ${mine.positives}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
