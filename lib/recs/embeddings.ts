// Learned interaction vectors for viewers and videos (EMBEDDING_DIM each), from the events table: implicit-feedback
// matrix factorisation trained with SGD on a logistic loss. A (viewer, video) pair the viewer watched is a positive
// weighted by how well it went (watched fraction, a completion, a like or share add to it); a skip or "not
// interested" is an explicit negative; and for every positive NEGATIVES_PER_POSITIVE videos drawn at random are
// weak negatives (what a viewer did not pick is mostly what they would not have picked). A viewer's vector ends up
// near the videos they watch to the end and away from the ones they swipe past; videos watched by the same people end
// up near each other.
//
// Storage: one RecEmbedding row per run with all vectors packed as float32. A process keeps the newest version in
// memory (one matrix) and brute-forces nearest neighbours over it (100,000 videos × 16 dims ≈ 1.6 M multiply-adds,
// about 2 ms); it looks for a newer version at most every RELOAD_CHECK_MS, in the background.
//
// A viewer not in the trained set (new, or active only since the last run) gets a fold-in vector: the weighted mean of
// the vectors of what they recently watched and liked, minus a little of what they skipped, from the real-time
// UserState. A learned viewer's vector is blended with that same fold-in, so the last minutes count immediately.
import { randomBytes } from "node:crypto";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { getDb } from "@/lib/db";
import { getLogger } from "@/lib/logger";
import { getRedis } from "@/lib/redis";
import type { UserState } from "../events";
import { seededRandom } from "../random";
import { EMBEDDING_DIM, type Candidate } from "./types";

const LOOKBACK_DAYS = 30; // a month of interactions: long-term taste, while old fads fade out
const MAX_INTERACTIONS = 2_000_000; // newest pairs per run: bounds time (~10 s) and memory on a big instance
const EPOCHS = 12; // enough passes for a few thousand pairs to separate two tastes; cheap on big ones
const LEARNING_RATE = 0.05; // plain SGD on a logistic loss with vectors of norm ~1
const L2 = 0.002; // keeps rarely seen vectors small, so they do not dominate nearest-neighbour lists
const NEGATIVES_PER_POSITIVE = 3; // random "not chosen" videos per positive pair
const YIELD_EVERY_STEPS = 4_096; // ~5 ms of SGD steps (with their negatives) between turns for the rest of the worker
const RANDOM_NEGATIVE_WEIGHT = 0.3; // weaker than a real skip: an unseen video might have been liked
const SKIP_WEIGHT = 1; // a skip is a clear "no"
const NOT_INTERESTED_WEIGHT = 3; // an explicit "no" counts three skips
const INIT_SCALE = 0.1; // small random start: symmetric, so vectors separate by the data
const KEEP_VERSIONS = 3; // older runs are deleted; three leave room to compare
const RELOAD_CHECK_MS = 30_000; // a new run appears every training interval (minutes); checking twice a minute is plenty
// Fold-in weights: a like says more than a finished view, a finished view more than a partial one; skips push away.
const FOLD_COMPLETED = 1;
const FOLD_PARTIAL = 0.3;
const FOLD_LIKED = 1.5;
const FOLD_SKIPPED = -0.5;
const BLEND_LEARNED = 0.5; // a learned viewer's vector: half long-term, half the last minutes

export type Interaction = { viewer: number; video: number; label: number; weight: number };

type Matrix = {
  version: string;
  createdAt: number;
  videoIndex: Map<string, number>;
  videoIds: string[];
  videos: Float32Array;
  viewerIndex: Map<string, number>;
  viewers: Float32Array;
  /** Each video's row of `videos` as a view, made on first use: serving asks for ~500 a request. */
  videoViews: Array<Float32Array | undefined>;
};

type Cache = { matrix: Matrix | null; loading: Promise<void> | null; checkedAt: number };
const globalForEmbeddings = globalThis as unknown as { flickEmbeddings?: Cache };
function cache(): Cache {
  globalForEmbeddings.flickEmbeddings ??= { matrix: null, loading: null, checkedAt: 0 };
  return globalForEmbeddings.flickEmbeddings;
}

