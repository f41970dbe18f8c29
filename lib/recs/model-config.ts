// The learned ranker's settings in one place: the network's shape, how its heads are fused into the one score the
// feed orders by, and how training, evaluation and promotion behave. Read by ranker.ts (fusion), training/* and
// embeddings.ts. Environment-dependent knobs (the schedule) live in lib/env.ts; these are properties of the model.
import type { Head } from "./types";

/**
 * Fusion weights: final score = Σ weight × head probability. Expected watch fraction carries the most because the
 * product optimises time well spent; completion backs it up; explicit actions are rarer but stronger signals (a share
 * says more than a like, a follow more than either); negative feedback (fast skip / not interested) subtracts.
 */
export const FUSION_WEIGHTS: Record<Head, number> = {
  complete: 0.5,
  watch: 1.0,
  like: 0.6,
  share: 0.8,
  follow: 0.8,
  negative: -0.8,
};

/** Hidden layer widths of the shared trunk (Gemm+Relu each). Two small layers: ~60 features, a few thousand weights, far under a millisecond for 1,000 rows. */
export const HIDDEN_LAYERS = [32, 16] as const;

export const TRAINING = {
  // Below this many examples the model would learn noise; trainRanker answers "not enough data" instead.
  minExamples: 200,
  // …and the held-out window must hold at least this many, so its AUCs mean something.
  minTestExamples: 50,
  // The most recent 20 % of examples (by serving time) are held out: evaluation is on the future, as serving is.
  testFraction: 0.2,
  // Examples read per run: the newest ones (a bounded run time on a big instance; older behaviour matters less).
  maxExamples: 200_000,
  // A full run starts from random weights and trains longer; an incremental one warm-starts from the promoted model.
  epochsFull: 30,
  epochsIncremental: 8,
  // Bounds on optimizer steps per run, whatever the data size: at least enough updates for a small instance to learn
  // (an epoch there is a handful of batches), at most what keeps a run around a minute on tfjs's CPU backend (~10 ms
  // a step here), well inside the 10-minute schedule.
  minStepsFull: 600,
  minStepsIncremental: 150,
  maxStepsFull: 4000,
  maxStepsIncremental: 1500,
  batchSize: 256, // small enough for many updates per epoch on a small instance, big enough for cheap matmuls
  learningRate: 0.01, // Adam, raised from the usual 1e-3: runs are short (hundreds to a few thousand steps)
  l2: 1e-5, // a touch of weight decay keeps rare features from getting huge weights
  seed: 42, // deterministic initialisation and shuffles: the same data gives the same model
} as const;

/**
 * How much each head's loss counts. Equal: the fusion weights, not the loss, say what matters to the product. No class
 * re-weighting inside a head either: it would trade calibration (which the fusion relies on, since it adds
 * probabilities) for little ranking gain, and the rare heads' AUC is checked at evaluation.
 */
export const HEAD_LOSS_WEIGHTS: Record<Head, number> = {
  complete: 1,
  watch: 1,
  like: 1,
  share: 1,
  follow: 1,
  negative: 1,
};

export const PROMOTION = {
  // The new model may lose at most this much AUC on any head that has both classes in the window (noise margin)…
  maxHeadAucDrop: 0.02,
  // …or this many standard errors of that head's AUC when that is larger (Hanley & McNeil: a head with 15 positives in
  // 450 held-out rows measures its AUC ± 0.08, so a 0.06 "drop" there is noise, not a worse model). The mean AUC over
  // the judged heads may likewise drop by at most the standard error of that mean.
  aucNoise: 1,
  // …and must not lose NDCG@10 by more than this, or by more than ndcgNoise / √(feed requests in the window) when
  // that is larger: a mean over few requests moves by a couple of points from noise alone (44 requests: ±0.02).
  maxNdcgDrop: 0.01,
  ndcgNoise: 0.15,
  // Heads with fewer positives than this in the window are too noisy to veto a model.
  minPositivesToJudge: 10,
} as const;

/** A skip before this fraction of the video (or a "not interested") is the negative head's positive label. */
export const FAST_SKIP_FRACTION = 0.25;

/** How often the web process asks the registry whether another version was promoted (ms): hot reload within seconds. */
export const RANKER_POLL_MS = 2_000;
