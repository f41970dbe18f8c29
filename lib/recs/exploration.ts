// The fresh-video exploration traffic pools, like TikTok's: every new listed video enters pool 0 and is guaranteed a
// first batch of impressions (For You reserves slots on every page for pool videos, least-served first). Once a pool's
// batch is served, the video is judged by how those viewers watched it (mean watch fraction against the instance's
// typical one): promoted to the next, larger pool, or retired; after the last pool it graduates (trending and the
// other sources carry it from there). Impressions are counted from served items.
//
// Redis: zset flick:recs:explore:pool:<n> videoId → impressions served while in pool n; hash
// flick:recs:explore:level videoId → n | "retired" | "graduated" (every video the system has judged or holds).
import type { Redis } from "ioredis";
import { Prisma, queryRows } from "../db";
import { getLogger } from "../logger";
import { getRedis } from "../redis";
import { LISTED_SQL } from "../videos/listed";
import { explorationConfig, KEYS, RECS_PREFIX, SERVING } from "./config";
import type { Candidate } from "./types";

export type PoolVideo = { id: string; publishedMs: number; watchedViews: number; meanWatchFraction: number };

export type PoolUpdate = { entered: number; promoted: number; retired: number; graduated: number; dropped: number; pooled: number };

/**
 * One judging round over the pools, given every listed video and the instance's typical watch fraction. Idempotent:
 * run it as often as the index build runs.
 */
export async function updatePools(listed: PoolVideo[], typicalWatch: number, now = Date.now()): Promise<PoolUpdate> {
  const redis = getRedis();
  const config = explorationConfig();
  const result: PoolUpdate = { entered: 0, promoted: 0, retired: 0, graduated: 0, dropped: 0, pooled: 0 };
  const byId = new Map(listed.map((video) => [video.id, video]));
  const levels = await redis.hgetall(KEYS.poolLevel);
  const pipeline = redis.multi();
  const maxAgeMs = config.maxAgeHours * 3_600_000;
  // Leave: videos no longer listed (made private, removed, author banned), and old judged entries (nothing re-enters).
  for (const [id, level] of Object.entries(levels)) {
    const video = byId.get(id);
    const active = /^\d+$/.test(level);
    if (!video || (!active && now - video.publishedMs > 2 * maxAgeMs)) {
      if (active) pipeline.zrem(KEYS.pool(Number(level)), id);
      pipeline.hdel(KEYS.poolLevel, id);
      result.dropped += 1;
    }
  }
  // Enter: new listed videos the system has never seen.
  for (const video of listed) {
    if (levels[video.id] !== undefined || now - video.publishedMs > maxAgeMs) continue;
    pipeline.zadd(KEYS.pool(0), "NX", 0, video.id).hset(KEYS.poolLevel, video.id, "0");
    result.entered += 1;
  }
  // Judge: videos whose pool batch has been served.
  for (let level = 0; level < config.batches.length; level += 1) {
    const batch = config.batches[level]!;
    const members = await redis.zrange(KEYS.pool(level), 0, -1, "WITHSCORES");
    for (let index = 0; index + 1 < members.length; index += 2) {
      const id = members[index]!;
      const impressions = Number(members[index + 1]);
      const video = byId.get(id);
      if (!video) continue;
      result.pooled += 1;
      if (impressions < batch) continue;
      const enoughWatched = video.watchedViews >= config.minWatchedViews;
      if (!enoughWatched && impressions < batch * config.overServeFactor) continue;
      pipeline.zrem(KEYS.pool(level), id);
      if (enoughWatched && video.meanWatchFraction >= typicalWatch * config.promoteRatio) {
        if (level + 1 < config.batches.length) {
          pipeline.zadd(KEYS.pool(level + 1), "NX", 0, id).hset(KEYS.poolLevel, id, String(level + 1));
          result.promoted += 1;
        } else {
          pipeline.hset(KEYS.poolLevel, id, "graduated");
          result.graduated += 1;
        }
      } else {
        pipeline.hset(KEYS.poolLevel, id, "retired");
        result.retired += 1;
      }
    }
  }
  await pipeline.exec();
  return result;
}

