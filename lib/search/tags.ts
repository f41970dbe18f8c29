// Hashtag pages: /tag/<name> and GET /api/tags/:name/videos. A tag's listed videos, newest first, paged by keyset so a
// page never repeats or skips a video while new ones are published. A tag with no listed video is "not found", so a
// tag used only on private videos does not reveal that they exist. A signed-in viewer does not see the videos of
// accounts a block stands between them and, or of accounts they muted (lib/safety).
import { decodeCursor, encodeCursor } from "../cursor";
import { getDb, type Prisma } from "../db";
import { AppError } from "../errors";
import { loadHiddenAuthorIds } from "../safety";
import { mediaUrl } from "../videos/view";
import type { TagPage } from "./types";

export const TAG_PAGE_LIMIT = 24; // four rows of six on a wide screen; the grid asks for more with the cursor
// Hashtags as lib/videos/caption.ts parses them: 1–50 letters, digits or "_", stored lower-case without the "#".
export const TAG_NAME_PATTERN = /^[\p{L}\p{N}_]{1,50}$/u;

type Cursor = { at: string; id: string };

/** A tag as typed in a URL ("#Dance", "dance") to its stored form, or null when it cannot be a tag. */
export function normalizeTagName(raw: string): string | null {
  const name = raw.trim().replace(/^#/, "").toLowerCase();
  return TAG_NAME_PATTERN.test(name) ? name : null;
}

function listedWith(hashtagId: string, hiddenAuthors: string[]): Prisma.VideoWhereInput {
  return {
    authorId: { notIn: hiddenAuthors },
    status: "READY",
    visibility: "PUBLIC",
    moderation: "APPROVED",
    publishedAt: { not: null },
    author: { status: "ACTIVE" },
    hashtags: { some: { hashtagId } },
  };
}

export type TagPageInput = { cursor?: string; limit?: number; viewer?: { id: string } | null };

export async function getTagPage(rawName: string, input: TagPageInput = {}): Promise<TagPage> {
  const { cursor: cursorValue, limit = TAG_PAGE_LIMIT, viewer = null } = input;
  const name = normalizeTagName(rawName);
  const notFound = new AppError("not_found", `No videos are tagged #${name ?? rawName.replace(/^#/, "")} yet.`);
  if (!name) throw notFound;
  const cursor = decodeCursor(cursorValue, isTagCursor);
  const hashtag = await getDb().hashtag.findUnique({ where: { name }, select: { id: true } });
  if (!hashtag) throw notFound;
  const where = listedWith(hashtag.id, viewer ? await loadHiddenAuthorIds(viewer.id) : []);
  const [count, rows] = await Promise.all([
    getDb().video.count({ where }),
    getDb().video.findMany({
      where: cursor
        ? { ...where, OR: [{ publishedAt: { lt: new Date(cursor.at) } }, { publishedAt: new Date(cursor.at), id: { lt: cursor.id } }] }
        : where,
      orderBy: [{ publishedAt: "desc" }, { id: "desc" }],
      take: limit + 1,
      select: { id: true, caption: true, posterKey: true, publishedAt: true, author: { select: { handle: true } }, _count: { select: { likes: true } } },
    }),
  ]);
  if (count === 0) throw notFound;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    name,
    count,
    videos: page.map((row) => ({
      id: row.id,
      caption: row.caption,
      poster: row.posterKey ? mediaUrl(row.posterKey) : null,
      author: { handle: row.author.handle },
      likes: row._count.likes,
    })),
    cursor: rows.length > limit && last?.publishedAt ? encodeCursor({ at: last.publishedAt.toISOString(), id: last.id }) : null,
  };
}

function isTagCursor(parsed: unknown): parsed is Cursor {
  const { id, at } = parsed as Partial<Cursor>;
  return typeof id === "string" && typeof at === "string" && !Number.isNaN(Date.parse(at));
}
