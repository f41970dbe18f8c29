// Turning video ids into feed items: the VideoView, counts (likes, comments, shares; views = folded PLAY events) and
// the viewer's own liked/bookmarked/following flags, in a handful of batched queries. With `listedFor`, hydrate is
// also the authoritative last check of For You: only listed videos (public, ready, approved, published media, active
// author) whose author no block or mute hides from the viewer, and never the viewer's own, come back, so a video
// made private or hidden a second ago never reaches a page, whatever a cache still says.
import type { AuthUser } from "../auth/types";
import { Prisma, queryRows } from "../db";
import { LISTED_SQL } from "../videos/listed";
import { toVideoView, type VideoViewSource } from "../videos/view";
import type { FeedItem, FeedTab } from "./types";

export type HydrateOptions = {
  requestId: string;
  tab: FeedTab;
  /** Keep only listed videos, not by these authors (blocked either way, muted, the viewer). */
  listedFor?: { hiddenAuthorIds: string[] };
};

// One row per video: the fields toVideoView reads, its author, hashtags, counts and the viewer's flags.
type HydrateRow = VideoViewSource & {
  authorId: string;
  likes: number;
  shares: number;
  comments: number;
  views: number;
  liked: boolean;
  bookmarked: boolean;
  followingAuthor: boolean;
};

/**
 * Items in the order of `ids`; ids that do not (or no longer) qualify are left out. One SQL statement (a feed page is
 * on every swipe's critical path): the video row with its author, hashtags, like/share/comment/view counts and the
 * viewer's liked/bookmarked/following flags as correlated subqueries over their videoId (and userId) indexes. As
 * separate Prisma queries this was twelve round trips, and `include: { _count }` aggregated the whole Like, Share and
 * Comment tables on every page.
 */
export async function hydrate(user: AuthUser | null, ids: string[], reasons: Map<string, string>, options: HydrateOptions): Promise<FeedItem[]> {
  if (ids.length === 0) return [];
  const viewerId = user?.id ?? "";
  const listed = options.listedFor
    ? Prisma.sql`AND ${LISTED_SQL} AND NOT (v."authorId" = ANY(${options.listedFor.hiddenAuthorIds}::text[]))`
    : Prisma.empty;
  // On every page: one plain statement (lib/db.ts queryRows), not through Prisma's per-call work.
  const rows = await queryRows<Omit<HydrateRow, "hashtags" | "author"> & { tags: string[]; handle: string; name: string; avatarKey: string | null }>(Prisma.sql`
    SELECT v."id", v."authorId", v."status"::text AS "status", v."progress", v."error", v."mediaVersion", v."playableAt", v."media",
      v."blurhash", v."width", v."height", v."durationMs", v."caption", v."visibility"::text AS "visibility", v."allowComments",
      v."moderation"::text AS "moderation", v."moderationReason", v."coverTimeMs", v."createdAt",
      u."handle", u."name", u."avatarKey",
      coalesce((SELECT array_agg(h."name" ORDER BY h."name") FROM "VideoHashtag" vh JOIN "Hashtag" h ON h."id" = vh."hashtagId" WHERE vh."videoId" = v."id"), '{}') AS "tags",
      (SELECT count(*) FROM "Like" l WHERE l."videoId" = v."id")::int AS "likes",
      (SELECT count(*) FROM "Share" s WHERE s."videoId" = v."id")::int AS "shares",
      (SELECT count(*) FROM "Comment" c WHERE c."videoId" = v."id" AND c."deletedAt" IS NULL)::int AS "comments",
      coalesce((SELECT sum(d."views") FROM "VideoDailyStats" d WHERE d."videoId" = v."id"), 0)::float8 AS "views",
      EXISTS (SELECT 1 FROM "Like" l WHERE l."userId" = ${viewerId} AND l."videoId" = v."id") AS "liked",
      EXISTS (SELECT 1 FROM "Bookmark" b WHERE b."userId" = ${viewerId} AND b."videoId" = v."id") AS "bookmarked",
      EXISTS (SELECT 1 FROM "Follow" f WHERE f."followerId" = ${viewerId} AND f."followeeId" = v."authorId") AS "followingAuthor"
    FROM "Video" v JOIN "User" u ON u."id" = v."authorId"
    WHERE v."id" = ANY(${ids}::text[]) ${listed}`);
  const byId = new Map(
    rows.map((row): [string, HydrateRow] => [
      row.id,
      { ...row, hashtags: row.tags.map((name) => ({ hashtag: { name } })), author: { handle: row.handle, name: row.name, avatarKey: row.avatarKey } },
    ]),
  );
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
        stats: { likes: row.likes, comments: row.comments, shares: row.shares, views: row.views },
        viewer: { liked: row.liked, bookmarked: row.bookmarked, followingAuthor: row.followingAuthor },
        reason: reasons.get(id) ?? "",
        feedRequestId: options.requestId,
        source: options.tab,
      },
    ];
  });
}
