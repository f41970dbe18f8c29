// The feed: GET /api/feed. For You is the recommender (lib/recs getForYou: per-viewer candidates from named sources,
// live sources from the viewer's state of this moment, exploration pools, ranking and re-ranking; ARCHITECTURE.md,
// "Feed data flow"). It never repeats a video the viewer has already been served, and skips "not interested"
// videos, the viewer's own and those of accounts a block stands between or the viewer muted (lib/safety); only
// listed videos (public, ready, approved, by an active account) ever appear. Following is the newest videos of the
// accounts the viewer follows.
//
// "Seen" is a Redis sorted set per viewer (lib/feed/seen.ts). If Redis is down the recommender cannot read its
// candidates or the viewer's state: For You then still answers with the plain trending + fresh blend, paged by offset
// in the cursor. View counts are the PLAY events the analytics consumer has folded (lib/analytics).
import { randomUUID } from "node:crypto";
import type { AuthUser } from "../auth/types";
import { decodeCursor, encodeCursor, isOffsetCursor } from "../cursor";
import { getDb } from "../db";
import { AppError, isAppError } from "../errors";
import { getLogger } from "../logger";
import { getRedis } from "../redis";
import { getForYou, resetForYou } from "../recs";
import { loadHiddenAuthorIds } from "../safety";
import { LISTED_SQL, LISTED_WHERE } from "../videos/listed";
import { hydrate } from "./hydrate";
import { loadSeen, markSeen, SEEN_MAX, SEEN_TTL_SECONDS, seenKey } from "./seen";
import type { FeedPage, FeedTab } from "./types";

export type { FeedItem, FeedPage, FeedTab } from "./types";

export const FEED_DEFAULT_LIMIT = 8; // a few screens ahead: the player preloads two, the client asks again near the end
export const FEED_MAX_LIMIT = 30;
const CANDIDATES_PER_SOURCE = 200; // the fallback blend: enough to fill several pages from each source
// Trending weights of the fallback blend: a share or a comment says more than a like. Gravity 1.5 halves a video's
// score in about a day.
const TRENDING = { like: 3, comment: 4, share: 5, gravity: 1.5, ageOffsetHours: 2 };

export type FeedInput = {
  tab: FeedTab;
  cursor?: string;
  limit?: number;
  /** ?strategy= as sent (For You); honoured for staff, or everyone with RECS_STRATEGY_PARAM=any. */
  strategy?: string;
  device?: "mobile" | "desktop" | "unknown";
};
export type FeedViewer = { user: AuthUser | null; deviceId: string | null };

type Cursor = { offset?: number; before?: { at: string; id: string } };

export async function getFeed(viewer: FeedViewer, input: FeedInput): Promise<FeedPage> {
  const limit = Math.min(Math.max(input.limit ?? FEED_DEFAULT_LIMIT, 1), FEED_MAX_LIMIT);
  const cursor = decodeCursor(input.cursor, isFeedCursor) ?? {};
  const requestId = randomUUID();
  if (input.tab === "following") {
    if (!viewer.user) throw new AppError("unauthorized", "Sign in to see videos from the people you follow.");
    return getFollowingFeed(viewer.user, cursor, limit, requestId);
  }
  try {
    return await getForYou(viewer, { limit, requestId, strategy: input.strategy, device: input.device });
  } catch (error) {
    if (isAppError(error)) throw error;
    // Redis down is the degraded mode this fallback is for; anything else is a fault to fix, logged as one (the viewer
    // still gets a page).
    if (getRedis().status !== "ready") getLogger().warn({ err: error }, "feed: Redis is unavailable; For You answers with the plain blend");
    else getLogger().error({ err: error }, "feed: the recommender failed; answering with the plain blend");
    return getBlendFeed(viewer, cursor, limit, requestId);
  }
}

/** The plain trending + fresh blend, for when the recommender cannot answer (Redis down). */
async function getBlendFeed(viewer: FeedViewer, cursor: Cursor, limit: number, requestId: string): Promise<FeedPage> {
  const viewerKey = viewer.user ? `u:${viewer.user.id}` : viewer.deviceId ? `d:${viewer.deviceId}` : null;
  const [seen, hidden, hiddenAuthors] = await Promise.all([
    viewerKey ? loadSeen(viewerKey) : null,
    viewer.user ? loadNotInterested(viewer.user.id) : [],
    viewer.user ? loadHiddenAuthorIds(viewer.user.id) : [],
  ]);
  const excluded = [...(seen ?? []), ...hidden];
  const ownId = viewer.user?.id ?? null;
  const [trending, fresh] = await Promise.all([
    listTrendingIds(excluded, ownId, hiddenAuthors),
    listFreshIds(excluded, ownId, hiddenAuthors),
  ]);
  const blend = blendSources(trending, fresh);
  // With a working seen set, served videos drop out of the blend by themselves; without one, page by offset.
  const offset = seen ? 0 : (cursor.offset ?? 0);
  const picked = blend.slice(offset, offset + limit);
  const reasons = new Map(picked.map((entry) => [entry.id, entry.reason]));
  const items = await hydrate(viewer.user, picked.map((entry) => entry.id), reasons, { requestId, tab: "foryou" });
  if (viewerKey && seen) await markSeen(viewerKey, items.map((item) => item.id));
  const more = blend.length > offset + picked.length;
  return { items, cursor: more ? encodeCursor({ offset: offset + picked.length }) : null, requestId, feedRequestId: requestId };
}

