// Per-viewer candidate lists: several hundred to ~2,000 videos from the named sources (lib/recs/sources), each tagged
// with its source, score and signal, stored in Redis with the time they were built. Rebuilt on a schedule for active
// viewers and shortly after a handful of new events from a viewer (the recs queue, lib/jobs/recs.ts); serving merges
// them with live sources read at request time, so a stale or missing list only costs some variety, never a page.
import { getDb } from "../db";
import { getUserState } from "../events";
import { seenKey } from "../feed/seen";
import { getLogger } from "../logger";
import { getRedis } from "../redis";
import { loadHiddenAuthorIds } from "../safety";
import { CANDIDATE_SOURCES, interleaveBySource, mergeCandidates } from "./sources";
import { CANDIDATES, KEYS } from "./config";
import { REC_SOURCES, type Candidate, type RecSource } from "./types";

/**
 * at: when the list was written; seenAt: when the viewer's seen set was read for it (the list holds nothing served
 * before then), null in lists written before it was recorded.
 */
export type StoredCandidates = { at: number; seenAt: number | null; items: Candidate[] };

/** Stored form: [videoId, source index, score, signal?] rows, compact to parse on every request. */
type StoredRow = [string, number, number, string?];

function encode(items: Candidate[], at: number, seenAt: number): string {
  const rows: StoredRow[] = items.map((item) => {
    const row: StoredRow = [item.videoId, REC_SOURCES.indexOf(item.source), Math.round(item.sourceScore * 1e4) / 1e4];
    if (item.signal) row.push(item.signal);
    return row;
  });
  return JSON.stringify({ at, seenAt, items: rows });
}

export function decodeCandidates(json: string | null): StoredCandidates | null {
  if (!json) return null;
  try {
    const parsed = JSON.parse(json) as { at: number; seenAt?: number; items: StoredRow[] };
    // A plain loop: this runs on every For You request over up to CANDIDATES.max rows.
    const items: Candidate[] = [];
    for (const [videoId, source, sourceScore, signal] of parsed.items) {
      const name = REC_SOURCES[source];
      if (!name) continue;
      items.push(signal ? { videoId, source: name, sourceScore, signal } : { videoId, source: name, sourceScore });
    }
    return { at: parsed.at, seenAt: parsed.seenAt ?? null, items };
  } catch {
    return null;
  }
}

/** Accounts a signed-in viewer follows ("u:<id>"); none for a device. */
export async function loadFollows(viewerKey: string): Promise<string[]> {
  if (!viewerKey.startsWith("u:")) return [];
  const rows = await getDb().follow.findMany({ where: { followerId: viewerKey.slice(2) }, select: { followeeId: true } });
  return rows.map((row) => row.followeeId);
}

/** Rebuilds one viewer's stored candidates from every source. */
export async function refreshCandidates(viewerKey: string): Promise<{ count: number; bySource: Record<string, number> }> {
  const redis = getRedis();
  const userId = viewerKey.startsWith("u:") ? viewerKey.slice(2) : null;
  // Taken before the seen set is read: whatever is served from now on may be missing from it, so serving checks those.
  const seenAt = Date.now();
  const [state, follows, seen, notInterested, hidden] = await Promise.all([
    getUserState(viewerKey),
    loadFollows(viewerKey),
    redis.zrange(seenKey(viewerKey), 0, -1),
    userId ? getDb().notInterested.findMany({ where: { userId }, select: { videoId: true } }) : [],
    userId ? loadHiddenAuthorIds(userId) : [],
  ]);
  const exclude = new Set([...seen, ...notInterested.map((row) => row.videoId)]);
  const context = { viewerKey, state, followsAuthorIds: follows, exclude, redis };
  const lists = await Promise.all(
    CANDIDATE_SOURCES.map((source) =>
      source.gather(context, CANDIDATES.perSource[source.name] ?? 200).catch((error: unknown) => {
        getLogger().warn({ err: error, source: source.name, viewerKey }, "recs: a candidate source failed");
        return [] as Candidate[];
      }),
    ),
  );
  const hiddenAuthors = new Set(hidden);
  let items = mergeCandidates(lists);
  // Own videos and hidden authors are known here only through the signals cache; serving checks again anyway.
  if (userId || hiddenAuthors.size > 0) {
    const authors = await redis.hmget(KEYS.signals, ...(items.length > 0 ? items.map((item) => item.videoId) : ["_"]));
    items = items.filter((item, index) => {
      const json = authors[index];
      if (!json) return false;
      const authorId = (JSON.parse(json) as { a: string }).a;
      return authorId !== userId && !hiddenAuthors.has(authorId);
    });
  }
  items = interleaveBySource(items, CANDIDATES.max);
  const now = Date.now();
  await redis
    .multi()
    .set(KEYS.candidates(viewerKey), encode(items, now, seenAt), "EX", CANDIDATES.ttlSeconds)
    .hdel(KEYS.pendingEvents, viewerKey)
    .exec();
  const bySource: Record<string, number> = {};
  for (const item of items) bySource[item.source] = (bySource[item.source] ?? 0) + 1;
  return { count: items.length, bySource };
}

