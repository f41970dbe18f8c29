// Simulated viewers driving the real HTTP API the way Flick's player does: GET /api/feed?tab=foryou (with
// ?strategy=), then for each video of the page the player's signals (impression, play, complete, progress {watchedMs,
// loops}, skip) and, when the viewer likes it, PUT /api/videos/:id/like followed by a "like" event, as
// components/feed/use-feed-actions.ts does. Events of a page go in one POST /api/events batch (the player flushes at
// 20 events or every 5 s), then the viewer "thinks" before asking for the next page, so the next page can reflect
// them (the real-time viewer state is updated within a second of each event). Simulated time is compressed: a page of
// eight videos takes about THINK_MS of wall time instead of a minute or two.
//
// The oracle is simulated here without HTTP: it knows every viewer's true current interests and serves the best
// unseen video of the whole catalogue.
import { randomUUID } from "node:crypto";
import { expectedWatchFraction, simulateView, utility, type Rng, type SimUser, type SimVideo, type View } from "./world";

// Between a page's events and the next feed request: the real-time viewer state takes up to a second to fold events.
export const THINK_MS = 1_100;
// Videos per feed request: the feed's own default page (lib/feed FEED_DEFAULT_LIMIT).
export const PAGE = 8;

export type CatalogueVideo = SimVideo & { id: string; creatorId: string; publishedAtMs: number };

export type Catalogue = {
  byId: Map<string, CatalogueVideo>;
  /** Every listed video (the oracle's choice set), growing as new videos are published during the run. */
  all: CatalogueVideo[];
};

export type Swipe = {
  videoId: string;
  /** Expected first-pass watch fraction of this video for this viewer's interests at that moment (noise left out). */
  quality: number;
  fraction: number;
  completed: boolean;
  liked: boolean;
  /** Served after this viewer's interest shift. */
  afterShift: boolean;
  at: number;
  /** Which of this viewer's feed requests served it (0-based), and how many items that page held. */
  page: number;
  pageSize: number;
};

export type SimViewer = {
  strategy: string;
  user: SimUser;
  userId: string;
  token: string;
  /** Swipe index (0-based) at which the interests become `shiftTo`, or null for none. */
  shiftAt: number | null;
  /** The interests after the shift: drawn once per viewer template, so every strategy faces the same shift. */
  shiftTo: Float32Array | null;
  /** The interests before the shift, once it has happened. */
  shiftedFrom?: Float32Array;
  swipes: Swipe[];
  failures: number;
};

export type Http = { baseUrl: string; failures: { feed: number; events: number; like: number }; requests: number };

type FeedItem = { id: string; feedRequestId: string; source: string; reason: string };
type FeedPage = { items: FeedItem[]; cursor: string | null };

