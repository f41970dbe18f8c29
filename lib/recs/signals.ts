// The per-video signals cache: what the ranker needs to know about a video (author, hashtags, duration, age, content
// features, performance), one compact JSON per listed video in a Redis hash, written by the index build
// (lib/recs/indexes.ts) and read per request, each entry decoded once per process until a build changes it. A video
// missing from the hash is not listed (or is newer than the last build): serving reads those few from PostgreSQL
// (loadSignalsFromDb).
import { Prisma, queryRows } from "../db";
import { START } from "../events/cursor";
import { getRedis } from "../redis";
import { LISTED_SQL } from "../videos/listed";
import { KEYS } from "./config";
import type { VideoSignals } from "./types";

/** Stored form: short keys, publish time instead of age (age is computed when read). */
export type StoredSignals = {
  a: string;
  h: string[];
  d: number;
  p: number;
  c: VideoSignals["content"];
  /** impressions, plays, completes, skips, likes, shares, comments, follows, meanWatchFraction */
  s: [number, number, number, number, number, number, number, number, number];
};

export function encodeSignals(signals: Omit<VideoSignals, "ageHours" | "embedding"> & { publishedMs: number }): string {
  const { stats } = signals;
  const stored: StoredSignals = {
    a: signals.authorId,
    h: signals.hashtags,
    d: signals.durationSec,
    p: signals.publishedMs,
    c: signals.content,
    s: [stats.impressions, stats.plays, stats.completes, stats.skips, stats.likes, stats.shares, stats.comments, stats.follows, round(stats.meanWatchFraction)],
  };
  return JSON.stringify(stored);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

// Decoded signals, in this process: a video in many viewers' candidates (trending, a popular hashtag) was read and
// parsed again on every request that held it (~400 per For You request, ~120 kB from Redis and 1-2 ms of JSON.parse
// at 100k videos). An entry stays until an index build changes it: each build that changes the hash appends the
// changed ids to a change log (KEYS.signalsChanges, "reset" when it wrote the hash whole) and moves the version in
// KEYS.meta; a request that finds a new version drops just those ids (everything after a reset, or when it fell
// further behind than the log reaches). Each request asks Redis only the version and the ids this process lacks.
// Each entry also keeps the VideoSignals it was last read as, shared by the requests that read it within
// AGE_REUSE_MS (a video's age then moves by at most that much: a minute on a log scale of hours, nothing the ranker
// tells apart), so a request does not build ~500 objects anew. Shared: nothing may modify a VideoSignals.
const MAX_DECODED = 50_000; // ~25 MB of decoded signals; beyond it the oldest are dropped
const AGE_REUSE_MS = 60_000;
type Decoded = { stored: StoredSignals; signals: VideoSignals | null; at: number };
const decoded: { version: string | null; entries: Map<string, Decoded> } = { version: null, entries: new Map() };

/** The entry's VideoSignals as of `now`: the one made within AGE_REUSE_MS, else a new one (kept for the next). */
function signalsOf(videoId: string, entry: Decoded, now: number): VideoSignals {
  if (entry.signals && now - entry.at < AGE_REUSE_MS) return entry.signals;
  entry.signals = toVideoSignals(videoId, entry.stored, now);
  entry.at = now;
  return entry.signals;
}

function toVideoSignals(videoId: string, stored: StoredSignals, now: number): VideoSignals {
  const [impressions, plays, completes, skips, likes, shares, comments, follows, meanWatchFraction] = stored.s;
  return {
    videoId,
    authorId: stored.a,
    hashtags: stored.h,
    durationSec: stored.d,
    ageHours: Math.max(0, (now - stored.p) / 3_600_000),
    content: stored.c,
    stats: { impressions, plays, completes, skips, likes, shares, comments, follows, meanWatchFraction },
    // Not cached here: serving takes the learned vector from the in-memory matrix (loadVideoVectors).
    embedding: null,
  };
}

/** Which version of the signals cache is current: a request asks once and passes it to readSignals. */
export function signalsVersion(): Promise<string | null> {
  return getRedis().hget(KEYS.meta, "signalsVersion");
}

/** Whether change-log id `a` ("<ms>-<seq>") is older than `b`. */
function isOlderVersion(a: string, b: string): boolean {
  const [aMs = 0, aSeq = 0] = a.split("-").map(Number);
  const [bMs = 0, bSeq = 0] = b.split("-").map(Number);
  return aMs < bMs || (aMs === bMs && aSeq < bSeq);
}

/** Brings this process's decoded entries up to `version`: drops what the builds since changed. */
async function followChanges(version: string | null): Promise<void> {
  const from = decoded.version;
  if (version === from) return;
  // A request that asked for the version just before a build, when another has caught up with that build since: the
  // entries are newer than it asked for, which is fine (without this, every build emptied the cache once more).
  if (version !== null && from !== null && isOlderVersion(version, from)) return;
  const log = from !== null && version !== null ? await getRedis().xrange(KEYS.signalsChanges, from, version) : [];
  if (decoded.version !== from) return; // another request of this process caught up meanwhile
  // The log must still hold our own version (else it was trimmed past us) and no build since may have been whole.
  if (log[0]?.[0] !== from || log.some(([, fields]) => fields[0] !== "ids")) decoded.entries.clear();
  else for (const [, fields] of log.slice(1)) for (const id of (fields[1] ?? "").split(",")) decoded.entries.delete(id);
  decoded.version = version;
}

/**
 * Signals of the listed videos among `ids` from the cache, by id (in no particular order); missing ids are absent.
 * `build` is signalsVersion()'s answer when the caller has it (a For You request reads signals twice), else it is
 * asked here. The objects may be shared with other requests: read them, never change them.
 */
export async function readSignals(ids: string[], build?: string | null): Promise<Map<string, VideoSignals>> {
  const out = new Map<string, VideoSignals>();
  if (ids.length === 0) return out;
  const redis = getRedis();
  await followChanges(build === undefined ? await signalsVersion() : build);
  const now = Date.now();
  const missing: string[] = [];
  for (const id of ids) {
    const entry = decoded.entries.get(id);
    if (entry) out.set(id, signalsOf(id, entry, now));
    else missing.push(id);
  }
  if (missing.length === 0) return out;
  const version = decoded.version;
  const values = await redis.hmget(KEYS.signals, ...missing);
  // Read before a build that another request of this process has caught up with since: used once, not kept.
  const keep = decoded.version === version;
  missing.forEach((id, index) => {
    const stored = parseStored(values[index]);
    if (!stored) return;
    const entry: Decoded = { stored, signals: null, at: 0 };
    if (keep) decoded.entries.set(id, entry);
    out.set(id, signalsOf(id, entry, now));
  });
  for (const id of decoded.entries.keys()) {
    if (decoded.entries.size <= MAX_DECODED) break;
    decoded.entries.delete(id);
  }
  return out;
}

/**
 * Forgets videos serving found gone or no longer listed, in Redis and in this process, and notes them for the next
 * build, which reads them again and writes back those that are listed after all (made public again meanwhile).
 */
export async function forgetSignals(ids: string[]): Promise<void> {
  for (const id of ids) decoded.entries.delete(id);
  if (ids.length > 0) await getRedis().multi().hdel(KEYS.signals, ...ids).sadd(KEYS.signalsForgotten, ...ids).exec();
}

function parseStored(json: string | null | undefined): StoredSignals | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as StoredSignals;
  } catch {
    return null;
  }
}

