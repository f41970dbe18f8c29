// What the events path needs to know about a video (who may watch it, how long it is, its author and hashtags),
// cached in the process: a batch of 20 events names one or two videos, and looking each up per request would put a
// database round trip on every beacon. Used by ingestion (web) and by the real-time consumer (worker).
import { getDb } from "../db";
import type { ModerationState, VideoStatus, Visibility } from "../generated/prisma/enums";

export type VideoFacts = {
  id: string;
  authorId: string;
  visibility: Visibility;
  status: VideoStatus;
  moderation: ModerationState;
  durationMs: number | null;
  hashtags: string[];
};

// A minute: a video made private or deleted stops accepting events within that, which is soon enough for counts
// (events of a deleted video are dropped by the consumers anyway), and a hot video costs one query a minute.
const FACTS_TTL_MS = 60_000;
// Unknown ids are remembered too, so a client sending garbage cannot make every request hit the database.
const MISSING_TTL_MS = 60_000;
// Bounds memory: ~200 bytes an entry. When full the cache starts over, which costs one query per video once.
const MAX_CACHED = 20_000;

type Entry = { facts: VideoFacts | null; expires: number };
const cache = new Map<string, Entry>();

/** Facts for each id that names a video; missing ids are absent from the map. */
export async function getVideoFacts(ids: Iterable<string>): Promise<Map<string, VideoFacts>> {
  const now = Date.now();
  const found = new Map<string, VideoFacts>();
  const misses: string[] = [];
  for (const id of new Set(ids)) {
    const entry = cache.get(id);
    if (entry && entry.expires > now) {
      if (entry.facts) found.set(id, entry.facts);
    } else {
      misses.push(id);
    }
  }
  if (misses.length === 0) return found;
  const rows = await getDb().video.findMany({
    where: { id: { in: misses } },
    select: {
      id: true,
      authorId: true,
      visibility: true,
      status: true,
      moderation: true,
      durationMs: true,
      hashtags: { select: { hashtag: { select: { name: true } } } },
    },
  });
  if (cache.size + misses.length > MAX_CACHED) cache.clear();
  const loaded = new Map(rows.map((row) => [row.id, { ...row, hashtags: row.hashtags.map((link) => link.hashtag.name) }]));
  for (const id of misses) {
    const facts = loaded.get(id) ?? null;
    cache.set(id, { facts, expires: now + (facts ? FACTS_TTL_MS : MISSING_TTL_MS) });
    if (facts) found.set(id, facts);
  }
  return found;
}

/** Forgets cached facts (tests that change a video and expect the next event to see it). */
export function forgetVideoFacts(id?: string): void {
  if (id) cache.delete(id);
  else cache.clear();
}
