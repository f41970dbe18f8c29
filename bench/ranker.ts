// Ranker time for one request's candidates: featurizeBatch + one batched onnxruntime call + fusion, for 1,000
// candidates (the target: ≤ 3 ms). Measures the ranker this process would serve (the promoted model when
// DATABASE_URL reaches an instance, else the hand-set prior) and, always, a network of the trained shape
// (HIDDEN_LAYERS) with random weights, so the figure does not depend on whether a model was trained yet.
// Run: `npx tsx bench/ranker.ts [--candidates 1000] [--iterations 300]`; bench/feed.ts can import benchRanker().
import { parseArgs } from "node:util";
import { InferenceSession, Tensor } from "onnxruntime-node";
import { FEATURE_COUNT, featurizeBatch } from "@/lib/recs/features";
import { HIDDEN_LAYERS } from "@/lib/recs/model-config";
import { INPUT_NAME, writeRankerOnnx } from "@/lib/recs/onnx/writer";
import { closeRanker, fuseHeads, getRanker } from "@/lib/recs/ranker";
import { initWeights, seededRandom } from "@/lib/recs/training/mlp";
import { EMBEDDING_DIM, HEADS, REC_SOURCES, type FeatureInput, type Head } from "@/lib/recs/types";

export type RankerBench = { candidates: number; iterations: number; version: string; featurizeMs: Percentiles; scoreMs: Percentiles; totalMs: Percentiles; trainedShapeTotalMs: Percentiles };
type Percentiles = { p50: number; p99: number; mean: number };

function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

/** One request's worth of realistic candidates: one viewer with a full state, varied videos and sources. */
export function syntheticCandidates(count: number, seed = 1): FeatureInput[] {
  const random = seededRandom(seed);
  const vector = () => Float32Array.from({ length: EMBEDDING_DIM }, () => random() - 0.5);
  const tags = Array.from({ length: 200 }, (_, i) => `tag${i}`);
  const viewer: FeatureInput["viewer"] = {
    viewerKey: "u:bench",
    state: {
      viewer: "u:bench",
      recentWatches: Array.from({ length: 100 }, (_, i) => ({ videoId: `v${i}`, at: i, watchedMs: 5000, loops: 0, completed: i % 2 === 0 })),
      recentSkips: Array.from({ length: 50 }, (_, i) => ({ videoId: `v${i + 500}`, at: i, watchedMs: 500 })),
      recentLikes: Array.from({ length: 50 }, (_, i) => ({ videoId: `v${i * 3}`, at: i })),
      hashtags: tags.map((name) => ({ name, score: random() * 20 - 5 })),
      creators: Array.from({ length: 200 }, (_, i) => ({ userId: `a${i}`, score: random() * 10 - 2 })),
      counts: { impression: 3000, play: 2000, complete: 800, skip: 900, like: 120 },
    },
    // A busy session: 40 views over 60 of the catalogue's hashtags and as many creators.
    session: {
      tags: new Map(tags.slice(0, 60).map((name) => [name, random() * 2 - 1])),
      creators: new Map(Array.from({ length: 40 }, (_, i) => [`a${i * 7}`, random() * 2 - 1])),
      views: 40,
      latest: [1, -1, 0.5, 1],
      missed: { tags: new Set(), creators: new Set() },
    },
    embedding: vector(),
    followsAuthorIds: new Set(Array.from({ length: 50 }, (_, i) => `a${i}`)),
    device: "mobile",
    hour: 20,
  };
  return Array.from({ length: count }, (_, i) => ({
    viewer,
    video: {
      videoId: `c${i}`,
      authorId: `a${Math.floor(random() * 400)}`,
      hashtags: [tags[Math.floor(random() * 200)]!, tags[Math.floor(random() * 200)]!, `other${i}`],
      durationSec: 5 + random() * 55,
      ageHours: random() * 500,
      content: { loudnessLufs: -20, sceneCutRate: random(), motion: random(), brightness: random(), colorfulness: random(), aspect: 0.5625 },
      stats: { impressions: 1000, plays: 800, completes: 300, skips: 200, likes: 50, shares: 5, comments: 3, follows: 1, meanWatchFraction: random() },
      embedding: vector(),
    },
    candidate: { videoId: `c${i}`, source: REC_SOURCES[i % REC_SOURCES.length]!, sourceScore: random() * 100 },
  }));
}

export async function benchRanker({ candidates = 1000, iterations = 300 } = {}): Promise<RankerBench> {
  const inputs = syntheticCandidates(candidates);
  const ranker = await getRanker();
  const featurize: number[] = [];
  const score: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < iterations + 20; i++) {
    const t0 = performance.now();
    const rows = featurizeBatch(inputs);
    const t1 = performance.now();
    await ranker.score(rows, candidates);
    const t2 = performance.now();
    if (i < 20) continue; // warm-up: JIT and onnxruntime's first runs
    featurize.push(t1 - t0);
    score.push(t2 - t1);
    total.push(t2 - t0);
  }
  // The trained shape with random weights, the same path: featurize → one run → fuse.
  const widths = [FEATURE_COUNT, ...HIDDEN_LAYERS, HEADS.length];
  const session = await InferenceSession.create(writeRankerOnnx(initWeights(widths, 1), FEATURE_COUNT, HEADS.length), {
    executionProviders: ["cpu"],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: "all",
  });
  const trained: number[] = [];
  for (let i = 0; i < iterations + 20; i++) {
    const t0 = performance.now();
    const rows = featurizeBatch(inputs);
    const output = await session.run({ [INPUT_NAME]: new Tensor("float32", rows, [candidates, FEATURE_COUNT]) });
    const values = output.heads!.data as Float32Array;
    const heads = {} as Record<Head, Float32Array>;
    for (const [column, head] of HEADS.entries()) {
      const target = (heads[head] = new Float32Array(candidates));
      for (let r = 0; r < candidates; r++) target[r] = values[r * HEADS.length + column]!;
    }
    fuseHeads(heads, candidates);
    if (i >= 20) trained.push(performance.now() - t0);
  }
  await session.release();
  return { candidates, iterations, version: ranker.version, featurizeMs: percentiles(featurize), scoreMs: percentiles(score), totalMs: percentiles(total), trainedShapeTotalMs: percentiles(trained) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { candidates: { type: "string" }, iterations: { type: "string" } } });
  process.env.LOG_LEVEL ??= "error";
  const result = await benchRanker({ candidates: Number(values.candidates ?? 1000), iterations: Number(values.iterations ?? 300) });
  const fmt = (p: Percentiles) => `p50 ${p.p50.toFixed(3)} ms  p99 ${p.p99.toFixed(3)} ms  mean ${p.mean.toFixed(3)} ms`;
  process.stdout.write(
    [
      `Ranker, ${result.candidates} candidates, ${result.iterations} runs (target ≤ 3 ms)`,
      `  serving model "${result.version}"`,
      `    featurizeBatch   ${fmt(result.featurizeMs)}`,
      `    score (ONNX+fuse) ${fmt(result.scoreMs)}`,
      `    total            ${fmt(result.totalMs)}`,
      `  trained shape ${FEATURE_COUNT}→${HIDDEN_LAYERS.join("→")}→${HEADS.length}, featurize+score+fuse: ${fmt(result.trainedShapeTotalMs)}`,
      "",
    ].join("\n"),
  );
  await closeRanker();
  process.exit(0);
}