type SignalRow = {
  id: string;
  authorId: string;
  durationMs: number | null;
  publishedMs: number;
  hashtags: string[] | null;
  impressions: number;
  plays: number;
  completes: number;
  skips: number;
  watchedViews: number;
  watchMs: number;
  likes: number;
  shares: number;
  comments: number;
  follows: number;
  loudness: number | null;
  sceneCutRate: number | null;
  motion: number | null;
  brightness: number | null;
  colorfulness: number | null;
  aspect: number | null;
};

/** A listed video's signals with the row fields the index build also uses. */
export type SignalRowSignals = { id: string; authorId: string; publishedMs: number; watchedViews: number; signals: VideoSignals };

/**
 * Signals straight from PostgreSQL: every listed video (ids omitted, for the index build) or the listed ones among
 * `ids` (serving's few cache misses). Plain SQL (lib/db.ts queryRows): at 100,000 videos the same statement through
 * Prisma's raw query spent about half a second of the worker's CPU turning rows into objects.
 */
export async function loadSignalRows(ids?: string[]): Promise<SignalRowSignals[]> {
  if (ids?.length === 0) return []; // a quiet incremental build has nothing to read
  const filter = ids ? Prisma.sql`AND v.id = ANY(${ids}::text[])` : Prisma.empty;
  const statsFilter = ids ? Prisma.sql`WHERE "videoId" = ANY(${ids}::text[])` : Prisma.empty;
  const rows = await queryRows<SignalRow>(Prisma.sql`
    SELECT v.id, v."authorId", v."durationMs",
        (extract(epoch FROM coalesce(v."publishedAt", v."createdAt")) * 1000)::float8 AS "publishedMs",
        (SELECT array_agg(h.name ORDER BY h.name) FROM "VideoHashtag" vh JOIN "Hashtag" h ON h.id = vh."hashtagId" WHERE vh."videoId" = v.id) AS hashtags,
        coalesce(s.impressions, 0)::int AS impressions, coalesce(s.views, 0)::int AS plays, coalesce(s.completions, 0)::int AS completes,
        coalesce(s.skips, 0)::int AS skips, coalesce(s."watchedViews", 0)::int AS "watchedViews", coalesce(s."watchMs", 0)::float8 AS "watchMs",
        (SELECT count(*) FROM "Like" l WHERE l."videoId" = v.id)::int AS likes,
        (SELECT count(*) FROM "Share" sh WHERE sh."videoId" = v.id)::int AS shares,
        (SELECT count(*) FROM "Comment" c WHERE c."videoId" = v.id AND c."deletedAt" IS NULL)::int AS comments,
        (SELECT count(*) FROM "VideoFollowGain" g WHERE g."videoId" = v.id)::int AS follows,
        f."loudnessLufs" AS loudness, f."sceneCutRate" AS "sceneCutRate", f.motion, f.brightness, f.colorfulness, f.aspect
     FROM "Video" v JOIN "User" u ON u.id = v."authorId"
     LEFT JOIN (
       SELECT "videoId", sum(impressions) AS impressions, sum(views) AS views, sum(completions) AS completions, sum(skips) AS skips,
              sum("watchedViews") AS "watchedViews", sum("watchMs") AS "watchMs"
       FROM "VideoDailyStats" ${statsFilter} GROUP BY "videoId"
     ) s ON s."videoId" = v.id
     LEFT JOIN "VideoFeatures" f ON f."videoId" = v.id
     WHERE ${LISTED_SQL} ${filter}`);
  const now = Date.now();
  return rows.map((row) => {
    const durationSec = (row.durationMs ?? 0) / 1000;
    const meanWatchFraction = row.watchedViews > 0 && row.durationMs ? Math.min(row.watchMs / row.watchedViews / row.durationMs, 3) : 0;
    const content =
      row.sceneCutRate === null
        ? null
        : {
            loudnessLufs: row.loudness,
            sceneCutRate: row.sceneCutRate,
            motion: row.motion ?? 0,
            brightness: row.brightness ?? 0,
            colorfulness: row.colorfulness ?? 0,
            aspect: row.aspect ?? 0,
          };
    const signals: VideoSignals = {
      videoId: row.id,
      authorId: row.authorId,
      hashtags: row.hashtags ?? [],
      durationSec,
      ageHours: Math.max(0, (now - row.publishedMs) / 3_600_000),
      content,
      stats: {
        impressions: row.impressions,
        plays: row.plays,
        completes: row.completes,
        skips: row.skips,
        likes: row.likes,
        shares: row.shares,
        comments: row.comments,
        follows: row.follows,
        meanWatchFraction,
      },
      embedding: null,
    };
    return { id: row.id, authorId: row.authorId, publishedMs: row.publishedMs, watchedViews: row.watchedViews, signals };
  });
}

