// The global indexes candidate generation and serving read, rebuilt by the recs worker (lib/jobs/recs.ts) into Redis:
//   trending      time-decayed engagement (folded events in VideoDailyStats + likes, comments, shares, follows)
//   per hashtag   its listed videos by the same score       per creator   their newest listed videos
//   signals       compact VideoSignals per listed video      exploration   the traffic pools (lib/recs/exploration.ts)
// and, less often (they scan recent events): co-engagement neighbours (videos completed/liked by the same viewers)
// and popular-for-newcomers (completion among first sessions). Each key is written under a temporary name and swapped
// in with RENAME, so a reader never sees a half-built list. Only listed videos (public, ready, approved, published
// media, active author) ever enter an index.
import { getDb, Prisma, queryRows } from "../db";
import { getLogger } from "../logger";
import { getRedis } from "../redis";
import { explorationConfig, INDEX, KEYS, RECS_PREFIX } from "./config";
import { updatePools, type PoolUpdate } from "./exploration";
import { encodeSignals, listChangedSignalIds, loadListedIds, loadSignalRows, markSignals, type SignalRowSignals, type SignalsMark } from "./signals";

export type IndexReport = {
  videos: number;
  hashtags: number;
  creators: number;
  trending: number;
  typicalWatch: number;
  exploration: PoolUpdate;
  /**
   * Signals entries written (changed, new or removed), whether the hash was written whole, and how many videos'
   * signals were read from PostgreSQL (all of them for a whole build; those that changed otherwise).
   */
  signals: { written: number; whole: boolean; read: number };
  coengagement?: number;
  newcomer?: number;
  ms: number;
};

const WRITE_CHUNK = 1_000; // fields per HSET/ZADD command: big enough to be quick, small enough not to block Redis
// Every this many builds the signals and creator lists are written whole anyway: an entry a web process forgot
// (forgetSignals) or a build racing another worker's is put right within ~10 minutes at the 30 s schedule.
const FULL_WRITE_EVERY = 20;
// Change-log entries kept: a web process more builds behind than this (idle for a long time) re-reads everything.
const CHANGE_LOG_LENGTH = 100;

/**
 * What this process's last build read and wrote: where the data stood (mark), each listed video's row, the signals
 * version it left and each entry, so the next build reads and writes only what changed.
 */
type LastWrite = {
  mark: SignalsMark;
  rows: Map<string, SignalRowSignals>;
  /** Each video's engagement over the trending window (loadRecentEngagement). */
  recent: Map<string, number>;
  version: string | null;
  signals: Map<string, string>;
  lists: Map<string, string>;
  builds: number;
};
let lastWrite: LastWrite | null = null;

// Builds in this process run one at a time (the scheduled fast build and the slow one's fast part could overlap on the
// worker's two job slots): each writes only what changed since the one before, so they must not interleave.
let building: Promise<unknown> = Promise.resolve();

/** Rebuilds the fast indexes (every RECS_INDEX_INTERVAL_SECONDS), and with `slow` the event-scanning ones too. */
export async function rebuildIndexes(options: { slow?: boolean } = {}): Promise<IndexReport> {
  const run = building.then(() => buildFastIndexes());
  building = run.catch(() => undefined);
  const { report, rows, started } = await run;
  if (options.slow) {
    const listed = new Set(rows.map((row) => row.id));
    report.coengagement = await rebuildCoengagement(listed);
    report.newcomer = await rebuildNewcomer(listed, rows);
  }
  report.ms = Date.now() - started;
  getLogger().debug({ report }, "recs: indexes rebuilt");
  return report;
}

