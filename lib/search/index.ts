// Search and hashtag pages: the public face of lib/search. Postgres does the work (pg_trgm similarity and full-text
// search over indexes created by the search migration); there is no separate search engine to run.
import { z } from "zod";
import type { SearchType } from "./types";

export { search, type SearchInput } from "./search";
export { getTagPage, normalizeTagName, TAG_PAGE_LIMIT } from "./tags";
export type { HashtagResult, SearchResults, SearchType, TagPage, UserResult, VideoResult } from "./types";

export const SEARCH_QUERY_MAX_LENGTH = 100;
export const SEARCH_TYPES = ["all", "users", "videos", "hashtags"] as const satisfies readonly SearchType[];

/** GET /api/search's query string. */
export const searchQuerySchema = z.object({
  q: z
    .string({ error: "Type something to search for, as ?q=…" })
    .trim()
    .min(1, "Type something to search for; the query is empty.")
    .max(SEARCH_QUERY_MAX_LENGTH, `A search can be at most ${SEARCH_QUERY_MAX_LENGTH} characters.`),
  type: z.enum(SEARCH_TYPES, { error: "type must be one of all, users, videos or hashtags." }).default("all"),
  cursor: z.string().max(512, "That page cursor is not valid; start again without one.").optional(),
});
