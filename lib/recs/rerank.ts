// Re-ranking a scored request into a page: the same creator never within a few positions, the same hashtag pushed
// back when it just appeared (a page is not one topic eight times), and the reserved exploration slots filled with
// the least-served pool videos, whatever their score (that is what guarantees a new video its first audience).
import { SERVING } from "./config";
import type { Candidate, VideoSignals } from "./types";

export type Scored = { candidate: Candidate; video: VideoSignals; score: number };

/** Positions of a page of `limit` items reserved for exploration: spread evenly, never the very first item. */
export function explorationPositions(limit: number, slots: number): Set<number> {
  const positions = new Set<number>();
  for (let k = 1; k <= slots; k += 1) positions.add(Math.max(Math.min(limit - 1, Math.floor((k * limit) / (slots + 1))), limit > 1 ? 1 : 0));
  return positions;
}

/**
 * Orders `count` items: at the exploration positions of the first `pageSize`, the next exploration video; elsewhere
 * the best remaining item by score, less a penalty for repeating a recent hashtag, skipping creators just shown.
 */
export function rerank(ranked: Scored[], exploration: Scored[], options: { count: number; pageSize: number; slots: number }): Scored[] {
  const reserved = explorationPositions(options.pageSize, options.slots);
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
    const recentTags = new Set(out.slice(-SERVING.hashtagGap).flatMap((item) => item.video.hashtags));
    let bestIndex = -1;
    let bestValue = -Infinity;
    let fallbackIndex = -1;
    for (let index = 0, looked = 0; index < remaining.length && looked < window; index += 1) {
      const item = remaining[index]!;
      if (used.has(item.candidate.videoId)) continue;
      looked += 1;
      if (fallbackIndex < 0) fallbackIndex = index;
      if (recentCreators.has(item.video.authorId)) continue;
      const repeats = item.video.hashtags.filter((tag) => recentTags.has(tag)).length;
      const value = item.score - SERVING.hashtagPenalty * Math.min(repeats, 2);
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

function takeFirst(list: Scored[], used: Set<string>): Scored | undefined {
  while (list.length > 0) {
    const next = list.shift()!;
    if (!used.has(next.candidate.videoId)) return next;
  }
  return undefined;
}