function pack(values: Float32Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(values.buffer as ArrayBuffer, values.byteOffset, values.byteLength);
}
function unpack(bytes: Uint8Array): Float32Array {
  // Copied into a fresh, aligned buffer: Prisma's Buffer may sit at an odd offset of a shared pool.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

type PairRow = { viewer: string; videoId: string; fraction: number | null; completed: boolean; liked: boolean; shared: boolean; skipped: boolean; notInterested: boolean };

async function loadInteractions(): Promise<PairRow[]> {
  const since = new Date(Date.now() - LOOKBACK_DAYS * 24 * 3600 * 1000);
  return getDb().$queryRaw<PairRow[]>`
    SELECT p.viewer, p."videoId",
      CASE WHEN v."durationMs" > 0 THEN least(1.0, p."watchedMs"::float / v."durationMs") END AS fraction,
      p.completed, p.liked, p.shared, p.skipped, p."notInterested"
    FROM (
      SELECT coalesce('u:' || e."userId", 'd:' || e."deviceId"::text) AS viewer, e."videoId",
        max(e."watchedMs") FILTER (WHERE e.type = 'PROGRESS') AS "watchedMs",
        bool_or(e.type = 'COMPLETE') AS completed,
        bool_or(e.type = 'LIKE') AS liked,
        bool_or(e.type = 'SHARE') AS shared,
        bool_or(e.type = 'SKIP') AS skipped,
        bool_or(e.type = 'NOT_INTERESTED') AS "notInterested",
        max(e.at) AS last
      FROM "Event" e
      LEFT JOIN "RecViewerReset" r ON r."viewerKey" = coalesce('u:' || e."userId", 'd:' || e."deviceId"::text)
      WHERE e.at >= ${since} AND (e."userId" IS NOT NULL OR e."deviceId" IS NOT NULL) AND (r.at IS NULL OR e.at > r.at)
        AND e.type IN ('PROGRESS', 'COMPLETE', 'LIKE', 'SHARE', 'SKIP', 'NOT_INTERESTED')
      GROUP BY 1, 2
      ORDER BY last DESC
      LIMIT ${MAX_INTERACTIONS}
    ) p
    JOIN "Video" v ON v.id = p."videoId"
    WHERE v.status = 'READY' AND v.visibility = 'PUBLIC' AND v.moderation = 'APPROVED'`;
}

/** How a pair went, as a label and a confidence; null when it says nothing. */
function pairOutcome(row: PairRow): { label: number; weight: number } | null {
  if (row.notInterested) return { label: 0, weight: NOT_INTERESTED_WEIGHT };
  const positive = (row.completed ? 1 : (row.fraction ?? 0)) + (row.liked ? 1 : 0) + (row.shared ? 1 : 0);
  if (row.skipped && !row.completed && !row.liked) return { label: 0, weight: SKIP_WEIGHT };
  if (positive > 0.1) return { label: 1, weight: positive };
  return null;
}

/**
 * Matrix factorisation by SGD with sampled negatives: a vector per viewer and per video whose dot product (plus biases
 * not kept) predicts how the pair went. Seeded, so the same interactions give the same vectors.
 */
export async function fitVectors(interactions: Interaction[], viewerCount: number, videoCount: number): Promise<{ viewers: Float32Array; videos: Float32Array }> {
  const random = seededRandom(7);
  const init = (count: number) => Float32Array.from({ length: count * EMBEDDING_DIM }, () => (random() * 2 - 1) * INIT_SCALE);
  const viewers = init(viewerCount);
  const videos = init(videoCount);
  // Per-video and per-viewer biases soak up popularity and how much someone watches at all, so the vectors are left
  // to encode taste: without them a handful of popular videos would be every viewer's nearest neighbours. They are
  // not stored: retrieval ranks by the dot product alone, and the ranker sees popularity through its stats features.
  const videoBias = new Float32Array(videoCount);
  const viewerBias = new Float32Array(viewerCount);
  const step = (u: number, v: number, label: number, weight: number) => {
    const uo = u * EMBEDDING_DIM;
    const vo = v * EMBEDDING_DIM;
    let dot = videoBias[v]! + viewerBias[u]!;
    for (let d = 0; d < EMBEDDING_DIM; d++) dot += viewers[uo + d]! * videos[vo + d]!;
    const p = 1 / (1 + Math.exp(-dot));
    const g = LEARNING_RATE * weight * (label - p);
    videoBias[v]! += g;
    viewerBias[u]! += g;
    for (let d = 0; d < EMBEDDING_DIM; d++) {
      const ud = viewers[uo + d]!;
      const vd = videos[vo + d]!;
      viewers[uo + d] = ud + g * vd - LEARNING_RATE * L2 * ud;
      videos[vo + d] = vd + g * ud - LEARNING_RATE * L2 * vd;
    }
  };
  const order = Array.from({ length: interactions.length }, (_, i) => i);
  let sinceYield = 0; // counted across epochs: a small instance's epoch is shorter than the interval
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let position = 0; position < order.length; position++) {
      // Other queues' jobs and BullMQ's lock renewals get a turn every few milliseconds (this runs in the worker).
      if (++sinceYield >= YIELD_EVERY_STEPS) {
        sinceYield = 0;
        await yieldToEventLoop();
      }
      const { viewer, video, label, weight } = interactions[order[position]!]!;
      step(viewer, video, label, Math.min(weight, 3));
      if (label !== 1) continue;
      for (let k = 0; k < NEGATIVES_PER_POSITIVE; k++) {
        const other = Math.floor(random() * videoCount);
        if (other !== video) step(viewer, other, 0, RANDOM_NEGATIVE_WEIGHT);
      }
    }
  }
  return { viewers, videos };
}

