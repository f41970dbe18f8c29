// The hand-weighted score serving ranks by until the learned model is wired (and falls back to when the model cannot
// be loaded): an honest, readable blend of what FeatureInput carries. Affinities with the video's hashtags and creator
// (the viewer's real-time state), following, the video's performance over all viewers (smoothed so a handful of plays
// cannot dominate), the recall source's own confidence, and freshness. Each term is squashed to about [0, 1] so
// the weights say how much each one matters.
import type { FeatureInput, RecSource } from "./types";

export const HEURISTIC_VERSION = "heuristic-1";

const WEIGHTS = {
  hashtag: 1.2, // what the viewer watched to the end or liked lately, by topic: the strongest short-term signal
  creator: 0.9, // the same, by creator
  follows: 0.5, // an explicit, long-term choice
  completion: 0.8, // how often anyone finishes it (smoothed)
  watch: 0.5, // how much of it people watch (smoothed)
  likes: 0.4, // likes, shares and comments per play (smoothed)
  source: 0.35, // the recall source's own score
  freshness: 0.15, // newer first, all else equal
} as const;
// Smoothing: every video starts as if it had PRIOR_PLAYS plays at the prior rates.
const PRIOR_PLAYS = 8;
const PRIOR_COMPLETION = 0.3;
const PRIOR_WATCH = 0.5;
const PRIOR_ENGAGEMENT = 0.05;
// Affinity scores are event weights summed with decay (a complete ≈ 1, a like ≈ 2): ~3 is "clearly into it".
const AFFINITY_SCALE = 3;
// How much a source's own score is trusted, relative to the others.
const SOURCE_TRUST: Record<RecSource, number> = {
  following: 0.9,
  hashtag: 0.8,
  creator: 0.8,
  coengagement: 1,
  embedding: 1,
  exploration: 0.3,
  newcomer: 0.6,
  trending: 0.5,
};

export type HeuristicTerms = Record<keyof typeof WEIGHTS, number>;

/** Each term's contribution (already weighted) for one row. */
export function heuristicTerms(input: FeatureInput): HeuristicTerms {
  const { viewer, video, candidate } = input;
  let tagSum = 0;
  if (video.hashtags.length > 0) {
    for (const tag of video.hashtags) tagSum += tagAffinity(viewer, tag);
    tagSum /= Math.sqrt(video.hashtags.length);
  }
  const creator = viewer.state.creators.find((entry) => entry.userId === video.authorId)?.score ?? 0;
  const s = video.stats;
  const completion = (Math.min(s.completes, s.plays) + PRIOR_PLAYS * PRIOR_COMPLETION) / (s.plays + PRIOR_PLAYS);
  const watch = (Math.min(s.meanWatchFraction, 1.5) * s.plays + PRIOR_PLAYS * PRIOR_WATCH) / (s.plays + PRIOR_PLAYS);
  const engagement = (s.likes + 2 * s.shares + s.comments + PRIOR_PLAYS * PRIOR_ENGAGEMENT) / (s.plays + PRIOR_PLAYS);
  return {
    hashtag: WEIGHTS.hashtag * Math.tanh(tagSum / AFFINITY_SCALE),
    creator: WEIGHTS.creator * Math.tanh(creator / AFFINITY_SCALE),
    follows: WEIGHTS.follows * (viewer.followsAuthorIds.has(video.authorId) ? 1 : 0),
    completion: WEIGHTS.completion * completion,
    watch: WEIGHTS.watch * Math.min(watch, 1),
    likes: WEIGHTS.likes * Math.tanh(engagement * 5),
    source: WEIGHTS.source * SOURCE_TRUST[candidate.source] * Math.min(Math.max(candidate.sourceScore, 0), 1),
    freshness: WEIGHTS.freshness / (1 + video.ageHours / 48),
  };
}

/** Scores for n rows. */
export function heuristicScores(inputs: FeatureInput[]): Float32Array {
  const scores = new Float32Array(inputs.length);
  inputs.forEach((input, index) => {
    const terms = heuristicTerms(input);
    let sum = 0;
    for (const value of Object.values(terms)) sum += value;
    scores[index] = sum;
  });
  return scores;
}

/** The viewer's hashtag with the strongest affinity among the video's, when it is a real interest. */
export function strongestHashtag(input: FeatureInput): string | null {
  let best: string | null = null;
  let bestScore = 0.5; // below about half a completed view, it is not an interest worth naming
  for (const tag of input.video.hashtags) {
    const score = tagAffinity(input.viewer, tag);
    if (score > bestScore) {
      best = tag;
      bestScore = score;
    }
  }
  return best;
}

function tagAffinity(viewer: FeatureInput["viewer"], tag: string): number {
  const cache = tagMaps.get(viewer) ?? new Map(viewer.state.hashtags.map((entry) => [entry.name, entry.score]));
  tagMaps.set(viewer, cache);
  return cache.get(tag) ?? 0;
}
const tagMaps = new WeakMap<FeatureInput["viewer"], Map<string, number>>();