/**
 * Where the data stood when a build read it: PostgreSQL's clock, and the analytics fold's cursor (the fold moves its
 * aggregates, VideoDailyStats and VideoFollowGain, in the same transaction as the cursor).
 */
export type SignalsMark = { at: string; txid: string; eventId: string };

export async function markSignals(): Promise<SignalsMark> {
  const [row] = await queryRows<{ at: string; txid: string | null; eventId: string | null }>(Prisma.sql`
    SELECT now()::text AS "at", c."txid"::text AS "txid", c."eventId"::text AS "eventId"
      FROM (SELECT 1) one LEFT JOIN "EventCursor" c ON c."name" = 'analytics'`);
  return { at: row!.at, txid: row?.txid ?? START.txid, eventId: row?.eventId ?? START.eventId };
}

// Rows written by a transaction that began before a mark but committed after it carry an earlier time: a minute of
// overlap reads those again (a handful of videos more per build).
const CHANGE_OVERLAP = "1 minute";

/**
 * Videos whose signals may differ between two marks: those with events the fold counted in between (plays,
 * completions, skips, impressions, follow gains), likes, shares and comments made (or comments deleted), videos
 * edited (caption and hashtags, visibility, moderation) and content features extracted. Not seen here: a like taken
 * back without its UNLIKE event (the web client sends one), changes written with raw SQL that leaves updatedAt alone,
 * and an analytics rebuild (npm run flick -- analytics:rebuild); the build's periodic whole read puts those right.
 */
