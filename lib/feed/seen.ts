// "Seen": a Redis sorted set per viewer (account "u:<id>" or anonymous device "d:<id>") of the videos For You served
// them, scored by when. Being served counts as being seen, which is also what keeps pages from repeating. The last
// SEEN_MAX entries are kept for SEEN_TTL_SECONDS after the viewer's last page.
import { getLogger } from "../logger";
import { getRedis } from "../redis";

export const SEEN_MAX = 5_000; // per viewer; the oldest fall off, so a very long-lived viewer may eventually see a video again
export const SEEN_TTL_SECONDS = 90 * 24 * 3600; // an idle viewer's history expires after a quarter

export const seenKey = (viewerKey: string) => `flick:feed:seen:${viewerKey}`;

/** The videos already served to this viewer, or null when Redis cannot say. */
export async function loadSeen(viewerKey: string): Promise<string[] | null> {
  try {
    return await getRedis().zrange(seenKey(viewerKey), 0, -1);
  } catch (error) {
    getLogger().warn({ err: error }, "feed: seen set unavailable");
    return null;
  }
}

/**
 * Which of `ids` this viewer has been served, in one round trip: ZMSCORE over `ids`, and with `since` also every video
 * served at or after that time (epoch ms), whether in `ids` or not. A caller whose other candidates were drawn without
 * what was seen up to `since` (For You's stored list) asks only about the rest. Throws when Redis is down.
 */
export async function filterSeen(viewerKey: string, ids: string[], since: number | null = null): Promise<Set<string>> {
  if (ids.length === 0 && since === null) return new Set();
  const key = seenKey(viewerKey);
  const pipeline = getRedis().pipeline();
  if (ids.length > 0) pipeline.zmscore(key, ...ids);
  if (since !== null) pipeline.zrangebyscore(key, Math.floor(since), "+inf");
  const results = (await pipeline.exec()) ?? [];
  for (const [error] of results) if (error) throw error;
  const seen = new Set<string>();
  if (ids.length > 0) {
    const scores = results[0]![1] as Array<string | null>;
    ids.forEach((id, index) => scores[index] !== null && seen.add(id));
  }
  if (since !== null) for (const id of results.at(-1)![1] as string[]) seen.add(id);
  return seen;
}

/** Adds served videos to the viewer's seen set, in one round trip. */
export async function markSeen(viewerKey: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const key = seenKey(viewerKey);
  const now = Date.now();
  try {
    await getRedis()
      .multi()
      .zadd(key, "NX", ...ids.flatMap((id) => [now, id]))
      .zremrangebyrank(key, 0, -SEEN_MAX - 1)
      .expire(key, SEEN_TTL_SECONDS)
      .exec();
  } catch (error) {
    getLogger().warn({ err: error }, "feed: could not record served videos");
  }
}
