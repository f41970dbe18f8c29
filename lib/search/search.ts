// GET /api/search: accounts, videos and hashtags for a query, each section ranked and limited.
//
// Matching, so that typos still find things:
//   - handles and hashtags: a prefix, or pg_trgm similarity (`%`), on GIN trigram indexes: "dnace" finds #dance;
//   - display names: similarity or containment, on the name's trigram index;
//   - captions: full text on the expression index "Video_caption_fts_idx" (english stems "cooking" to "cook"; simple
//     keeps handles, tags and stop words as written), and the videos of hashtags similar to the query. When those
//     find too little for the page, strict word similarity (`<<%`) on the caption's trigram index looks for words
//     spelled almost like the query, so "cokking" still finds "#cooking pasta".
// Cost stays flat as the instance grows: every way of matching contributes a bounded number of candidates (precise
// ones in a meaningful order: shortest handle, newest video; fuzzy ones as the index yields them), and only those
// are ranked. Ranking puts exact matches first (the exact handle or tag, then a prefix, then the closest by
// similarity), with followers and likes breaking ties.
//
// Only ACTIVE accounts and listed videos (READY, PUBLIC, APPROVED, by an ACTIVE account) are ever returned, and a
// hashtag appears only while a listed video carries it, so a tag used only on private videos reveals nothing. A
// signed-in searcher never sees accounts a block stands between them and, nor the videos of those or of muted
// accounts (lib/safety).
import { getDb, Prisma } from "../db";
import { decodeCursor, encodeCursor, isOffsetCursor } from "../cursor";
import { loadBlockedIds, loadHiddenAuthorIds } from "../safety";
import { mediaUrl } from "../videos/view";
import type { HashtagResult, SearchResults, SearchType, UserResult, VideoResult } from "./types";

// Section sizes on the Top tab: a glance at each kind, with a tab per kind for more.
const TOP_LIMITS = { users: 5, videos: 12, hashtags: 8 } as const;
// One page of a single-kind tab: a screenful of results.
const PAGE_LIMITS = { users: 20, videos: 24, hashtags: 30 } as const;
// Candidates each way of matching may contribute before ranking. Ranked results page by offset up to the same depth:
// past it, a better query serves people better than a twenty-first page.
const CANDIDATES_PER_SOURCE = 500;
const MAX_OFFSET = CANDIDATES_PER_SOURCE;
// Trigram thresholds. 0.2 for names (handles, tags, display names): two swapped letters in a five-letter word
// ("dnace") leave 2 of 6 trigrams shared, a similarity of exactly 0.2, which the default 0.3 would miss. 0.4 for
// words inside captions: "cokking" against "#cooking pasta" scores 0.45, while words that merely share a syllable
// ("dance" in "abundance", 0.33) stay out.
const NAME_SIMILARITY_THRESHOLD = 0.2;
const CAPTION_WORD_SIMILARITY_THRESHOLD = 0.4;
// Tags similar to the query whose videos also count as matches: the closest few, so a short query cannot fan out.
const SIMILAR_TAGS = 20;

export type SearchInput = { q: string; type: SearchType; cursor?: string };

type Terms = {
  /** The query as typed, whitespace collapsed: for full text and display names. */
  text: string;
  /** Lower case: for similarity against captions. */
  lower: string;
  /** What a handle could be (a–z, 0–9, "_", "."); empty when nothing is left. */
  handle: string;
  /** What a hashtag could be (letters, digits, "_"); empty when nothing is left. */
  tag: string;
};

type Tx = Prisma.TransactionClient;

// A video others may find (lib/videos PUBLICLY_VISIBLE); the author's status is checked where the author is joined.
const LISTED_VIDEO = Prisma.sql`v.status = 'READY' AND v.visibility = 'PUBLIC' AND v.moderation = 'APPROVED'`;

/** Accounts left out for one searcher: `users` from people results, `authors` (adds muted) from video results. */
type Hidden = { users: string[]; authors: string[] };