async function getFollowingFeed(user: AuthUser, cursor: Cursor, limit: number, requestId: string): Promise<FeedPage> {
  const [hidden, hiddenAuthors] = await Promise.all([loadNotInterested(user.id), loadHiddenAuthorIds(user.id)]);
  const before = cursor.before;
  const rows = await getDb().video.findMany({
    where: {
      ...LISTED_WHERE,
      author: { status: "ACTIVE", followers: { some: { followerId: user.id } } },
      id: { notIn: hidden },
      authorId: { notIn: hiddenAuthors },
      ...(before
        ? { OR: [{ publishedAt: { lt: new Date(before.at) } }, { publishedAt: new Date(before.at), id: { lt: before.id } }] }
        : {}),
    },
    orderBy: [{ publishedAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: { id: true, publishedAt: true, author: { select: { handle: true } } },
  });
  const page = rows.slice(0, limit);
  const reasons = new Map(page.map((row) => [row.id, `New from @${row.author.handle}`]));
  const items = await hydrate(user, page.map((row) => row.id), reasons, { requestId, tab: "following" });
  const last = page.at(-1);
  const next = rows.length > limit && last?.publishedAt ? encodeCursor({ before: { at: last.publishedAt.toISOString(), id: last.id } }) : null;
  return { items, cursor: next, requestId, feedRequestId: requestId };
}


async function listTrendingIds(excluded: string[], ownId: string | null, hiddenAuthors: string[]): Promise<string[]> {
  const rows = await getDb().$queryRaw<Array<{ id: string }>>`
    SELECT v.id FROM "Video" v JOIN "User" u ON u.id = v."authorId"
    WHERE ${LISTED_SQL} AND v.id <> ALL(${excluded}::text[]) AND v."authorId" IS DISTINCT FROM ${ownId}
      AND v."authorId" <> ALL(${hiddenAuthors}::text[])
    ORDER BY (
      ${TRENDING.like} * (SELECT count(*) FROM "Like" l WHERE l."videoId" = v.id)
      + ${TRENDING.comment} * (SELECT count(*) FROM "Comment" c WHERE c."videoId" = v.id AND c."deletedAt" IS NULL)
      + ${TRENDING.share} * (SELECT count(*) FROM "Share" s WHERE s."videoId" = v.id)
      + 1
    ) / power(extract(epoch FROM now() - coalesce(v."publishedAt", v."createdAt")) / 3600 + ${TRENDING.ageOffsetHours}, ${TRENDING.gravity}) DESC, v.id
    LIMIT ${CANDIDATES_PER_SOURCE}`;
  return rows.map((row) => row.id);
}

async function listFreshIds(excluded: string[], ownId: string | null, hiddenAuthors: string[]): Promise<string[]> {
  const authors = [...hiddenAuthors, ...(ownId ? [ownId] : [])];
  const rows = await getDb().video.findMany({
    where: { ...LISTED_WHERE, id: { notIn: excluded }, authorId: { notIn: authors } },
    orderBy: [{ publishedAt: "desc" }, { id: "desc" }],
    take: CANDIDATES_PER_SOURCE,
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

/** Two trending videos, then one fresh one, and so on, each video once. */
export function blendSources(trending: string[], fresh: string[]): Array<{ id: string; reason: string }> {
  const out: Array<{ id: string; reason: string }> = [];
  const used = new Set<string>();
  const take = (list: string[], reason: string) => {
    while (list.length > 0) {
      const id = list.shift()!;
      if (used.has(id)) continue;
      used.add(id);
      out.push({ id, reason });
      return;
    }
  };
  const t = [...trending];
  const f = [...fresh];
  while (t.length > 0 || f.length > 0) {
    take(t, "Popular now");
    take(t, "Popular now");
    take(f, "New on Flick");
  }
  return out;
}

async function loadNotInterested(userId: string): Promise<string[]> {
  const rows = await getDb().notInterested.findMany({ where: { userId }, select: { videoId: true } });
  return rows.map((row) => row.videoId);
}

/**
 * Folds one viewer's seen set into another's (a signed-out browser's into the account it signed in to), so For You
 * does not serve the account what the browser has already been served. Throws when Redis is down.
 */
export async function mergeSeen(fromViewerKey: string, intoViewerKey: string): Promise<void> {
  const into = seenKey(intoViewerKey);
  await getRedis()
    .multi()
    .zunionstore(into, 2, into, seenKey(fromViewerKey), "AGGREGATE", "MIN")
    .zremrangebyrank(into, 0, -SEEN_MAX - 1)
    .expire(into, SEEN_TTL_SECONDS)
    .del(seenKey(fromViewerKey))
    .exec();
}

/**
 * "Refresh your For You" (settings): forgets what For You served this account and everything the recommender learned
 * about it (lib/recs resetForYou), so the feed starts over as for a newcomer.
 */
export async function refreshForYou(userId: string): Promise<void> {
  try {
    await resetForYou(`u:${userId}`);
  } catch (error) {
    getLogger().error({ err: error, userId }, "feed: could not refresh For You");
    throw new AppError("unavailable", "Your For You could not be refreshed just now. Please try again in a minute.");
  }
}

function isFeedCursor(parsed: unknown): parsed is Cursor {
  const { offset, before } = parsed as Cursor;
  const offsetOk = offset === undefined || isOffsetCursor({ offset });
  const beforeOk = before === undefined || (typeof before.id === "string" && !Number.isNaN(Date.parse(before.at)));
  return offsetOk && beforeOk;
}
