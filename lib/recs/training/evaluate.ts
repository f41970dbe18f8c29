// Offline evaluation of a ranker on the held-out window: per head the AUC (does it order positives above negatives),
// the mean predicted vs observed rate and the expected calibration error (are its probabilities honest, which the
// fusion relies on since it adds them), and NDCG@10 per feed request (does the fused score put what was watched at the
// top of the page). The watch head's AUC treats "watched at least half" as its positive.
import { fuseHeads } from "../ranker";
import { HEADS, type Head } from "../types";

const CALIBRATION_BINS = 10; // ten equal-width probability bins: the usual ECE resolution
const NDCG_AT = 10; // a page of the feed
const WATCH_POSITIVE = 0.5; // "watched at least half" for the watch head's AUC

export type HeadMetrics = {
  auc: number | null; // null when the window has only one class
  positives: number;
  meanPredicted: number;
  meanObserved: number;
  ece: number;
};

export type EvalMetrics = {
  examples: number;
  requests: number; // feed requests with at least two items and one relevant, the ones NDCG averages over
  ndcg10: number | null;
  heads: Record<Head, HeadMetrics>;
};

/** Area under the ROC curve by the rank-sum formula, ties counted half. */
export function auc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (positive[order[k]!]) {
        positives++;
        rankSum += averageRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean |observed − predicted| over probability bins, weighted by how many rows fall in each bin. */
export function expectedCalibrationError(predicted: ArrayLike<number>, observed: ArrayLike<number>): number {
  const count = new Array<number>(CALIBRATION_BINS).fill(0);
  const sumPredicted = new Array<number>(CALIBRATION_BINS).fill(0);
  const sumObserved = new Array<number>(CALIBRATION_BINS).fill(0);
  for (let i = 0; i < predicted.length; i++) {
    const bin = Math.min(CALIBRATION_BINS - 1, Math.floor(predicted[i]! * CALIBRATION_BINS));
    count[bin]! += 1;
    sumPredicted[bin]! += predicted[i]!;
    sumObserved[bin]! += observed[i]!;
  }
  let ece = 0;
  for (let bin = 0; bin < CALIBRATION_BINS; bin++) {
    if (count[bin]) ece += (count[bin]! / predicted.length) * Math.abs(sumObserved[bin]! / count[bin]! - sumPredicted[bin]! / count[bin]!);
  }
  return ece;
}

/** NDCG@k of one list: `relevance` in the order the model ranked them vs the ideal order. */
export function ndcgAt(relevanceInRankedOrder: number[], k = NDCG_AT): number | null {
  const dcg = (values: number[]) => values.slice(0, k).reduce((sum, rel, i) => sum + (2 ** rel - 1) / Math.log2(i + 2), 0);
  const ideal = dcg([...relevanceInRankedOrder].sort((a, b) => b - a));
  return ideal > 0 ? dcg(relevanceInRankedOrder) / ideal : null;
}

export type EvalSet = {
  n: number;
  /** Row-major n × HEADS labels (the watch column a fraction). */
  labels: Float32Array;
  /** The feed request of each row, for NDCG. */
  requestIds: string[];
};

/** Graded relevance of a served item for NDCG: its watch fraction, plus one for a completion. */
export function relevanceOf(labels: Float32Array, row: number): number {
  const width = HEADS.length;
  return labels[row * width + HEADS.indexOf("watch")]! + labels[row * width + HEADS.indexOf("complete")]!;
}

/** Metrics of `predictions` (row-major n × HEADS probabilities) on the set. */
export function evaluate(set: EvalSet, predictions: Float32Array): EvalMetrics {
  const width = HEADS.length;
  const headColumns = Object.fromEntries(
    HEADS.map((head, column) => [head, Float32Array.from({ length: set.n }, (_, i) => predictions[i * width + column]!)]),
  ) as Record<Head, Float32Array>;
  const heads = {} as Record<Head, HeadMetrics>;
  for (const [column, head] of HEADS.entries()) {
    const observed = Float32Array.from({ length: set.n }, (_, i) => set.labels[i * width + column]!);
    const positive = Array.from(observed, (value) => (head === "watch" ? value >= WATCH_POSITIVE : value >= 0.5));
    const predicted = headColumns[head];
    const mean = (values: Float32Array) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
    heads[head] = {
      auc: auc(predicted, positive),
      positives: positive.filter(Boolean).length,
      meanPredicted: mean(predicted),
      meanObserved: mean(observed),
      ece: expectedCalibrationError(predicted, observed),
    };
  }
  const fused = fuseHeads(headColumns, set.n);
  const byRequest = new Map<string, number[]>();
  set.requestIds.forEach((id, row) => {
    const rows = byRequest.get(id);
    if (rows) rows.push(row);
    else byRequest.set(id, [row]);
  });
  let ndcgSum = 0;
  let requests = 0;
  for (const rows of byRequest.values()) {
    if (rows.length < 2) continue;
    const ranked = [...rows].sort((a, b) => fused[b]! - fused[a]!);
    const value = ndcgAt(ranked.map((row) => relevanceOf(set.labels, row)));
    if (value === null) continue;
    ndcgSum += value;
    requests++;
  }
  return { examples: set.n, requests, ndcg10: requests ? ndcgSum / requests : null, heads };
}