export async function search(input: SearchInput, viewer: { id: string } | null = null): Promise<SearchResults> {
  const [users, authors] = viewer ? await Promise.all([loadBlockedIds(viewer.id), loadHiddenAuthorIds(viewer.id)]) : [[], []];
  const hidden: Hidden = { users, authors };
  const terms = termsOf(input.q);
  const offset = decodeOffset(input.cursor);
  const base = { query: terms.text, type: input.type, users: [] as UserResult[], videos: [] as VideoResult[], hashtags: [] as HashtagResult[] };
  if (input.type !== "all" && offset >= MAX_OFFSET) return { ...base, cursor: null };
  return getDb().$transaction(async (tx) => {
    // Local to this transaction: the thresholds that the `%` and `<<%` operators, and so the trigram indexes, use.
    await tx.$queryRaw`SELECT set_config('pg_trgm.similarity_threshold', ${String(NAME_SIMILARITY_THRESHOLD)}, true)`;
    await tx.$queryRaw`SELECT set_config('pg_trgm.strict_word_similarity_threshold', ${String(CAPTION_WORD_SIMILARITY_THRESHOLD)}, true)`;
    if (input.type === "all") {
      const users = await searchUsers(tx, terms, TOP_LIMITS.users, 0, hidden.users);
      const videos = await searchVideos(tx, terms, TOP_LIMITS.videos, 0, hidden.authors);
      const hashtags = await searchHashtags(tx, terms, TOP_LIMITS.hashtags, 0, hidden.authors);
      return { ...base, users, videos, hashtags, cursor: null };
    }
    // One more than a page tells whether another page exists without counting every match.
    const limit = PAGE_LIMITS[input.type];
    const cursorAfter = (found: number) => (found > limit && offset + limit < MAX_OFFSET ? encodeOffset(offset + limit) : null);
    if (input.type === "users") {
      const users = await searchUsers(tx, terms, limit + 1, offset, hidden.users);
      return { ...base, users: users.slice(0, limit), cursor: cursorAfter(users.length) };
    }
    if (input.type === "videos") {
      const videos = await searchVideos(tx, terms, limit + 1, offset, hidden.authors);
      return { ...base, videos: videos.slice(0, limit), cursor: cursorAfter(videos.length) };
    }
    const hashtags = await searchHashtags(tx, terms, limit + 1, offset, hidden.authors);
    return { ...base, hashtags: hashtags.slice(0, limit), cursor: cursorAfter(hashtags.length) };
  });
}