async function buildFastIndexes(): Promise<{ report: IndexReport; rows: SignalRowSignals[]; started: number }> {
  const started = Date.now();
  const redis = getRedis();
  // What changed since this process's last build (everything when it did not write the last one: a restart, another
  // worker, or every FULL_WRITE_EVERY builds). At 100,000 videos a build re-read every video's signals (2 s, two
  // thirds of it PostgreSQL's, every 30 s beside the web), rewrote 100,000 signals and ~100,000 creator list entries
  // that had mostly not changed, and every web process then decoded all its signals again.
  const meta = await redis.hget(KEYS.meta, "signalsVersion");
  // Forgotten until this build has written everything: a build that fails halfway leaves the next one to write whole.
  const base = lastWrite && lastWrite.version === meta && lastWrite.builds < FULL_WRITE_EVERY ? lastWrite : null;
  lastWrite = null;
  const mark = await markSignals();
  // Taken now: a build that fails after this leaves no base, so the next one writes whole anyway.
  const forgotten = await takeForgotten();
  const { rows, read, recent } = base ? await loadChangedSince(base, mark, forgotten) : await loadAll();
  const now = Date.now();

  // Typical watch fraction of the instance: the mean over videos with enough finished views to say.
  const judged = rows.filter((row) => row.watchedViews >= 5);
  const typicalWatch = judged.length > 0 ? judged.reduce((sum, row) => sum + row.signals.stats.meanWatchFraction, 0) / judged.length : explorationConfig().defaultTypicalWatch;

  // Scored once and sorted by the number (a comparator looking scores up in a Map took a second at 100,000 videos).
  const byScore = rows.map((row) => {
    const engagement = recent.get(row.id) ?? 0;
    const ageHours = Math.max(0, (now - row.publishedMs) / 3_600_000);
    return { row, score: (Math.max(engagement, 0) + 1) / Math.pow(ageHours + INDEX.ageOffsetHours, INDEX.gravity) };
  });
  byScore.sort((a, b) => b.score - a.score || (a.row.id < b.row.id ? -1 : 1));

  const byTag = new Map<string, Array<[number, string]>>();
  const byCreator = new Map<string, Array<{ id: string; at: number }>>();
  for (const { row, score } of byScore) {
    for (const tag of row.signals.hashtags) {
      const list = byTag.get(tag) ?? [];
      if (list.length < INDEX.perHashtag) list.push([score, row.id]);
      byTag.set(tag, list);
    }
    const list = byCreator.get(row.authorId) ?? [];
    list.push({ id: row.id, at: row.publishedMs });
    byCreator.set(row.authorId, list);
  }

  const previous = new Set(await redis.smembers(KEYS.written));
  const written = new Set<string>();
  const pipeline = redis.pipeline();
  const swap = (key: string, fill: (tmp: string) => void) => {
    const tmp = `${key}:building`;
    pipeline.del(tmp);
    fill(tmp);
    pipeline.rename(tmp, key);
  };
  const zaddChunks = (key: string, entries: Array<[number, string]>) => {
    for (let index = 0; index < entries.length; index += WRITE_CHUNK) pipeline.zadd(key, ...entries.slice(index, index + WRITE_CHUNK).flat());
  };
  // Encoded again only where read again: an unchanged row's entry is the last build's.
  const signals = new Map(rows.map((row) => [row.id, (base && !read.has(row.id) && base.signals.get(row.id)) || encodeSignals({ ...row.signals, publishedMs: row.publishedMs })]));
  const lists = new Map<string, string>();
  let changedSignals: string[] = [];
  if (base === null) {
    // Whole (an empty hash cannot be renamed: a sentinel field keeps it, skipped when read).
    swap(KEYS.signals, (tmp) => {
      pipeline.hset(tmp, "_builtAt", String(now));
      const entries = [...signals];
      for (let index = 0; index < entries.length; index += WRITE_CHUNK) pipeline.hset(tmp, ...entries.slice(index, index + WRITE_CHUNK).flat());
    });
  } else {
    // A forgotten entry is gone from the hash: written again even though the last build wrote the same.
    changedSignals = [...read].filter((id) => signals.has(id) && (forgotten.has(id) || base.signals.get(id) !== signals.get(id)));
    const removed = [...base.signals.keys()].filter((id) => !signals.has(id));
    for (let index = 0; index < changedSignals.length; index += WRITE_CHUNK) {
      pipeline.hset(KEYS.signals, ...changedSignals.slice(index, index + WRITE_CHUNK).flatMap((id) => [id, signals.get(id)!]));
    }
    for (let index = 0; index < removed.length; index += WRITE_CHUNK) pipeline.hdel(KEYS.signals, ...removed.slice(index, index + WRITE_CHUNK));
    changedSignals.push(...removed);
  }
  if (byScore.length > 0) {
    swap(KEYS.trending, (tmp) => zaddChunks(tmp, byScore.slice(0, INDEX.trendingSize).map(({ row, score }) => [score, row.id])));
  } else {
    pipeline.del(KEYS.trending);
  }
  for (const [tag, entries] of byTag) {
    const key = KEYS.hashtag(tag);
    written.add(key);
    swap(key, (tmp) => zaddChunks(tmp, entries));
  }
  for (const [authorId, videos] of byCreator) {
    const key = KEYS.creator(authorId);
    written.add(key);
    const newest = videos.sort((a, b) => b.at - a.at).slice(0, INDEX.perCreator);
    const fingerprint = newest.map((video) => `${video.id}@${video.at}`).join(",");
    lists.set(key, fingerprint);
    if (base?.lists.get(key) === fingerprint) continue;
    swap(key, (tmp) => zaddChunks(tmp, newest.map((video) => [video.at, video.id])));
  }
  // Lists of hashtags and creators that no longer have a listed video.
  for (const key of previous) if (!written.has(key)) pipeline.del(key);
  pipeline.del(`${KEYS.written}:building`);
  if (written.size > 0) pipeline.sadd(`${KEYS.written}:building`, ...written).rename(`${KEYS.written}:building`, KEYS.written);
  else pipeline.del(KEYS.written);
  pipeline.hset(KEYS.meta, "builtAt", String(now), "typicalWatch", String(typicalWatch), "videos", String(rows.length));
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
  // The change log serving follows (lib/recs/signals.ts readSignals); no entry when nothing changed.
  let version = meta;
  if (base === null || changedSignals.length > 0) {
    version = await redis.xadd(KEYS.signalsChanges, "MAXLEN", "~", String(CHANGE_LOG_LENGTH), "*", ...(base === null ? ["reset", "1"] : ["ids", changedSignals.join(",")]));
    await redis.hset(KEYS.meta, "signalsVersion", version!);
  }
  lastWrite = { mark, rows: new Map(rows.map((row) => [row.id, row])), recent, version, signals, lists, builds: base ? base.builds + 1 : 1 };

  const exploration = await updatePools(
    rows.map((row) => ({ id: row.id, publishedMs: row.publishedMs, watchedViews: row.watchedViews, meanWatchFraction: row.signals.stats.meanWatchFraction })),
    typicalWatch,
    now,
  );
  const report: IndexReport = {
    videos: rows.length,
    hashtags: byTag.size,
    creators: byCreator.size,
    trending: Math.min(byScore.length, INDEX.trendingSize),
    typicalWatch,
    exploration,
    signals: { written: base === null ? signals.size : changedSignals.length, whole: base === null, read: read.size },
    ms: 0,
  };
  // The fast part's duration, for the schedule's duty cycle (rebuildIndexesIfDue).
  await redis.hset(KEYS.meta, "buildMs", String(Date.now() - started));
  return { report, rows, started };
}