async function requestJson(http: Http, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  http.requests += 1;
  const response = await fetch(`${http.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: response.status, json };
}

type EventInput = { id: string; type: string; videoId: string; at: number; source: string; feedRequestId: string; watchedMs?: number; loops?: number };

/**
 * One viewer's session over the API: `swipes` videos, page by page. The viewer reacts to each video with
 * simulateView (true utility + noise), and its interests shift at `shiftAt`.
 */
export async function runHttpSession(http: Http, viewer: SimViewer, catalogue: Catalogue, rng: Rng, swipes: number, onImpression: (video: CatalogueVideo, strategy: string) => void): Promise<void> {
  let cursor: string | null = null;
  let emptyPages = 0;
  let pages = 0;
  while (viewer.swipes.length < swipes) {
    const params = new URLSearchParams({ tab: "foryou", strategy: viewer.strategy, limit: String(PAGE) });
    if (cursor) params.set("cursor", cursor);
    let page: FeedPage | null = null;
    for (let attempt = 0; attempt < 2 && !page; attempt += 1) {
      const response = await requestJson(http, "GET", `/api/feed?${params}`, viewer.token).catch(() => null);
      if (response?.status === 200) page = response.json as FeedPage;
      else {
        http.failures.feed += 1;
        await sleep(500);
      }
    }
    if (!page) {
      viewer.failures += 1;
      return;
    }
    cursor = page.cursor;
    if (page.items.length === 0) {
      // Nothing unseen right now: a real viewer would leave; try again shortly a few times.
      emptyPages += 1;
      if (emptyPages > 3) return;
      await sleep(THINK_MS);
      continue;
    }
    const events: EventInput[] = [];
    for (const item of page.items) {
      if (viewer.swipes.length >= swipes) break;
      const video = catalogue.byId.get(item.id);
      if (!video) continue; // not a simulated video (cannot happen on a benchmark instance)
      shiftIfDue(viewer);
      const view = watch(viewer, video, rng, { page: pages, pageSize: page.items.length });
      onImpression(video, viewer.strategy);
      events.push(...playerEvents(item, view));
      if (view.liked) {
        const liked = await requestJson(http, "PUT", `/api/videos/${video.id}/like`, viewer.token).catch(() => null);
        if (liked?.status === 200) events.push(event("like", item, Date.now()));
        else http.failures.like += 1;
      }
    }
    pages += 1;
    const sent = await requestJson(http, "POST", "/api/events", viewer.token, { events }).catch(() => null);
    if (sent?.status !== 202 || ((sent.json as { rejected?: unknown[] }).rejected?.length ?? 0) > 0) http.failures.events += 1;
    await sleep(THINK_MS);
  }
}

function shiftIfDue(viewer: SimViewer): void {
  if (viewer.shiftAt !== null && viewer.shiftTo && viewer.swipes.length === viewer.shiftAt) {
    viewer.shiftedFrom = viewer.user.interests;
    viewer.user = { ...viewer.user, interests: viewer.shiftTo };
  }
}

/** The viewer watches a video: recorded as a swipe; returns the player's measurements of the view. */
function watch(viewer: SimViewer, video: CatalogueVideo, rng: Rng, page = { page: viewer.swipes.length, pageSize: 1 }): View {
  const view = simulateView(rng, viewer.user, video);
  viewer.swipes.push({
    videoId: video.id,
    quality: expectedWatchFraction(utility(viewer.user, video), video.durationSec),
    fraction: view.fraction,
    completed: view.completed,
    liked: view.liked,
    afterShift: viewer.shiftAt !== null && viewer.swipes.length >= viewer.shiftAt,
    at: Date.now(),
    ...page,
  });
  return view;
}

function event(type: string, item: FeedItem, at: number, extra: { watchedMs?: number; loops?: number } = {}): EventInput {
  return { id: randomUUID(), type, videoId: item.id, at, source: item.source === "following" ? "following" : "foryou", feedRequestId: item.feedRequestId, ...extra };
}

/** What components/events/use-watch-signals.ts sends for one view, in its order. */
function playerEvents(item: FeedItem, view: View): EventInput[] {
  const now = Date.now();
  const out = [event("impression", item, now), event("play", item, now)];
  if (view.completed) out.push(event("complete", item, now));
  out.push(event("progress", item, now, { watchedMs: view.watchedMs, loops: view.loops }));
  if (view.skipped) out.push(event("skip", item, now, { watchedMs: view.watchedMs }));
  return out;
}

/** The oracle: each swipe, the unseen video with the highest expected watch fraction for the true current interests. */
export function runOracleSession(viewer: SimViewer, catalogue: Catalogue, rng: Rng, swipes: number, onImpression: (video: CatalogueVideo, strategy: string) => void): void {
  const seen = new Set<string>();
  while (viewer.swipes.length < swipes) {
    shiftIfDue(viewer);
    let best: CatalogueVideo | null = null;
    let bestValue = -1;
    const now = Date.now();
    for (const video of catalogue.all) {
      if (seen.has(video.id) || video.publishedAtMs > now) continue;
      const value = expectedWatchFraction(utility(viewer.user, video), video.durationSec);
      if (value > bestValue) {
        bestValue = value;
        best = video;
      }
    }
    if (!best) return;
    seen.add(best.id);
    watch(viewer, best, rng);
    onImpression(best, viewer.strategy);
  }
}

// What the explorer takes as a hit: a view watched at least this far (first pass). A topic the viewer only half likes
// is a miss, or it would settle on one of their mild interests.
const EXPLORER_HIT = 0.6;

/**
 * The explorer: the bound on recovery for any recommender that, like Flick, does not know the new interests. It knows
 * what the oracle knows except the shift: every video's topic and quality and the viewer's interests as they were at
 * the start. It reacts to each view the moment it happens (no pages, no round trips). Until two views in a row miss,
 * it serves the oracle's pick for the interests it knows. From then on it picks a topic by what it has seen since:
 * (hits + 1) / (views + 2) for a topic tried, ½ for one not tried (ties by the interests it knew), among topics with
 * unseen videos, and serves that topic's best one; a topic watched stays, a topic missed gives way to an untried one.
 */
export function runExplorerSession(viewer: SimViewer, catalogue: Catalogue, rng: Rng, swipes: number, onImpression: (video: CatalogueVideo, strategy: string) => void): void {
  const known = { index: viewer.user.index, interests: new Float32Array(viewer.user.interests) };
  const seen = new Set<string>();
  const tried = new Map<number, { hits: number; views: number }>();
  let misses = 0;
  let exploring = false;
  const bestOf = (value: (video: CatalogueVideo) => number): CatalogueVideo | null => {
    let best: CatalogueVideo | null = null;
    let bestValue = -Infinity;
    const now = Date.now();
    for (const video of catalogue.all) {
      if (seen.has(video.id) || video.publishedAtMs > now) continue;
      const score = value(video);
      if (score > bestValue) {
        bestValue = score;
        best = video;
      }
    }
    return best;
  };
  const topicValue = (topic: number) => {
    const entry = tried.get(topic);
    return entry ? (entry.hits + 1) / (entry.views + 2) : 0.5 + 0.01 * known.interests[topic]!;
  };
  const note = (topic: number, hit: boolean) => {
    const entry = tried.get(topic) ?? { hits: 0, views: 0 };
    entry.views += 1;
    if (hit) entry.hits += 1;
    tried.set(topic, entry);
  };
  while (viewer.swipes.length < swipes) {
    shiftIfDue(viewer);
    let video: CatalogueVideo | null;
    if (!exploring) video = bestOf((candidate) => expectedWatchFraction(utility(known, candidate), candidate.durationSec));
    else {
      const open = new Set(catalogue.all.filter((candidate) => !seen.has(candidate.id)).map((candidate) => candidate.topic));
      const topic = [...open].sort((a, b) => topicValue(b) - topicValue(a))[0];
      // That topic's best video, short ones first among equals.
      video = topic === undefined ? null : bestOf((candidate) => (candidate.topic === topic ? 2 : 0) + candidate.quality - candidate.durationSec / 1000);
    }
    if (!video) return;
    seen.add(video.id);
    watch(viewer, video, rng);
    onImpression(video, viewer.strategy);
    const hit = viewer.swipes.at(-1)!.fraction >= EXPLORER_HIT;
    misses = hit ? 0 : misses + 1;
    if (exploring) note(video.topic, hit);
    else if (misses >= 2) {
      exploring = true;
      for (const swipe of viewer.swipes.slice(-misses)) note(catalogue.byId.get(swipe.videoId)!.topic, false);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// --- Metrics -------------------------------------------------------------------------------------------------------

// Curves are averaged over viewers per swipe index first, then smoothed with a centred moving mean of this many
// swipes (two either side): enough to damp one unlucky page, short enough not to blur a recovery of a few swipes.
export const SMOOTHING = 5;

/** Mean per swipe index over viewers (indices where at least one viewer has a swipe). */
export function meanCurve(rows: number[][]): number[] {
  const length = Math.max(0, ...rows.map((row) => row.length));
  return Array.from({ length }, (_, index) => {
    const values = rows.filter((row) => row.length > index).map((row) => row[index]!);
    return values.reduce((sum, value) => sum + value, 0) / values.length;
  });
}

export function smooth(curve: number[], window = SMOOTHING): number[] {
  const half = Math.floor(window / 2);
  return curve.map((_, index) => {
    const slice = curve.slice(Math.max(0, index - half), index + half + 1);
    return slice.reduce((sum, value) => sum + value, 0) / slice.length;
  });
}

export function mean(values: number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Gini coefficient of non-negative amounts (0 = equal exposure, → 1 = all to one). */
export function gini(amounts: number[]): number {
  const sorted = [...amounts].sort((a, b) => a - b);
  const n = sorted.length;
  const total = sorted.reduce((sum, value) => sum + value, 0);
  if (n === 0 || total === 0) return Number.NaN;
  let weighted = 0;
  sorted.forEach((value, index) => (weighted += (index + 1) * value));
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

/** First swipe (1-based) at which the smoothed curve reaches `share` × its final level, or null when it never does. */
export function swipesToReach(curve: number[], share: number, finalWindow: number): { swipes: number | null; final: number } {
  const smoothed = smooth(curve);
  const final = mean(curve.slice(-finalWindow));
  const index = smoothed.findIndex((value) => value >= share * final);
  return { swipes: index === -1 ? null : index + 1, final };
}
