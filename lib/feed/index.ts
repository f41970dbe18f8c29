// The feed: GET /api/feed. For You is, until the recommender lands, a blend of trending (time-decayed engagement) and
// fresh videos that never repeats one the viewer has already been served; Following is the newest videos of the
// accounts the viewer follows. Both skip "not interested" videos and the videos of accounts the viewer blocked, was
// blocked by, or muted (lib/safety), and only listed videos (public, ready, approved, by an active account) ever
// appear.
//
// "Seen" is a Redis sorted set per viewer (account, or anonymous device cookie) of the videos served to them; being
// served counts as being seen, which is also what keeps pages from repeating. If Redis is down the feed still
// answers, paging by offset through the same blend instead. View counts are the PLAY events the analytics consumer
// has folded (lib/analytics), so a video served but never played counts no view.
import { randomUUID } from "node:crypto";
import type { AuthUser } from "../auth/types";
import { decodeCursor, encodeCursor, isOffsetCursor } from "../cursor";
import { getDb } from "../db";
import { AppError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import { getLogger } from "../logger";
import { getRedis } from "../redis";
import { countViews } from "../analytics/counts";
import { loadHiddenAuthorIds } from "../safety";
import { toVideoView, videoViewInclude } from "../videos/view";
import type { FeedItem, FeedPage, FeedTab } from "./types";

export type { FeedItem, FeedPage, FeedTab } from "./types";

export const FEED_DEFAULT_LIMIT = 8; // a few screens ahead: the player preloads two, the client asks again near the end
export const FEED_MAX_LIMIT = 30;
const CANDIDATES_PER_SOURCE = 200; // enough to fill several pages from each source without scanning everything
const SEEN_MAX = 5_000; // per viewer; the oldest fall off, so a very long-lived viewer may eventually see a video again
const SEEN_TTL_SECONDS = 90 * 24 * 3600; // an idle viewer's history expires after a quarter
// Trending weights: a share or a comment says more than a like. Gravity 1.5 halves a video's score in about a day.
const TRENDING = { like: 3, comment: 4, share: 5, gravity: 1.5, ageOffsetHours: 2 };

export type FeedInput = { tab: FeedTab; cursor?: string; limit?: number };
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
  return getForYouFeed(viewer, cursor, limit, requestId);
}

async function getForYouFeed(viewer: FeedViewer, cursor: Cursor, limit: number, requestId: string): Promise<FeedPage> {
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
      ...LISTED,
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

const LISTED = { status: "READY", visibility: "PUBLIC", moderation: "APPROVED", mediaVersion: { not: null } } satisfies Prisma.VideoWhereInput;

async function listTrendingIds(excluded: string[], ownId: string | null, hiddenAuthors: string[]): Promise<string[]> {
  const rows = await getDb().$queryRaw<Array<{ id: string }>>`
    SELECT v.id FROM "Video" v JOIN "User" u ON u.id = v."authorId"
    WHERE v.status = 'READY' AND v.visibility = 'PUBLIC' AND v.moderation = 'APPROVED' AND v."mediaVersion" IS NOT NULL
      AND u.status = 'ACTIVE' AND v.id <> ALL(${excluded}::text[]) AND v."authorId" IS DISTINCT FROM ${ownId}
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
    where: { ...LISTED, author: { status: "ACTIVE" }, id: { notIn: excluded }, authorId: { notIn: authors } },
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

async function hydrate(user: AuthUser | null, ids: string[], reasons: Map<string, string>, served: { requestId: string; tab: FeedTab }): Promise<FeedItem[]> {
  if (ids.length === 0) return [];
  const rows = await getDb().video.findMany({
    where: { id: { in: ids } },
    include: { ...videoViewInclude, _count: { select: { likes: true, shares: true, comments: { where: { deletedAt: null } } } } },
  });
  const authorIds = [...new Set(rows.map((row) => row.authorId))];
  const [liked, bookmarked, following, views] = await Promise.all([
    user ? getDb().like.findMany({ where: { userId: user.id, videoId: { in: ids } }, select: { videoId: true } }) : [],
    user ? getDb().bookmark.findMany({ where: { userId: user.id, videoId: { in: ids } }, select: { videoId: true } }) : [],
    user ? getDb().follow.findMany({ where: { followerId: user.id, followeeId: { in: authorIds } }, select: { followeeId: true } }) : [],
    countViews(ids),
  ]);
  const likedIds = new Set(liked.map((row) => row.videoId));
  const bookmarkedIds = new Set(bookmarked.map((row) => row.videoId));
  const followedIds = new Set(following.map((row) => row.followeeId));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const view = toVideoView(row);
    if (!view.hls) return [];
    return [
      {
        id,
        hls: view.hls,
        poster: view.poster,
        blurhash: view.blurhash,
        width: view.width,
        height: view.height,
        duration: view.duration,
        caption: view.caption,
        hashtags: view.hashtags,
        author: view.author,
        thumbnails: view.thumbnails,
        allowComments: view.allowComments,
        stats: { likes: row._count.likes, comments: row._count.comments, shares: row._count.shares, views: views.get(id) ?? 0 },
        viewer: { liked: likedIds.has(id), bookmarked: bookmarkedIds.has(id), followingAuthor: followedIds.has(row.authorId) },
        reason: reasons.get(id) ?? "",
        feedRequestId: served.requestId,
        source: served.tab,
      },
    ];
  });
}

async function loadNotInterested(userId: string): Promise<string[]> {
  const rows = await getDb().notInterested.findMany({ where: { userId }, select: { videoId: true } });
  return rows.map((row) => row.videoId);
}

const seenKey = (viewerKey: string) => `flick:feed:seen:${viewerKey}`;

/** The videos already served to this viewer, or null when Redis cannot say (the feed then pages by offset). */
async function loadSeen(viewerKey: string): Promise<string[] | null> {
  try {
    return await getRedis().zrange(seenKey(viewerKey), 0, -1);
  } catch (error) {
    getLogger().warn({ err: error }, "feed: seen set unavailable, paging by offset");
    return null;
  }
}

/** Adds served videos to the viewer's seen set, in one round trip. */
async function markSeen(viewerKey: string, ids: string[]): Promise<void> {
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

/** Forgets what this viewer has been served: For You starts over (settings "Reset For You"). */
export async function resetSeen(userId: string): Promise<void> {
  try {
    await getRedis().del(seenKey(`u:${userId}`));
  } catch (error) {
    getLogger().error({ err: error, userId }, "feed: could not reset the seen set");
    throw new AppError("unavailable", "Your For You history could not be reset just now. Please try again in a minute.");
  }
}

function isFeedCursor(parsed: unknown): parsed is Cursor {
  const { offset, before } = parsed as Cursor;
  const offsetOk = offset === undefined || isOffsetCursor({ offset });
  const beforeOk = before === undefined || (typeof before.id === "string" && !Number.isNaN(Date.parse(before.at)));
  return offsetOk && beforeOk;
}