/** The videos serving forgot since the last build (lib/recs/signals.ts forgetSignals), taken off the set. */
async function takeForgotten(): Promise<Set<string>> {
  const [[, ids]] = ((await getRedis().multi().smembers(KEYS.signalsForgotten).del(KEYS.signalsForgotten).exec()) ?? [[null, []]]) as [[unknown, string[]]];
  return new Set(ids ?? []);
}

type BuildInput = { rows: SignalRowSignals[]; read: Set<string>; recent: Map<string, number> };

async function loadAll(): Promise<BuildInput> {
  const [rows, recent] = await Promise.all([loadSignalRows(), loadRecentEngagement()]);
  return { rows, read: new Set(rows.map((row) => row.id)), recent };
}

/**
 * Every listed video's row and trending engagement, read from PostgreSQL only for the videos that changed since the
 * last build or were not listed then (lib/recs/signals.ts listChangedSignalIds); the rest are the last build's.
 * `read` names those read. The trending window is read whole again on a new day (its days move on); likes, comments
 * and shares leaving it by the minute are dropped at the next whole build.
 */
async function loadChangedSince(base: LastWrite, mark: SignalsMark, forgotten: Set<string>): Promise<BuildInput> {
  const [listed, changed] = await Promise.all([loadListedIds(), listChangedSignalIds(base.mark, mark)]);
  const listedNow = new Set(listed);
  const read = new Set([...changed, ...forgotten].filter((id) => listedNow.has(id)));
  for (const id of listed) if (!base.rows.has(id)) read.add(id);
  const sameDay = base.mark.at.slice(0, 10) === mark.at.slice(0, 10);
  const [fresh, engagement] = await Promise.all([
    loadSignalRows([...read]).then((rows) => new Map(rows.map((row) => [row.id, row]))),
    sameDay ? loadRecentEngagement([...read]) : loadRecentEngagement(),
  ]);
  // A video read again that is not listed any more (since loadListedIds) is dropped with the rest of the unlisted.
  const rows = listed.flatMap((id) => {
    const row = read.has(id) ? fresh.get(id) : base.rows.get(id);
    return row ? [row] : [];
  });
  let recent = engagement;
  if (sameDay) {
    recent = new Map(base.recent);
    for (const id of read) recent.delete(id);
    for (const [id, score] of engagement) recent.set(id, score);
  }
  return { rows, read, recent };
}

// The scheduled build waits at least this many times its own last duration after that build began.
const BUILD_DUTY_FACTOR = 2;

