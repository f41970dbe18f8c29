// The "prior" ranker: what serves before any model was trained (or when the registry cannot be read). One layer,
// features → heads logits → Sigmoid, with weights set by hand from what short-video products know: affinity with the
// video's hashtags and creator, following the author, and a video's own completion and watch rates predict watching;
// recent skips of the same tags or creator, and a video's high skip rate, predict a fast skip; what this session
// finished or skipped says the same, louder. Written through the same
// ONNX writer as trained models, so serving always runs ONNX.
import { FEATURE_COUNT, FEATURE_NAMES } from "../features";
import { HEADS, type Head } from "../types";
import type { MlpWeights } from "./writer";

export const PRIOR_VERSION = "prior";

// Base rates as logits: the head's probability for a row with no signal at all.
const BIAS: Record<Head, number> = {
  complete: -0.85, // ≈ 30 %
  watch: -0.2, // ≈ 45 % of the video
  like: -2.9, // ≈ 5 %
  share: -4.6, // ≈ 1 %
  follow: -5.3, // ≈ 0.5 %
  negative: -0.85, // ≈ 30 % fast skips
};

// Per feature, how much one unit moves each head's logit. Features not listed carry 0.
const WEIGHTS: Record<string, Partial<Record<Head, number>>> = {
  tag_affinity_max: { complete: 1.5, watch: 1.5, like: 1.2, share: 0.8, follow: 0.5, negative: -1.5 },
  tag_affinity_sum: { complete: 0.5, watch: 0.5, like: 0.4, negative: -0.5 },
  tag_affinity_min: { negative: -0.8 },
  tag_disliked: { complete: -0.6, watch: -0.6, negative: 1.0 },
  creator_affinity: { complete: 1.2, watch: 1.2, like: 1.0, share: 0.5, follow: 1.0, negative: -1.2 },
  creator_disliked: { complete: -0.8, watch: -0.8, negative: 1.2 },
  follows_author: { complete: 0.6, watch: 0.6, like: 0.6, follow: -3, negative: -0.5 },
  // This session (lib/recs/session.ts) outweighs days of affinity when the two disagree: a topic skipped five times in
  // a row is not wanted now, whatever last week said; something new is worth a try once the known ones are skipped.
  session_tag_max: { complete: 1.5, watch: 1.5, like: 0.6, negative: -1.5 },
  session_tag_min: { complete: 1.5, watch: 1.5, negative: -2 },
  session_creator: { complete: 0.8, watch: 0.8, like: 0.4, follow: 0.3, negative: -0.8 },
  session_novel: { complete: 0.3, watch: 0.3 },
  video_skipped_recently: { complete: -1.5, watch: -1.5, negative: 2 },
  video_watched_recently: { complete: -0.5, watch: -0.5, negative: 0.5 },
  video_completion_rate: { complete: 3, watch: 1.5, negative: -1 },
  video_watch_fraction: { complete: 1.5, watch: 3, negative: -1.5 },
  video_like_rate: { like: 8, share: 2 },
  video_share_rate: { share: 10 },
  video_follow_rate: { follow: 15 },
  video_skip_rate: { complete: -1.5, watch: -1.5, negative: 3 },
  video_is_short: { complete: 0.8 },
  video_duration: { complete: -0.8, watch: -0.3 },
  embedding_cosine: { complete: 1, watch: 1, like: 0.5, negative: -1 },
  source_following: { watch: 0.2 },
};

/** The prior's weights: a single dense layer from FEATURE_COUNT features to the heads. */
export function priorWeights(): MlpWeights {
  const weight = new Array<number>(FEATURE_COUNT * HEADS.length).fill(0);
  for (const [row, name] of FEATURE_NAMES.entries()) {
    const perHead = WEIGHTS[name];
    if (!perHead) continue;
    for (const [column, head] of HEADS.entries()) weight[row * HEADS.length + column] = perHead[head] ?? 0;
  }
  return { layers: [{ inputs: FEATURE_COUNT, outputs: HEADS.length, weight, bias: HEADS.map((head) => BIAS[head]) }] };
}