export type EmbeddingTrainResult = { version: string | null; viewers: number; videos: number; interactions: number; trainMs: number; message: string };

/** Learns viewer and video vectors from the events table and stores them as a new version. */
export async function trainEmbeddings(): Promise<EmbeddingTrainResult> {
  const started = Date.now();
  const rows = await loadInteractions();
  const viewerIndex = new Map<string, number>();
  const videoIndex = new Map<string, number>();
  const interactions: Interaction[] = [];
  for (const row of rows) {
    const outcome = pairOutcome(row);
    if (!outcome) continue;
    let viewer = viewerIndex.get(row.viewer);
    if (viewer === undefined) viewerIndex.set(row.viewer, (viewer = viewerIndex.size));
    let video = videoIndex.get(row.videoId);
    if (video === undefined) videoIndex.set(row.videoId, (video = videoIndex.size));
    interactions.push({ viewer, video, ...outcome });
  }
  if (interactions.length === 0 || videoIndex.size < 2) {
    return { version: null, viewers: 0, videos: 0, interactions: 0, trainMs: Date.now() - started, message: "not enough interactions to learn vectors" };
  }
  const videoCount = videoIndex.size;
  const { viewers, videos } = await fitVectors(interactions, viewerIndex.size, videoCount);
  // Random suffix from crypto, not the seeded generator: two runs on the same data in the same second must differ.
  const version = `e${new Date().toISOString().replace(/[-:.]/g, "").slice(0, 15)}-${randomBytes(3).toString("hex")}`;
  const db = getDb();
  await db.recEmbedding.create({
    data: {
      version,
      dim: EMBEDDING_DIM,
      videoIds: [...videoIndex.keys()],
      videoVectors: pack(videos),
      viewerKeys: [...viewerIndex.keys()],
      viewerVectors: pack(viewers),
      interactions: interactions.length,
    },
  });
  const old = await db.recEmbedding.findMany({ orderBy: { createdAt: "desc" }, skip: KEEP_VERSIONS, select: { version: true } });
  if (old.length) await db.recEmbedding.deleteMany({ where: { version: { in: old.map((row) => row.version) } } });
  const trainMs = Date.now() - started;
  getLogger().info({ version, viewers: viewerIndex.size, videos: videoCount, interactions: interactions.length, trainMs }, "embeddings trained");
  // This process sees its own run at once; others pick it up at their next check.
  await reloadEmbeddings();
  return {
    version,
    viewers: viewerIndex.size,
    videos: videoCount,
    interactions: interactions.length,
    trainMs,
    message: `learned ${viewerIndex.size} viewer and ${videoCount} video vectors from ${interactions.length} interactions in ${(trainMs / 1000).toFixed(1)} s`,
  };
}

