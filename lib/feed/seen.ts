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

/** Which of `ids` this viewer has been served, in one round trip (ZMSCORE). Throws when Redis is down. */
export async function filterSeen(viewerKey: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const scores = await getRedis().zmscore(seenKey(viewerKey), ...ids);
  return new Set(ids.filter((_, index) => scores[index] !== null));
}

/** Adds served videos to the viewer's seen set, in one round trip. */
export async function markSeen(viewerKey: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const key = seenKey(viewerKey);
  const now = Date.now();
  try {
    const pipeline = getRedis().multi();
    for (const id of ids) pipeline.zadd(key, "NX", now, id);
    pipeline.zremrangebyrank(key, 0, -SEEN_MAX - 1).expire(key, SEEN_TTL_SECONDS);
    await pipeline.exec();
  } catch (error) {
    getLogger().warn({ err: error }, "feed: could not record served videos");
  }
}
