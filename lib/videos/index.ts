// Videos: the public face of lib/videos. The media pipeline and feed issues grow this module.
import { getDb } from "../db";

export type VideoCard = { id: string; caption: string; poster: string | null; author: string; createdAt: string };

/** Only these reach viewers other than the author: processed, public and passed by moderation. */
export const PUBLICLY_VISIBLE = { status: "READY", visibility: "PUBLIC", moderation: "APPROVED" } as const;

export async function listRecentPublicVideos(options: { limit: number; authorId?: string }): Promise<VideoCard[]> {
  const rows = await getDb().video.findMany({
    where: { ...PUBLICLY_VISIBLE, ...(options.authorId ? { authorId: options.authorId } : {}) },
    orderBy: { publishedAt: "desc" },
    take: options.limit,
    include: { author: { select: { handle: true } } },
  });
  return rows.map((row) => ({
    id: row.id,
    caption: row.caption,
    poster: row.posterKey ? `/media/${row.posterKey}` : null,
    author: row.author.handle,
    createdAt: row.createdAt.toISOString(),
  }));
}