/** Loads the newest stored version into memory now (if it is not the one loaded). */
export async function reloadEmbeddings(): Promise<void> {
  const c = cache();
  c.checkedAt = Date.now();
  const latest = await getDb().recEmbedding.findFirst({ orderBy: { createdAt: "desc" }, select: { version: true } });
  if (!latest || latest.version === c.matrix?.version) return;
  const row = await getDb().recEmbedding.findUnique({ where: { version: latest.version } });
  if (!row || row.dim !== EMBEDDING_DIM) return;
  c.matrix = {
    version: row.version,
    createdAt: row.createdAt.getTime(),
    videoIds: row.videoIds,
    videoIndex: new Map(row.videoIds.map((id, i) => [id, i])),
    videos: unpack(row.videoVectors),
    viewerIndex: new Map(row.viewerKeys.map((key, i) => [key, i])),
    viewers: unpack(row.viewerVectors),
    // Sized up front: filling an empty array at scattered indexes would turn it into a slow dictionary.
    videoViews: new Array<Float32Array | undefined>(row.videoIds.length),
  };
}

/** The in-memory matrix: loaded on first use, refreshed in the background when older than RELOAD_CHECK_MS. */
async function getMatrix(): Promise<Matrix | null> {
  const c = cache();
  const stale = Date.now() - c.checkedAt > RELOAD_CHECK_MS;
  if (stale && !c.loading) {
    c.loading = reloadEmbeddings()
      .catch((error) => getLogger().warn({ err: error }, "embeddings not reloaded; keeping the loaded ones"))
      .finally(() => {
        c.loading = null;
      });
  }
  if (!c.matrix && c.loading) await c.loading;
  return c.matrix;
}

/** The version of the vectors in memory (null before any run). */
export async function embeddingVersion(): Promise<string | null> {
  return (await getMatrix())?.version ?? null;
}

/** Learned vectors of the given videos; videos not learned yet are absent from the map. */
export async function loadVideoVectors(ids: string[]): Promise<Map<string, Float32Array>> {
  const vectorOf = await videoVectorLookup();
  const vectors = new Map<string, Float32Array>();
  for (const id of ids) {
    const vector = vectorOf(id);
    if (vector) vectors.set(id, vector);
  }
  return vectors;
}

/**
 * A video's learned vector by id (null when not learned yet), from the vectors in memory now: serving looks up
 * ~500 a request, so without building a map of them.
 */
export async function videoVectorLookup(): Promise<(videoId: string) => Float32Array | null> {
  const matrix = await getMatrix();
  if (!matrix) return () => null;
  return (videoId) => {
    const index = matrix.videoIndex.get(videoId);
    if (index === undefined) return null;
    return (matrix.videoViews[index] ??= matrix.videos.subarray(index * EMBEDDING_DIM, (index + 1) * EMBEDDING_DIM));
  };
}

function foldIn(matrix: Matrix, state: UserState): Float32Array | null {
  const sum = new Float32Array(EMBEDDING_DIM);
  let total = 0;
  const add = (videoId: string, weight: number) => {
    const index = matrix.videoIndex.get(videoId);
    if (index === undefined) return;
    for (let d = 0; d < EMBEDDING_DIM; d++) sum[d]! += weight * matrix.videos[index * EMBEDDING_DIM + d]!;
    if (weight > 0) total += weight;
  };
  for (const watch of state.recentWatches) add(watch.videoId, watch.completed ? FOLD_COMPLETED : FOLD_PARTIAL);
  for (const like of state.recentLikes) add(like.videoId, FOLD_LIKED);
  for (const skip of state.recentSkips) add(skip.videoId, FOLD_SKIPPED);
  if (total === 0) return null;
  for (let d = 0; d < EMBEDDING_DIM; d++) sum[d]! /= total;
  return sum;
}