/**
 * The scheduled fast build, skipped while the last one is younger than twice its own duration. On a small instance a
 * build takes well under a second and runs every RECS_INDEX_INTERVAL_SECONDS as configured; at 100,000 videos it takes
 * ~4 s alone and ~20 s beside a loaded web process on two cores (bench:feed), where a 30 s schedule would run builds
 * back to back; spaced, at most about half a core goes to it, and the indexes are at most about three build times
 * old. Null when skipped.
 */
export async function rebuildIndexesIfDue(now = Date.now()): Promise<IndexReport | null> {
  const [builtAt, buildMs] = (await getRedis().hmget(KEYS.meta, "builtAt", "buildMs")).map(Number);
  if (builtAt && buildMs && now - builtAt < BUILD_DUTY_FACTOR * buildMs) return null;
  return rebuildIndexes({ slow: false });
}

/**
 * Weighted engagement of each video over the trending window (videos without any are absent): every video's, or only
 * those among `ids`. At 100,000 videos the whole read aggregates ~300,000 daily rows (0.4-0.5 s of PostgreSQL).
 */
async function loadRecentEngagement(ids?: string[]): Promise<Map<string, number>> {
  if (ids?.length === 0) return new Map();
  // The weights are constants of the code, written into the statement as numbers (parameters would be typed as the
  // sums they multiply, bigint).
  const w = Object.fromEntries(Object.entries(INDEX.weights).map(([name, weight]) => [name, Prisma.raw(String(weight))])) as Record<keyof typeof INDEX.weights, Prisma.Sql>;
  const only = ids ? Prisma.sql`AND "videoId" = ANY(${ids}::text[])` : Prisma.empty;
  const days = Prisma.raw(String(INDEX.trendingDays));
  const interval = Prisma.raw(`interval '${INDEX.trendingDays} days'`);
  const rows = await queryRows<{ id: string; score: number }>(Prisma.sql`
    SELECT id, sum(score)::float8 AS score FROM (
       SELECT "videoId" AS id, ${w.play} * sum(views) + ${w.complete} * sum(completions) + ${w.replay} * sum(replays) + ${w.skip} * sum(skips) AS score
         FROM "VideoDailyStats" WHERE day >= current_date - ${days} ${only} GROUP BY "videoId"
       UNION ALL SELECT "videoId", ${w.like} * count(*) FROM "Like" WHERE "createdAt" > now() - ${interval} ${only} GROUP BY "videoId"
       UNION ALL SELECT "videoId", ${w.comment} * count(*) FROM "Comment" WHERE "createdAt" > now() - ${interval} AND "deletedAt" IS NULL ${only} GROUP BY "videoId"
       UNION ALL SELECT "videoId", ${w.share} * count(*) FROM "Share" WHERE "createdAt" > now() - ${interval} ${only} GROUP BY "videoId"
       UNION ALL SELECT "videoId", ${w.follow} * count(*) FROM "VideoFollowGain" WHERE day >= current_date - ${days} ${only} GROUP BY "videoId"
     ) parts GROUP BY id`);
  return new Map(rows.map((row) => [row.id, row.score]));
}

/**
 * Item-to-item neighbours: videos completed, liked, shared or bookmarked by the same viewers over the last week (each
 * viewer's latest few), scored by cosine similarity of their viewer sets; top K per video.
 */
