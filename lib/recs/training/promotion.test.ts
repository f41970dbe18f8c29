// The promotion gate: a head's AUC may move by its own measurement noise, which is large for a head with few positives
// in the held-out window; a real regression on a well-measured head still keeps the serving model.
import { describe, expect, it } from "vitest";
import { HEADS, type Head } from "../types";
import type { EvalMetrics, HeadMetrics } from "./evaluate";
import { aucStandardError, regressionReason } from "./index";

function metrics(examples: number, heads: Partial<Record<Head, Pick<HeadMetrics, "auc" | "positives">>>, ndcg10 = 0.8): EvalMetrics {
  const all = Object.fromEntries(
    HEADS.map((head) => [head, { auc: heads[head]?.auc ?? 0.75, positives: heads[head]?.positives ?? 200, meanPredicted: 0.3, meanObserved: 0.3, ece: 0.02 }]),
  ) as Record<Head, HeadMetrics>;
  return { examples, requests: 60, ndcg10, heads: all };
}

describe("AUC standard error", () => {
  it("is large with few positives and shrinks as both classes grow (Hanley & McNeil)", () => {
    const few = aucStandardError(0.65, 15, 440);
    const many = aucStandardError(0.65, 400, 4000);
    expect(few).toBeGreaterThan(0.06);
    expect(few).toBeLessThan(0.1);
    expect(many).toBeLessThan(0.02);
    // A perfect separation on many rows leaves almost no doubt.
    expect(aucStandardError(0.99, 500, 500)).toBeLessThan(0.005);
  });
});

describe("promotion gate", () => {
  const head = HEADS[HEADS.length - 1]!;

  it("promotes a model whose only drop is within the noise of a head with few positives", () => {
    const serving = metrics(455, { [head]: { auc: 0.675, positives: 15 } });
    const candidate = metrics(455, { [head]: { auc: 0.61, positives: 15 } });
    expect(regressionReason(candidate, serving)).toBeNull();
  });

  it("keeps the serving model when a well-measured head drops by more than its noise, and says which", () => {
    const serving = metrics(5000, { [head]: { auc: 0.8, positives: 2000 } });
    const candidate = metrics(5000, { [head]: { auc: 0.74, positives: 2000 } });
    expect(regressionReason(candidate, serving)).toMatch(new RegExp(`${head} AUC 0\\.740 < 0\\.800`));
  });

  it("keeps the serving model when every head is a little worse: the mean drops by more than its own noise", () => {
    const worse = Object.fromEntries(HEADS.map((name) => [name, { auc: 0.735, positives: 2000 }]));
    const better = Object.fromEntries(HEADS.map((name) => [name, { auc: 0.75, positives: 2000 }]));
    expect(regressionReason(metrics(5000, worse), metrics(5000, better))).toMatch(/mean AUC 0\.735 < 0\.750/);
  });
});