const FORGET_TTL_SECONDS = 30 * 24 * 3600; // as long as the real-time state lives: a stale learned vector never outlives it
const forgetKey = (viewerKey: string) => `flick:recs:forget:${viewerKey}`;

/**
 * "Refresh your For You": the viewer's learned vector stops counting now (vectors learned before this moment are
 * ignored for them), and the next runs learn them only from what they do from now on (RecViewerReset).
 */
export async function forgetViewerVector(viewerKey: string): Promise<void> {
  const at = new Date();
  await getDb().recViewerReset.upsert({ where: { viewerKey }, create: { viewerKey, at }, update: { at } });
  await getRedis().set(forgetKey(viewerKey), String(at.getTime()), "EX", FORGET_TTL_SECONDS);
}

/** Whether the viewer refreshed their For You after this matrix was learned (their learned vector is then stale). */
async function forgotSince(viewerKey: string, matrix: Matrix): Promise<boolean> {
  const at = await getRedis().get(forgetKey(viewerKey)).catch(() => null);
  return at !== null && Number(at) >= matrix.createdAt;
}

/**
 * The viewer's vector: learned (blended with the fold-in of their recent activity when there is some), or only the
 * fold-in for a viewer not learned yet; null when neither exists (a brand-new viewer with no history).
 */
export async function loadViewerVector(viewerKey: string, state: UserState): Promise<Float32Array | null> {
  const matrix = await getMatrix();
  if (!matrix) return null;
  const recent = foldIn(matrix, state);
  const index = matrix.viewerIndex.get(viewerKey);
  if (index === undefined || (await forgotSince(viewerKey, matrix))) return recent;
  const learned = matrix.viewers.slice(index * EMBEDDING_DIM, (index + 1) * EMBEDDING_DIM);
  if (!recent) return learned;
  // Scaled so both halves weigh the same whatever their norms.
  const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  const scale = norm(learned) / norm(recent);
  return learned.map((x, d) => BLEND_LEARNED * x + (1 - BLEND_LEARNED) * recent[d]! * scale);
}

/** The k videos nearest the viewer's vector (highest dot product), skipping `exclude`; source "embedding". */
export async function embeddingCandidates(viewerKey: string, state: UserState, k: number, exclude: ReadonlySet<string>): Promise<Candidate[]> {
  const matrix = await getMatrix();
  if (!matrix || k <= 0) return [];
  const viewer = await loadViewerVector(viewerKey, state);
  if (!viewer) return [];
  // Top k by a bounded insertion list: k is a few hundred, and most scores fall below the current k-th at once.
  const topScores: number[] = [];
  const topIndex: number[] = [];
  const count = matrix.videoIds.length;
  for (let i = 0; i < count; i++) {
    const offset = i * EMBEDDING_DIM;
    let dot = 0;
    for (let d = 0; d < EMBEDDING_DIM; d++) dot += viewer[d]! * matrix.videos[offset + d]!;
    if (topScores.length === k && dot <= topScores[k - 1]!) continue;
    if (exclude.has(matrix.videoIds[i]!)) continue;
    let at = topScores.length;
    while (at > 0 && topScores[at - 1]! < dot) at--;
    topScores.splice(at, 0, dot);
    topIndex.splice(at, 0, i);
    if (topScores.length > k) {
      topScores.pop();
      topIndex.pop();
    }
  }
  // sourceScore must be ≥ 0: the logistic of the dot product, the model's probability that the viewer would engage.
  return topIndex.map((i, rank) => ({ videoId: matrix.videoIds[i]!, source: "embedding", sourceScore: 1 / (1 + Math.exp(-topScores[rank]!)) }));
}
