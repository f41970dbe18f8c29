// The ranking seam: serving hands a request's FeatureInput rows here and orders by the scores. In this branch the
// scores come from the hand-weighted heuristic (lib/recs/heuristic.ts). At merge the lead makes rankInputs call the
// MODEL helper's featurizeBatch + getRanker().score (one batched ONNX call) and keeps the heuristic as the fallback
// when no model can be loaded; `features` and `heads` then go to the served log (RecServed) as they are.
import { HEURISTIC_VERSION, heuristicScores } from "./heuristic";
import type { FeatureInput, Head } from "./types";

export type RankResult = {
  /** Model version ("heuristic-1" here; the registry version once the learned ranker is wired). */
  version: string;
  /** One fused score per row; higher is better. */
  scores: Float32Array;
  /** Per-head predictions, null for the heuristic. */
  heads: Record<Head, Float32Array> | null;
  /** Row-major n × FEATURE_COUNT feature matrix the model scored, null for the heuristic. */
  features: Float32Array | null;
};

export async function rankInputs(inputs: FeatureInput[]): Promise<RankResult> {
  return { version: HEURISTIC_VERSION, scores: heuristicScores(inputs), heads: null, features: null };
}