function termsOf(q: string): Terms {
  const text = q.trim().replace(/\s+/g, " ");
  const lower = text.toLowerCase();
  const bare = lower.replace(/^[#@]/, "");
  return { text, lower, handle: bare.replace(/[^a-z0-9_.]/g, ""), tag: bare.replace(/[^\p{L}\p{N}_]/gu, "") };
}

/** A LIKE pattern for values starting with `value` taken literally ("_" and "%" are ordinary characters here). */
function prefixPattern(value: string): string {
  return `${value.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

async function searchUsers(tx: Tx, terms: Terms, limit: number, offset: number, hiddenIds: string[]): Promise<UserResult[]> {
  const { handle, text } = terms;
  const handlePrefix = prefixPattern(handle);
  const rows = await tx.$queryRaw<Array<{ handle: string; name: string; avatarKey: string | null; followers: number }>>`
    WITH by_handle AS (
      SELECT u.id FROM "User" u
      WHERE ${handle} <> '' AND u.status = 'ACTIVE' AND u.handle LIKE ${handlePrefix} ESCAPE '\\'
      ORDER BY length(u.handle), u.handle
      LIMIT ${CANDIDATES_PER_SOURCE}
    ),
    fuzzy AS (
      SELECT u.id FROM "User" u
      WHERE u.status = 'ACTIVE'
        AND ((${handle} <> '' AND u.handle % ${handle}) OR u.name % ${text} OR u.name ILIKE ${`%${prefixPattern(text)}`} ESCAPE '\\')
      LIMIT ${CANDIDATES_PER_SOURCE}
    ),
    candidates AS (SELECT id FROM by_handle UNION SELECT id FROM fuzzy)
    SELECT u.handle, u.name, u."avatarKey",
      (SELECT count(*) FROM "Follow" f JOIN "User" follower ON follower.id = f."followerId"
        WHERE f."followeeId" = u.id AND follower.status = 'ACTIVE')::int AS followers
    FROM candidates c JOIN "User" u ON u.id = c.id
    WHERE u.id <> ALL(${hiddenIds}::text[])
    ORDER BY
      (u.handle = ${handle}) DESC,
      (${handle} <> '' AND u.handle LIKE ${handlePrefix} ESCAPE '\\') DESC,
      greatest(similarity(u.handle, ${handle}), similarity(u.name, ${text})) DESC,
      followers DESC,
      u.handle
    LIMIT ${limit} OFFSET ${offset}`;
  return rows.map((row) => ({
    handle: row.handle,
    name: row.name || row.handle,
    avatar: row.avatarKey ? mediaUrl(row.avatarKey) : null,
    followers: row.followers,
  }));
}

/** Tags and their video counts as this searcher would find them: blocked and muted accounts' videos do not count. */
async function searchHashtags(tx: Tx, terms: Terms, limit: number, offset: number, hiddenAuthors: string[]): Promise<HashtagResult[]> {
  const { tag } = terms;
  if (!tag) return [];
  const tagPrefix = prefixPattern(tag);
  // Ordered without counting, so only the page's tags are counted (a popular tag has many videos to count).
  return tx.$queryRaw<HashtagResult[]>`
    WITH by_prefix AS (
      SELECT h.id FROM "Hashtag" h WHERE h.name LIKE ${tagPrefix} ESCAPE '\\'
      ORDER BY length(h.name), h.name
      LIMIT ${CANDIDATES_PER_SOURCE}
    ),
    fuzzy AS (
      SELECT h.id FROM "Hashtag" h WHERE h.name % ${tag}
      LIMIT ${CANDIDATES_PER_SOURCE}
    ),
    ranked AS (
      SELECT h.id, h.name FROM (SELECT id FROM by_prefix UNION SELECT id FROM fuzzy) c JOIN "Hashtag" h ON h.id = c.id
      WHERE EXISTS (
        SELECT 1 FROM "VideoHashtag" vh JOIN "Video" v ON v.id = vh."videoId" JOIN "User" u ON u.id = v."authorId"
        WHERE vh."hashtagId" = h.id AND ${LISTED_VIDEO} AND u.status = 'ACTIVE' AND v."authorId" <> ALL(${hiddenAuthors}::text[])
      )
      ORDER BY (h.name = ${tag}) DESC, (h.name LIKE ${tagPrefix} ESCAPE '\\') DESC, similarity(h.name, ${tag}) DESC, h.name
      LIMIT ${limit} OFFSET ${offset}
    )
    SELECT r.name,
      (SELECT count(*) FROM "VideoHashtag" vh JOIN "Video" v ON v.id = vh."videoId" JOIN "User" u ON u.id = v."authorId"
        WHERE vh."hashtagId" = r.id AND ${LISTED_VIDEO} AND u.status = 'ACTIVE' AND v."authorId" <> ALL(${hiddenAuthors}::text[]))::int AS videos
    FROM ranked r
    ORDER BY (r.name = ${tag}) DESC, (r.name LIKE ${tagPrefix} ESCAPE '\\') DESC, similarity(r.name, ${tag}) DESC, r.name`;
}

async function searchVideos(tx: Tx, terms: Terms, limit: number, offset: number, hiddenAuthors: string[]): Promise<VideoResult[]> {
  const { tag, text, lower } = terms;
  // The fuzzy caption scan runs only when the precise ways found fewer candidates than this page needs.
  const needed = offset + limit;
  // Score bands: carrying the exact tag (+2) > containing the words (+1 + full-text rank) > only resembling them.
  // Within a band, trigram similarity decides: of the caption's closest words, plus that of the closest tag the video
  // carries, so a video its creator tagged #cooking outranks one that merely mentions cooking for "cokking".
  const rows = await tx.$queryRaw<Array<{ id: string; caption: string; posterKey: string | null; handle: string; likes: number }>>`
    WITH query AS (
      SELECT websearch_to_tsquery('english', ${text}) || websearch_to_tsquery('simple', ${text}) AS tsq
    ),
    similar_tags AS (
      SELECT h.id, h.name, similarity(h.name, ${tag}) AS similarity
      FROM "Hashtag" h
      WHERE ${tag} <> '' AND (h.name % ${tag} OR h.name LIKE ${prefixPattern(tag)} ESCAPE '\\')
      ORDER BY (h.name = ${tag}) DESC, similarity DESC
      LIMIT ${SIMILAR_TAGS}
    ),
    precise AS (
      (SELECT v.id FROM "Video" v, query
        WHERE (to_tsvector('english'::regconfig, v.caption) || to_tsvector('simple'::regconfig, v.caption)) @@ query.tsq
          AND ${LISTED_VIDEO}
        ORDER BY v."publishedAt" DESC NULLS LAST
        LIMIT ${CANDIDATES_PER_SOURCE})
      UNION
      (SELECT v.id FROM similar_tags t JOIN "VideoHashtag" vh ON vh."hashtagId" = t.id JOIN "Video" v ON v.id = vh."videoId"
        WHERE ${LISTED_VIDEO}
        ORDER BY v."publishedAt" DESC NULLS LAST
        LIMIT ${CANDIDATES_PER_SOURCE})
    ),
    fuzzy AS (
      SELECT v.id FROM "Video" v
      WHERE (SELECT count(*) FROM precise) < ${needed} AND ${lower} <<% v.caption AND ${LISTED_VIDEO}
      LIMIT ${CANDIDATES_PER_SOURCE}
    ),
    scored AS (
      SELECT v.id, v.caption, v."posterKey", v."publishedAt", u.handle,
        (SELECT count(*) FROM "Like" l WHERE l."videoId" = v.id)::int AS likes,
        CASE WHEN EXISTS (SELECT 1 FROM "VideoHashtag" vh JOIN similar_tags t ON t.id = vh."hashtagId" WHERE vh."videoId" = v.id AND t.name = ${tag})
          THEN 2 ELSE 0 END
        + CASE WHEN fts.vector @@ query.tsq THEN 1 + ts_rank(fts.vector, query.tsq) ELSE 0 END
        + strict_word_similarity(${lower}, v.caption)
        + coalesce((SELECT max(t.similarity) FROM "VideoHashtag" vh JOIN similar_tags t ON t.id = vh."hashtagId" WHERE vh."videoId" = v.id), 0)
          AS score
      FROM (SELECT id FROM precise UNION SELECT id FROM fuzzy) c
        JOIN "Video" v ON v.id = c.id
        JOIN "User" u ON u.id = v."authorId"
        CROSS JOIN query
        CROSS JOIN LATERAL (
          SELECT to_tsvector('english'::regconfig, v.caption) || to_tsvector('simple'::regconfig, v.caption) AS vector
        ) fts
      WHERE u.status = 'ACTIVE' AND v."authorId" <> ALL(${hiddenAuthors}::text[])
    )
    SELECT id, caption, "posterKey", handle, likes FROM scored
    ORDER BY score DESC, likes DESC, "publishedAt" DESC NULLS LAST, id
    LIMIT ${limit} OFFSET ${offset}`;
  return rows.map((row) => ({
    id: row.id,
    caption: row.caption,
    poster: row.posterKey ? mediaUrl(row.posterKey) : null,
    author: { handle: row.handle },
    likes: row.likes,
  }));
}

function encodeOffset(offset: number): string {
  return encodeCursor({ offset });
}

function decodeOffset(value: string | undefined): number {
  return decodeCursor(value, isOffsetCursor, "That page cursor is not valid; start the search again without one.")?.offset ?? 0;
}
