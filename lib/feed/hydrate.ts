// Turning video ids into feed items: the VideoView, counts (likes, comments, shares; views = folded PLAY events) and
// the viewer's own liked/bookmarked/following flags, in a handful of batched queries. With `listedFor`, hydrate is
// also the authoritative last check of For You: only listed videos (public, ready, approved, published media, active
// author) whose author no block or mute hides from the viewer, and never the viewer's own, come back, so a video
// made private or hidden a second ago never reaches a page, whatever a cache still says.
import type { AuthUser } from "../auth/types";
import { countViews } from "../analytics/counts";
import { getDb } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { toVideoView, videoViewInclude } from "../videos/view";
import type { FeedItem, FeedTab } from "./types";

export const LISTED = { status: "READY", visibility: "PUBLIC", moderation: "APPROVED", mediaVersion: { not: null } } satisfies Prisma.VideoWhereInput;

export type HydrateOptions = {
  requestId: string;
  tab: FeedTab;
  /** Keep only listed videos, not by these authors (blocked either way, muted, the viewer). */
  listedFor?: { hiddenAuthorIds: string[] };
};

/** Items in the order of `ids`; ids that do not (or no longer) qualify are left out. */
export async function hydrate(user: AuthUser | null, ids: string[], reasons: Map<string, string>, options: HydrateOptions): Promise<FeedItem[]> {
  if (ids.length === 0) return [];
  const where: Prisma.VideoWhereInput = options.listedFor
    ? { id: { in: ids }, ...LISTED, author: { status: "ACTIVE" }, authorId: { notIn: options.listedFor.hiddenAuthorIds } }
    : { id: { in: ids } };
  const rows = await getDb().video.findMany({
    where,
    include: { ...videoViewInclude, _count: { select: { likes: true, shares: true, comments: { where: { deletedAt: null } } } } },
  });
  const found = rows.map((row) => row.id);
  const authorIds = [...new Set(rows.map((row) => row.authorId))];
  const [liked, bookmarked, following, views] = await Promise.all([
    user && found.length > 0 ? getDb().like.findMany({ where: { userId: user.id, videoId: { in: found } }, select: { videoId: true } }) : [],
    user && found.length > 0 ? getDb().bookmark.findMany({ where: { userId: user.id, videoId: { in: found } }, select: { videoId: true } }) : [],
    user && found.length > 0 ? getDb().follow.findMany({ where: { followerId: user.id, followeeId: { in: authorIds } }, select: { followeeId: true } }) : [],
    countViews(found),
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
        feedRequestId: options.requestId,
        source: options.tab,
      },
    ];
  });
}