// A video enters pool 0 once: only if the exploration system has never seen it (a retired or graduated video, or one
// already judged into a later pool, is left where it is).
const ENTER_POOL = `
local n = 0
for i = 1, #ARGV do
  if redis.call('HSETNX', KEYS[1], ARGV[i], '0') == 1 then
    redis.call('ZADD', KEYS[2], 'NX', 0, ARGV[i])
    n = n + 1
  end
end
return n
`;

/**
 * New listed videos enter pool 0 now, so their first batch starts with the next For You request instead of the next
 * index build (which also enters any this missed). Returns how many entered.
 */
export async function enterPools(videoIds: string[], redis: Redis = getRedis()): Promise<number> {
  if (videoIds.length === 0) return 0;
  return Number(await redis.eval(ENTER_POOL, 2, KEYS.poolLevel, KEYS.pool(0), ...videoIds));
}

/**
 * Called when a video may first be seen by everyone (moderation approved it): a listed video published within the
 * pools' age limit enters pool 0. A failure is logged, never fails the caller; the next index build enters it anyway.
 */
export async function enterPoolIfListed(videoId: string): Promise<void> {
  try {
    // Time arithmetic in SQL: queryRows takes no Date values (pg would send them in the process's local time).
    const rows = await queryRows<{ id: string }>(Prisma.sql`
      SELECT v.id FROM "Video" v JOIN "User" u ON u.id = v."authorId"
       WHERE v.id = ${videoId} AND ${LISTED_SQL}
         AND v."publishedAt" > (now() AT TIME ZONE 'UTC') - ${explorationConfig().maxAgeHours}::int * interval '1 hour'`);
    if (rows.length > 0) await enterPools([videoId]);
  } catch (error) {
    getLogger().warn({ err: error, videoId }, "recs: new video not entered into the exploration pool");
  }
}

/**
 * Exploration candidates for one request: the least-served videos of each pool, pool 0 first. A sample of
 * SERVING.explorationSample per pool, so that serving (which drops what this viewer has seen) still has some when the
 * most-owed ones were shown to them already; the order is jittered so concurrent viewers do not all get the same one.
 */
export async function sampleExploration(redis: Redis = getRedis(), random: () => number = Math.random): Promise<Candidate[]> {
  const { batches } = explorationConfig();
  const pipeline = redis.pipeline();
  for (let level = 0; level < batches.length; level += 1) pipeline.zrange(KEYS.pool(level), 0, SERVING.explorationSample - 1, "WITHSCORES");
  const results = (await pipeline.exec()) ?? [];
  const out: Candidate[] = [];
  results.forEach(([error, value], level) => {
    if (error) return;
    const members = value as string[];
    const batch = batches[level]!;
    for (let index = 0; index + 1 < members.length; index += 2) {
      const served = Number(members[index + 1]);
      // Least-served and lowest pool first: the score is how much of its batch is still owed, ±25 %.
      const owed = Math.max(0, batch - served) / batch / (level + 1);
      out.push({ videoId: members[index]!, source: "exploration", sourceScore: owed * (0.75 + 0.5 * random()), signal: `pool ${level}` });
    }
  });
  return out.sort((a, b) => b.sourceScore - a.sourceScore);
}

// For each served id: when it is in a pool, one more impression in that pool.
const COUNT_IMPRESSIONS = `
local n = 0
for i = 1, #ARGV do
  local level = redis.call('HGET', KEYS[1], ARGV[i])
  if level and tonumber(level) then
    redis.call('ZINCRBY', KEYS[2] .. level, 1, ARGV[i])
    n = n + 1
  end
end
return n
`;

/** Counts served items against their pools (off the request path; a lost count only delays a judgement). */
export async function countImpressions(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  try {
    await getRedis().eval(COUNT_IMPRESSIONS, 2, KEYS.poolLevel, `${RECS_PREFIX}:explore:pool:`, ...ids);
  } catch (error) {
    getLogger().warn({ err: error }, "recs: exploration impressions not counted");
  }
}

/** Where each video stands in the exploration system (tests, admin): pool level, "retired", "graduated" or null. */
export async function explorationState(videoId: string): Promise<{ level: string | null; impressions: number }> {
  const redis = getRedis();
  const level = await redis.hget(KEYS.poolLevel, videoId);
  const impressions = level && /^\d+$/.test(level) ? Number((await redis.zscore(KEYS.pool(Number(level)), videoId)) ?? 0) : 0;
  return { level, impressions };
}
