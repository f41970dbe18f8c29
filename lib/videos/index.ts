// Videos: the public face of lib/videos. The media pipeline and feed issues grow this module.
import { getDb } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { LISTED_WHERE } from "./listed";
import { mediaUrl } from "./view";

export type VideoCard = {
  id: string;
  caption: string;
  poster: string | null;
  /** Master playlist, for a muted preview on hover. */
  hls: string | null;
  author: string;
  createdAt: string;
};

/** Only these reach viewers other than the author: processed, public and passed by moderation. */
export const PUBLICLY_VISIBLE = { status: "READY", visibility: "PUBLIC", moderation: "APPROVED" } as const;

const LISTED = { ...PUBLICLY_VISIBLE, author: { status: "ACTIVE" } } satisfies Prisma.VideoWhereInput;

/**
 * The ids among `ids` that may be listed to others right now (ready, public, approved by moderation, published media,
 * author not banned), in the order given. Any feed that serves ids from a cache or an index (For You's candidates)
 * calls this last, so a video hidden or an account banned a moment ago is gone on the next request.
 */
export async function filterListedVideoIds(ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await getDb().video.findMany({ where: { id: { in: ids }, ...LISTED_WHERE }, select: { id: true } });
  const listed = new Set(rows.map((row) => row.id));
  return ids.filter((id) => listed.has(id));
}
const cardSelect = {
  id: true,
  caption: true,
  posterKey: true,
  mediaVersion: true,
  playableAt: true,
  createdAt: true,
  author: { select: { handle: true } },
} satisfies Prisma.VideoSelect;

type CardRow = Prisma.VideoGetPayload<{ select: typeof cardSelect }>;

function toVideoCard(row: CardRow): VideoCard {
  return {
    id: row.id,
    caption: row.caption,
    poster: row.posterKey ? mediaUrl(row.posterKey) : null,
    hls: row.mediaVersion && row.playableAt ? mediaUrl(`videos/${row.id}/${row.mediaVersion}/master.m3u8`) : null,
    author: row.author.handle,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listRecentPublicVideos(options: { limit: number; authorId?: string }): Promise<VideoCard[]> {
  const rows = await getDb().video.findMany({
    where: { ...LISTED, ...(options.authorId ? { authorId: options.authorId } : {}) },
    orderBy: { publishedAt: "desc" },
    take: options.limit,
    select: cardSelect,
  });
  return rows.map(toVideoCard);
}

/** Listed videos by authors with no block between them and `userId` (lib/safety): for that user's own lists. */
function listedFor(userId: string): Prisma.VideoWhereInput {
  return {
    ...PUBLICLY_VISIBLE,
    author: { status: "ACTIVE", blocking: { none: { blockedId: userId } }, blockedBy: { none: { blockerId: userId } } },
  };
}

/** Listed videos this user liked, most recently liked first. */
export async function listLikedVideos(userId: string, limit: number): Promise<VideoCard[]> {
  const likes = await getDb().like.findMany({
    where: { userId, video: listedFor(userId) },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { video: { select: cardSelect } },
  });
  return likes.map((like) => toVideoCard(like.video));
}

/** Listed videos this user bookmarked, most recently saved first. Only ever shown to that user. */
export async function listBookmarkedVideos(userId: string, limit: number): Promise<VideoCard[]> {
  const bookmarks = await getDb().bookmark.findMany({
    where: { userId, video: listedFor(userId) },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { video: { select: cardSelect } },
  });
  return bookmarks.map((bookmark) => toVideoCard(bookmark.video));
}
