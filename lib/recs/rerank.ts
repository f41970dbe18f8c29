// Re-ranking a scored request into a page: the same creator never within a few positions, the same hashtag pushed
// back when it just appeared (a page is not one topic eight times), and the reserved exploration slots filled with
// the least-served pool videos, whatever their score (that is what guarantees a new video its first audience).
import { SERVING } from "./config";
import { isMissing, type SessionProfile } from "./session";
import type { Candidate, VideoSignals } from "./types";

export type Scored = { candidate: Candidate; video: VideoSignals; score: number };

/**
 * Positions of a page of `limit` items reserved for exploration: spread evenly, never the very first item; with
 * `last`, the page's last positions (a short page leads with its best guesses).
 */
export function explorationPositions(limit: number, slots: number, last = false): Set<number> {
  if (last) return new Set(Array.from({ length: Math.min(slots, limit) }, (_, k) => limit - 1 - k));
  const positions = new Set<number>();
  for (let k = 1; k <= slots; k += 1) positions.add(Math.max(Math.min(limit - 1, Math.floor((k * limit) / (slots + 1))), limit > 1 ? 1 : 0));
  return positions;
}

// Exploration slot: how much a pool video's owed share of its batch (0–1, jittered ±25 %, lib/recs/exploration.ts)
// counts next to its predicted score (a fused sum of head probabilities, about 0–3). Owed comes first, so every pool
// video gets its batch; among similarly owed ones the viewer's likeliest watch wins. (bench:recs, 12 new videos, 32
// viewers: impressions per new video 26–28 ordered by owed share alone, 17–20 at weight 1, 21–23 at weight 3.)
const EXPLORATION_OWED_WEIGHT = 3;
// A promoted pool video (pool 1 and up) needs a predicted score of at least this share of the page's weakest ranked
// pick. (bench:recs runs 21–23: after-50 / oracle 0.884, 0.846, 0.848 against 0.872, 0.850, 0.804 without; within
// the run-to-run spread, new videos' impressions unchanged.)
const PROMOTED_FIT = 0.8;

/**
 * The pool videos in the order the exploration slots take them, `predicted` being each one's ranker score: by that
 * plus how much of its batch is still owed. A promoted video (pool 1 and up: its first audience watched it) is only
 * offered to a viewer likely to watch it about as much as the page's own picks (the `pageSize`-th best of `ranked`);
 * pool 0, a new video's guaranteed first audience, is offered to anyone.
 */
export function orderExploration(predicted: Scored[], ranked: Scored[], pageSize: number): Scored[] {
  const scores = ranked.map((item) => item.score).sort((a, b) => b - a);
  const weakest = pageSize > 0 && scores.length >= pageSize ? scores[pageSize - 1]! : null;
  // (a fused score can be negative: the floor is below the weakest pick either way)
  const floor = weakest === null ? -Infinity : weakest - (1 - PROMOTED_FIT) * Math.abs(weakest);
  return predicted
    .filter((item) => item.candidate.signal === "pool 0" || item.score >= floor)
    .map((item) => ({ ...item, score: item.score + EXPLORATION_OWED_WEIGHT * item.candidate.sourceScore }))
    .sort((a, b) => b.score - a.score);
}

/**
 * Orders `count` items: at the exploration positions of the first `pageSize`, the next exploration video; elsewhere
 * the best remaining item by score, less a penalty for repeating a recent hashtag, skipping creators just shown.
 */
export function rerank(
  ranked: Scored[],
  exploration: Scored[],
  options: { count: number; pageSize: number; slots: number; slotsLast?: boolean; session?: SessionProfile },
): Scored[] {
  const reserved = explorationPositions(options.pageSize, options.slots, options.slotsLast);
  // Session penalties are worked out for the items the loop looks at (the best hundred or so), not all ~400.
  const misses = new Map<Scored, number>();
  const missOf = (item: Scored) => {
    let penalty = misses.get(item);
    if (penalty === undefined) misses.set(item, (penalty = options.session ? sessionMiss(item.video, options.session) : 0));
    return penalty;
  };
  const exploring = options.session ? isMissing(options.session) : false;
  const remaining = [...ranked].sort((a, b) => b.score - a.score);
  const explore = [...exploration];
  const used = new Set<string>();
  const out: Scored[] = [];
  const window = 60; // looking further down the list for variety costs little and is rarely needed
  while (out.length < options.count) {
    const position = out.length;
    if (reserved.has(position % options.pageSize) && position < options.pageSize) {
      const next = takeFirst(explore, used);
      if (next) {
        out.push(next);
        used.add(next.candidate.videoId);
        continue;
      }
    }
    const creatorWindow = SERVING.creatorGap - 1;
    const recentCreators = new Set(creatorWindow > 0 ? out.slice(-creatorWindow).map((item) => item.video.authorId) : []);
    // A page that is missing the viewer spreads over as many hashtags as it can (every one may be the new interest).
    const recentTags = new Set(out.slice(exploring ? -options.pageSize : -SERVING.hashtagGap).flatMap((item) => item.video.hashtags));
    let bestIndex = -1;
    let bestValue = -Infinity;
    let fallbackIndex = -1;
    for (let index = 0, looked = 0; index < remaining.length && looked < window; index += 1) {
      const item = remaining[index]!;
      if (used.has(item.candidate.videoId)) continue;
      looked += 1;
      if (fallbackIndex < 0) fallbackIndex = index;
      if (recentCreators.has(item.video.authorId)) continue;
      let repeats = 0;
      for (const tag of item.video.hashtags) if (recentTags.has(tag)) repeats += 1;
      const value = item.score - SERVING.hashtagPenalty * Math.min(repeats, 2) - missOf(item);
      if (value > bestValue) {
        bestValue = value;
        bestIndex = index;
      }
    }
    const index = bestIndex >= 0 ? bestIndex : fallbackIndex;
    if (index < 0) {
      // Nothing ranked left: whatever exploration remains still makes a page.
      const next = takeFirst(explore, used);
      if (!next) break;
      out.push(next);
      used.add(next.candidate.videoId);
      continue;
    }
    const [item] = remaining.splice(index, 1);
    out.push(item!);
    used.add(item!.candidate.videoId);
  }
  return out;
}

/**
 * What this session is skipping, as a score penalty for a video: the best session score among its hashtags when that
 * is negative (every one of its topics is being swiped away right now), and half its creator's when negative. The
 * model weighs the session too, but it learns from the instance's history, where a viewer's long-term favourites are
 * mostly watched; when they stop being watched, this makes the very next page move off them, as a "Not interested"
 * would.
 */
function sessionMiss(video: VideoSignals, session: SessionProfile): number {
  let best: number | null = null;
  for (const tag of video.hashtags) {
    const score = session.tags.get(tag);
    if (score !== undefined) best = best === null ? score : Math.max(best, score);
  }
  const creator = session.creators.get(video.authorId) ?? 0;
  let penalty = SERVING.sessionMissPenalty * (Math.max(0, -(best ?? 0)) + 0.5 * Math.max(0, -creator));
  if (video.hashtags.some((tag) => session.missed.tags.has(tag))) penalty += SERVING.missedPenalty;
  if (session.missed.creators.has(video.authorId)) penalty += 0.5 * SERVING.missedPenalty;
  return penalty;
}

function takeFirst(list: Scored[], used: Set<string>): Scored | undefined {
  while (list.length > 0) {
    const next = list.shift()!;
    if (!used.has(next.candidate.videoId)) return next;
  }
  return undefined;
}
