// The ranking seam: serving hands a request's FeatureInput rows here and orders by the scores. The rows are
// featurized and scored by the promoted ONNX ranker in one batched call (lib/recs/ranker.ts: the learned model, or
// the hand-set prior before the first training); the fused score orders, the features and per-head predictions go to
// the served log (RecServed) that the next training learns from. If the model cannot score (no session could ever be
// loaded, onnxruntime failing), the hand-weighted heuristic (lib/recs/heuristic.ts) keeps For You answering, and the
// served log then records no features, so training never learns from rows the model did not score.
import { getLogger } from "../logger";
import { featurizeBatch } from "./features";
import { HEURISTIC_VERSION, heuristicScores } from "./heuristic";
import { getRanker } from "./ranker";
import type { FeatureInput, Head } from "./types";

export type RankResult = {
  /** Registry version of the model that scored ("prior" before training, "heuristic-1" on the fallback). */
  version: string;
  /** One fused score per row; higher is better. */
  scores: Float32Array;
  /** Per-head predictions, null for the heuristic. */
  heads: Record<Head, Float32Array> | null;
  /** Row-major n × FEATURE_COUNT feature matrix the model scored, null for the heuristic. */
  features: Float32Array | null;
};

export async function rankInputs(inputs: FeatureInput[]): Promise<RankResult> {
  try {
    const features = featurizeBatch(inputs);
    const ranker = await getRanker();
    const scored = await ranker.score(features, inputs.length);
    return { version: scored.version, scores: scored.fused, heads: scored.heads, features };
  } catch (error) {
    getLogger().error({ err: error }, "recs: the ranker could not score, ordering by the heuristic");
    return { version: HEURISTIC_VERSION, scores: heuristicScores(inputs), heads: null, features: null };
  }
}