/** A viewer's stored candidates, or null when none are stored. */
export async function readStoredCandidates(viewerKey: string): Promise<StoredCandidates | null> {
  return decodeCandidates(await getRedis().get(KEYS.candidates(viewerKey)));
}

/**
 * Notes new events per viewer (called by the user-state consumer after each batch): marks them active, and returns
 * the viewers who have sent a handful of events since their list was built (whose rebuild the caller enqueues).
 * Only events inside the active window count, by when they happened: a backlog the relay catches up on after an
 * outage holds hours of old events, and made every viewer in it "active" and due at once (a day of history at 10,000
 * viewers: 8,000 lists rebuilt every ten minutes for half an hour, for viewers long gone).
 */
export async function noteViewerEvents(events: ReadonlyArray<{ viewer: string; at: number }>, now = Date.now()): Promise<string[]> {
  const since = now - CANDIDATES.activeWindowMs;
  const activity = new Map<string, { count: number; lastAt: number }>();
  for (const event of events) {
    if (!event.viewer || event.at <= since) continue;
    const seen = activity.get(event.viewer);
    activity.set(event.viewer, { count: (seen?.count ?? 0) + 1, lastAt: Math.max(seen?.lastAt ?? 0, Math.min(event.at, now)) });
  }
  if (activity.size === 0) return [];
  const pipeline = getRedis().pipeline();
  // GT: a batch that arrives late never moves a viewer's last activity back.
  for (const [viewer, { count, lastAt }] of activity) pipeline.zadd(KEYS.active, "GT", lastAt, viewer).hincrby(KEYS.pendingEvents, viewer, count);
  const results = (await pipeline.exec()) ?? [];
  const due: string[] = [];
  [...activity.keys()].forEach((viewer, index) => {
    const [error, value] = results[index * 2 + 1] ?? [];
    if (!error && Number(value) >= CANDIDATES.eventsBeforeRefresh) due.push(viewer);
  });
  return due;
}

/** Viewers with an event in the active window whose stored list is stale or missing. */
export async function listViewersToRefresh(): Promise<string[]> {
  const redis = getRedis();
  const now = Date.now();
  await redis.zremrangebyscore(KEYS.active, "-inf", now - CANDIDATES.activeWindowMs);
  const viewers = await redis.zrange(KEYS.active, 0, -1);
  if (viewers.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const viewer of viewers) pipeline.get(KEYS.candidates(viewer));
  const results = (await pipeline.exec()) ?? [];
  return viewers.filter((_, index) => {
    const stored = decodeCandidates((results[index]?.[1] as string | null) ?? null);
    return !stored || now - stored.at > CANDIDATES.staleMs;
  });
}

/** Refreshes every active viewer whose list is stale, a few at a time. */
export async function refreshActiveViewers(): Promise<{ viewers: number }> {
  const viewers = await listViewersToRefresh();
  const concurrency = 4; // sources are Redis reads plus a few small queries; four at a time keeps the worker responsive
  for (let index = 0; index < viewers.length; index += concurrency) {
    await Promise.all(
      viewers.slice(index, index + concurrency).map((viewer) =>
        refreshCandidates(viewer).catch((error: unknown) => getLogger().warn({ err: error, viewer }, "recs: candidates not refreshed")),
      ),
    );
  }
  return { viewers: viewers.length };
}

export type { RecSource };
