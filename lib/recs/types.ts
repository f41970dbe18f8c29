// The recommender's shared vocabulary: what serving (candidates, re-ranking, the feed) hands the model (features,
// ranker, training) and back. Serving gathers the raw signals of a request into FeatureInput rows; the model turns
// each row into a fixed-length vector (featurize) and scores a whole request's rows in one batched ONNX call. The
// same FeatureInput → vector mapping is used at training time, from the vectors logged when items were served
// (RecServed), so training and serving never disagree about what a feature means.
import type { UserState } from "../events";
import type { SessionProfile } from "./session";

/** Named recall sources; every candidate carries the one that found it (the first, if several did). */
export const REC_SOURCES = [
  "following", // recent videos of accounts the viewer follows
  "trending", // time-decayed engagement over the whole instance
  "coengagement", // item-to-item neighbours of what the viewer recently completed or liked
  "embedding", // nearest videos to the viewer's learned vector
  "hashtag", // top videos of the viewer's strongest hashtags
  "creator", // videos of creators the viewer has affinity with
  "exploration", // the fresh-video traffic pools (a guaranteed first audience)
  "newcomer", // popular-for-newcomers, for cold start
] as const;
export type RecSource = (typeof REC_SOURCES)[number];

export type Candidate = {
  videoId: string;
  source: RecSource;
  /** The source's own score (trending score, neighbour similarity, affinity, …), ≥ 0, comparable within a source. */
  sourceScore: number;
  /** The signal behind it, for the explanation: "#cooking", "@ana", a video id it neighbours. */
  signal?: string;
};

/** The prediction heads of the ranker, in the order of its output columns. */
export const HEADS = ["complete", "watch", "like", "share", "follow", "negative"] as const;
export type Head = (typeof HEADS)[number];

/** Dimensions of the learned interaction vectors (users and videos). */
export const EMBEDDING_DIM = 16;

/** What the recommender knows about a video at request time. */
export type VideoSignals = {
  videoId: string;
  authorId: string;
  hashtags: string[];
  durationSec: number;
  ageHours: number;
  /** Media pipeline features (VideoFeatures), null when not extracted. */
  content: { loudnessLufs: number | null; sceneCutRate: number; motion: number; brightness: number; colorfulness: number; aspect: number } | null;
  /** Performance over all viewers (from folded events and social tables). */
  stats: { impressions: number; plays: number; completes: number; skips: number; likes: number; shares: number; comments: number; follows: number; meanWatchFraction: number };
  /** Learned interaction vector (EMBEDDING_DIM), null until the video has been learned. */
  embedding: Float32Array | null;
};

/** What the recommender knows about the viewer at request time. */
export type ViewerSignals = {
  viewerKey: string;
  /** Real-time state from the event stream (lib/events getUserState). */
  state: UserState;
  /** What the last few dozen views say by hashtag and creator (lib/recs/session.ts). */
  session: SessionProfile;
  /** Learned long-term vector (EMBEDDING_DIM), null for a viewer not learned yet. */
  embedding: Float32Array | null;
  followsAuthorIds: ReadonlySet<string>;
  device: "mobile" | "desktop" | "unknown";
  /** Local hour 0–23 of the request (server hour when unknown). */
  hour: number;
};

/**
 * One candidate of one request, everything featurize needs. Serving passes the video's learned vector apart
 * (videoEmbedding) and leaves `video` as the signals cache shares it between requests; without it, video.embedding.
 */
export type FeatureInput = { viewer: ViewerSignals; video: VideoSignals; candidate: Candidate; videoEmbedding?: Float32Array | null };

/** Scores for n rows: one column per head, and the weighted fusion the feed orders by. */
export type RankerScores = { version: string; heads: Record<Head, Float32Array>; fused: Float32Array };

export type Ranker = {
  /** Registry version of the model ("prior" before the first trained model). */
  version: string;
  /** Scores n featurized rows (row-major n × FEATURE_COUNT) in one batched call. */
  score(rows: Float32Array, n: number): Promise<RankerScores>;
};