async function rebuildCoengagement(listed: Set<string>): Promise<number> {
  const rows = await getDb().$queryRawUnsafe<Array<{ a: string; b: string; score: number }>>(
    `WITH positive AS (
       SELECT coalesce('u:' || "userId", 'd:' || "deviceId"::text) AS viewer, "videoId", max(at) AS at
         FROM "Event"
        WHERE at > now() - interval '${INDEX.coengagementDays} days' AND type IN ('COMPLETE', 'LIKE', 'SHARE', 'BOOKMARK')
          AND ("userId" IS NOT NULL OR "deviceId" IS NOT NULL)
        GROUP BY 1, 2
     ), latest AS (
       SELECT viewer, "videoId" FROM (
         SELECT viewer, "videoId", row_number() OVER (PARTITION BY viewer ORDER BY at DESC) AS n FROM positive
       ) ranked WHERE n <= ${INDEX.coengagementPerViewer}
     ), popularity AS (
       SELECT "videoId", count(*)::float8 AS n FROM latest GROUP BY 1
     ), pairs AS (
       SELECT x."videoId" AS a, y."videoId" AS b, count(*)::float8 AS n
         FROM latest x JOIN latest y ON x.viewer = y.viewer AND x."videoId" <> y."videoId"
        GROUP BY 1, 2 HAVING count(*) >= ${INDEX.coengagementMinPairs}
     ), scored AS (
       SELECT p.a, p.b, p.n / sqrt(pa.n * pb.n) AS score,
              row_number() OVER (PARTITION BY p.a ORDER BY p.n / sqrt(pa.n * pb.n) DESC, p.b) AS rank
         FROM pairs p JOIN popularity pa ON pa."videoId" = p.a JOIN popularity pb ON pb."videoId" = p.b
     )
     SELECT a, b, score::float8 AS score FROM scored WHERE rank <= ${INDEX.coengagementK}`,
  );
  const neighbours = new Map<string, Array<[number, string]>>();
  for (const row of rows) {
    if (!listed.has(row.a) || !listed.has(row.b)) continue;
    const list = neighbours.get(row.a) ?? [];
    list.push([row.score, row.b]);
    neighbours.set(row.a, list);
  }
  const redis = getRedis();
  const previous = await redis.smembers(`${RECS_PREFIX}:co-written`);
  const pipeline = redis.pipeline();
  for (const [videoId, list] of neighbours) {
    const key = KEYS.coengagement(videoId);
    pipeline.del(`${key}:building`).zadd(`${key}:building`, ...list.flat()).rename(`${key}:building`, key);
  }
  for (const videoId of previous) if (!neighbours.has(videoId)) pipeline.del(KEYS.coengagement(videoId));
  pipeline.del(`${RECS_PREFIX}:co-written`);
  if (neighbours.size > 0) pipeline.sadd(`${RECS_PREFIX}:co-written`, ...neighbours.keys());
  await pipeline.exec();
  return neighbours.size;
}

/**
 * Popular with newcomers: completion rate of plays in viewers' first session (their first hour, for viewers whose
 * first event is in the window), smoothed toward the instance's rate; when no newcomer has watched anything yet,
 * the same measure over all viewers.
 */
async function rebuildNewcomer(listed: Set<string>, rows: Array<{ id: string; signals: { stats: { plays: number; completes: number } } }>): Promise<number> {
  const found = await getDb().$queryRawUnsafe<Array<{ id: string; plays: number; completes: number }>>(
    `WITH events AS (
       SELECT coalesce('u:' || "userId", 'd:' || "deviceId"::text) AS viewer, "videoId", type, at
         FROM "Event" WHERE at > now() - interval '${INDEX.newcomerDays} days' AND ("userId" IS NOT NULL OR "deviceId" IS NOT NULL)
     ), firsts AS (
       SELECT viewer, min(at) AS first_at FROM events GROUP BY viewer
     )
     SELECT e."videoId" AS id, count(*) FILTER (WHERE e.type = 'PLAY')::int AS plays, count(*) FILTER (WHERE e.type = 'COMPLETE')::int AS completes
       FROM events e JOIN firsts f ON f.viewer = e.viewer
      WHERE e.at < f.first_at + interval '${INDEX.newcomerSessionMinutes} minutes' AND e.type IN ('PLAY', 'COMPLETE')
      GROUP BY e."videoId"`,
  );
  let source = found.filter((row) => listed.has(row.id));
  if (source.length === 0) source = rows.map((row) => ({ id: row.id, plays: row.signals.stats.plays, completes: row.signals.stats.completes }));
  const totalPlays = source.reduce((sum, row) => sum + row.plays, 0);
  const totalCompletes = source.reduce((sum, row) => sum + Math.min(row.completes, row.plays), 0);
  const prior = totalPlays > 0 ? totalCompletes / totalPlays : 0.3;
  const scored = source
    .filter((row) => row.plays > 0)
    .map((row): [number, string] => [(Math.min(row.completes, row.plays) + INDEX.priorPlays * prior) / (row.plays + INDEX.priorPlays), row.id])
    .sort((a, b) => b[0] - a[0])
    .slice(0, INDEX.newcomerSize);
  const redis = getRedis();
  if (scored.length === 0) {
    await redis.del(KEYS.newcomer);
    return 0;
  }
  await redis.multi().del(`${KEYS.newcomer}:building`).zadd(`${KEYS.newcomer}:building`, ...scored.flat()).rename(`${KEYS.newcomer}:building`, KEYS.newcomer).exec();
  return scored.length;
}

/** When the indexes were last built (ms), or null when they never were (or Redis lost them). */
export async function indexesBuiltAt(): Promise<number | null> {
  const value = await getRedis().hget(KEYS.meta, "builtAt");
  return value ? Number(value) : null;
}