export async function listChangedSignalIds(since: SignalsMark, upTo: SignalsMark): Promise<string[]> {
  const after = Prisma.sql`(${since.at}::timestamptz AT TIME ZONE 'UTC') - interval '${Prisma.raw(CHANGE_OVERLAP)}'`;
  const rows = await queryRows<{ id: string }>(Prisma.sql`
    SELECT DISTINCT id FROM (
      SELECT "videoId" AS id FROM "Event"
       WHERE ("txid", "id") > (${since.txid}::bigint, ${since.eventId}::uuid) AND ("txid", "id") <= (${upTo.txid}::bigint, ${upTo.eventId}::uuid)
      UNION ALL SELECT "videoId" FROM "Like" WHERE "createdAt" > ${after}
      UNION ALL SELECT "videoId" FROM "Share" WHERE "createdAt" > ${after}
      UNION ALL SELECT "videoId" FROM "Comment" WHERE "createdAt" > ${after} OR "deletedAt" > ${after}
      UNION ALL SELECT "id" FROM "Video" WHERE "updatedAt" > ${after}
      UNION ALL SELECT "videoId" FROM "VideoFeatures" WHERE "updatedAt" > ${after}
    ) changed`);
  return rows.map((row) => row.id);
}

/** Ids of every listed video (the build compares them with the ones it holds). */
export async function loadListedIds(): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(Prisma.sql`SELECT v.id FROM "Video" v JOIN "User" u ON u.id = v."authorId" WHERE ${LISTED_SQL}`);
  return rows.map((row) => row.id);
}

/** Signals of listed videos read from PostgreSQL (cache misses at serving time). */
export async function loadSignalsFromDb(ids: string[]): Promise<Map<string, VideoSignals>> {
  if (ids.length === 0) return new Map();
  const rows = await loadSignalRows(ids);
  return new Map(rows.map((row) => [row.id, row.signals]));
}
