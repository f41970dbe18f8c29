// The viewer's session: what their last few dozen views say, by hashtag and by creator, weighted by how recent they
// are in swipes (not in time). The long-term affinities (lib/events user state) decay over days, so after minutes of
// swiping past a topic they loved yesterday it still ranks first; the session notices by the next page. It is
// computed per request from the recent watch and skip lists the event stream keeps (no extra state to store or
// reset), with the hashtags and author of each video from the signals cache.
//
// A view's value runs from −1 (skipped at once) through 0 (half watched) to +1 (finished), a little more for
// replays; a tag's session score is the recency-weighted sum of its views' values over their weight plus one (so one
// view says less than five). Serving uses it twice: as ranker features (lib/recs/features.ts) and as a live source
// (the hashtags the viewer is finishing right now, lib/recs/strategies.ts).
import type { UserState } from "../events";

export const SESSION = {
  // The views that make a session: the last 30 (about four pages).
  window: 30,
  // A view's weight halves every 3 swipes back: four skips in a row outweigh the 26 finished views before them (at 5
  // it took six, and a viewer whose interests had moved sat through a second page of what they used to watch).
  halfLifeSwipes: 3,
  // Evidence: a tag's score is Σ w·v / (Σ w + PRIOR_WEIGHT), so a single view moves it only part of the way.
  priorWeight: 1,
  // Fewer views than this and the session says nothing yet (the features read 0, "session_active" 0).
  minViews: 3,
  replayBonus: 0.25,
  // The latest views kept as they are (SessionProfile.latest): when at least `missing` of them were skipped or barely
  // watched, the page is missing the viewer (their interests moved, or it guessed wrong): the next page is short
  // (lib/recs/serve.ts) and moves off the hashtags and creators of those views (lib/recs/rerank.ts).
  latest: 4,
  missing: 3,
} as const;

export type SessionView = { videoId: string; value: number };
export type SessionProfile = {
  /** hashtag → session score (about −1 … +1.5). */
  tags: ReadonlyMap<string, number>;
  /** authorId → session score. */
  creators: ReadonlyMap<string, number>;
  /** Views counted (≤ SESSION.window). */
  views: number;
  /** Values of the latest few views (SESSION.latest), newest first: how the page in front of the viewer is going. */
  latest: number[];
  /** When the page is missing (isMissing): the hashtags and creators of its missed views; empty otherwise. */
  missed: { tags: ReadonlySet<string>; creators: ReadonlySet<string> };
};

export const EMPTY_SESSION: SessionProfile = { tags: new Map(), creators: new Map(), views: 0, latest: [], missed: { tags: new Set(), creators: new Set() } };

/** At least SESSION.missing of the latest views were skipped or barely watched. */
export function isMissing(session: Pick<SessionProfile, "latest">): boolean {
  return session.latest.filter((value) => value < 0).length >= SESSION.missing;
}

/** The session's views, newest first, one per video: finished share mapped to −1 … +1.5; a skip is −1. */
export function sessionViews(state: UserState, durations: ReadonlyMap<string, number>): SessionView[] {
  const skipped = new Set(state.recentSkips.map((skip) => skip.videoId));
  const entries: Array<{ videoId: string; at: number; value: number }> = [];
  const seen = new Set<string>();
  for (const watch of state.recentWatches) {
    if (seen.has(watch.videoId)) continue; // newest first: a rewatch's latest view speaks
    seen.add(watch.videoId);
    const durationMs = (durations.get(watch.videoId) ?? 0) * 1000;
    const share = watch.completed ? 1 : durationMs > 0 ? Math.min(1, watch.watchedMs / durationMs) : 0.5;
    let value = 2 * share - 1 + (watch.completed ? SESSION.replayBonus * Math.min(watch.loops, 2) : 0);
    if (skipped.has(watch.videoId)) value = Math.min(value, -1);
    entries.push({ videoId: watch.videoId, at: watch.at, value });
  }
  // A skip whose progress event never arrived (closed tab, lost beacon) still counts.
  for (const skip of state.recentSkips) {
    if (seen.has(skip.videoId)) continue;
    seen.add(skip.videoId);
    entries.push({ videoId: skip.videoId, at: skip.at, value: -1 });
  }
  return entries
    .sort((a, b) => b.at - a.at)
    .slice(0, SESSION.window)
    .map(({ videoId, value }) => ({ videoId, value }));
}

/** Video ids whose hashtags and author the session needs (read with the request's signals). */
export function sessionVideoIds(state: UserState): string[] {
  const ids = new Set<string>();
  for (const watch of state.recentWatches) if (ids.size < SESSION.window) ids.add(watch.videoId);
  for (const skip of state.recentSkips.slice(0, SESSION.window)) ids.add(skip.videoId);
  return [...ids];
}

/** The session profile from the viewer's state and what is known of the videos in it (unknown videos are left out). */
export function sessionProfile(state: UserState, videos: ReadonlyMap<string, { authorId: string; hashtags: string[]; durationSec: number }>): SessionProfile {
  const durations = new Map([...videos].map(([id, video]) => [id, video.durationSec]));
  const views = sessionViews(state, durations).filter((view) => videos.has(view.videoId));
  const latestViews = views.slice(0, SESSION.latest);
  const latest = latestViews.map((view) => view.value);
  const missed = { tags: new Set<string>(), creators: new Set<string>() };
  if (isMissing({ latest })) {
    // Hashtags and creators of the missed views, less any on the good views among them (a hashtag on everything,
    // like #fyp, says nothing). Only these latest views: the ones before are from before the viewer moved on.
    const liked = { tags: new Set<string>(), creators: new Set<string>() };
    for (const view of latestViews.filter((entry) => entry.value > 0)) {
      const video = videos.get(view.videoId)!;
      for (const tag of video.hashtags) liked.tags.add(tag);
      liked.creators.add(video.authorId);
    }
    for (const view of latestViews.filter((entry) => entry.value < 0)) {
      const video = videos.get(view.videoId)!;
      for (const tag of video.hashtags) if (!liked.tags.has(tag)) missed.tags.add(tag);
      if (!liked.creators.has(video.authorId)) missed.creators.add(video.authorId);
    }
  }
  if (views.length < SESSION.minViews) return { ...EMPTY_SESSION, views: views.length, latest, missed };
  const tagSums = new Map<string, [sum: number, weight: number]>();
  const creatorSums = new Map<string, [sum: number, weight: number]>();
  const add = (sums: Map<string, [number, number]>, key: string, value: number, weight: number) => {
    const current = sums.get(key) ?? [0, 0];
    current[0] += weight * value;
    current[1] += weight;
    sums.set(key, current);
  };
  views.forEach((view, rank) => {
    const video = videos.get(view.videoId)!;
    const weight = Math.pow(2, -rank / SESSION.halfLifeSwipes);
    for (const tag of video.hashtags) add(tagSums, tag, view.value, weight);
    add(creatorSums, video.authorId, view.value, weight);
  });
  const scores = (sums: Map<string, [number, number]>) => new Map([...sums].map(([key, [sum, weight]]) => [key, sum / (weight + SESSION.priorWeight)]));
  return { tags: scores(tagSums), creators: scores(creatorSums), views: views.length, latest, missed };
}

/** The session's best hashtags right now (score above `min`), strongest first. */
export function sessionTopTags(session: SessionProfile, count: number, min = 0.2): Array<{ name: string; score: number }> {
  return [...session.tags]
    .filter(([, score]) => score > min)
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, score]) => ({ name, score }));
}
