// The named recall sources. Each reads the global indexes (lib/recs/indexes.ts) for one viewer and returns tagged
// candidates (source, sourceScore comparable within the source, signal for the explanation). The same functions serve
// the stored per-viewer lists (refreshCandidates, large budgets) and the live part of each request (small budgets,
// read from the viewer's state of this very moment). A source is one entry of CANDIDATE_SOURCES.
import type { Redis } from "ioredis";
import { getDb } from "../../db";
import type { UserState } from "../../events";
import { KEYS } from "../config";
import { embeddingCandidates } from "../embeddings";
import { sessionTopTags, type SessionProfile } from "../session";
import type { Candidate, RecSource } from "../types";

export type SourceContext = {
  viewerKey: string;
  state: UserState;
  /** Accounts the viewer follows (empty for a signed-out viewer). */
  followsAuthorIds: readonly string[];
  /** Videos the source need not return (seen, not interested…); sources may still return some, serving filters. */
  exclude: ReadonlySet<string>;
  redis: Redis;
  /** This session's views by hashtag and creator (serving only; stored lists are built without it). */
  session?: SessionProfile;
};

export type CandidateSource = {
  name: RecSource;
  /** Up to `budget` candidates for this viewer. */
  gather(context: SourceContext, budget: number): Promise<Candidate[]>;
};

type Scored = Array<[id: string, score: number]>;

function pairs(reply: string[]): Scored {
  const out: Scored = [];
  for (let index = 0; index + 1 < reply.length; index += 2) out.push([reply[index]!, Number(reply[index + 1])]);
  return out;
}

async function zrevBatch(redis: Redis, keys: string[], count: number): Promise<Scored[]> {
  if (keys.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.zrevrange(key, 0, count - 1, "WITHSCORES");
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, value]) => (error ? [] : pairs(value as string[])));
}

/** Keeps the best-scored candidate per video, then the best `budget`. */
function best(candidates: Candidate[], exclude: ReadonlySet<string>, budget: number): Candidate[] {
  const byId = new Map<string, Candidate>();
  for (const candidate of candidates) {
    if (exclude.has(candidate.videoId)) continue;
    const current = byId.get(candidate.videoId);
    if (!current || candidate.sourceScore > current.sourceScore) byId.set(candidate.videoId, candidate);
  }
  return [...byId.values()].sort((a, b) => b.sourceScore - a.sourceScore).slice(0, budget);
}

const recency = (publishedMs: number) => 1 / (1 + Math.max(0, Date.now() - publishedMs) / (24 * 3_600_000));

export const followingSource: CandidateSource = {
  name: "following",
  async gather(context, budget) {
    const authors = context.followsAuthorIds.slice(0, 500);
    const lists = await zrevBatch(context.redis, authors.map(KEYS.creator), 10);
    const out: Candidate[] = [];
    lists.forEach((list, index) => {
      for (const [videoId, publishedMs] of list) out.push({ videoId, source: "following", sourceScore: recency(publishedMs), signal: authors[index] });
    });
    return best(out, context.exclude, budget);
  },
};

export const trendingSource: CandidateSource = {
  name: "trending",
  async gather(context, budget) {
    const [list = []] = await zrevBatch(context.redis, [KEYS.trending], budget + context.exclude.size);
    const top = list[0]?.[1] || 1;
    return best(
      list.map(([videoId, score]) => ({ videoId, source: "trending", sourceScore: score / top })),
      context.exclude,
      budget,
    );
  },
};

export const newcomerSource: CandidateSource = {
  name: "newcomer",
  async gather(context, budget) {
    const [list = []] = await zrevBatch(context.redis, [KEYS.newcomer], budget);
    return best(list.map(([videoId, score]) => ({ videoId, source: "newcomer", sourceScore: score })), context.exclude, budget);
  },
};

/** The viewer's recently completed or liked videos, newest first, with a weight (a like counts double). */
function positives(state: UserState, max: number): Array<{ videoId: string; weight: number }> {
  const seen = new Map<string, { at: number; weight: number }>();
  for (const like of state.recentLikes) seen.set(like.videoId, { at: like.at, weight: 2 });
  for (const watch of state.recentWatches) {
    if (!watch.completed || seen.has(watch.videoId)) continue;
    seen.set(watch.videoId, { at: watch.at, weight: 1 + 0.5 * Math.min(watch.loops, 2) });
  }
  return [...seen]
    .sort((a, b) => b[1].at - a[1].at)
    .slice(0, max)
    .map(([videoId, { weight }], rank) => ({ videoId, weight: weight / (1 + rank * 0.1) }));
}

export function coengagementSource(seeds: number, perSeed: number): CandidateSource {
  return {
    name: "coengagement",
    async gather(context, budget) {
      const recent = positives(context.state, seeds);
      const lists = await zrevBatch(context.redis, recent.map((seed) => KEYS.coengagement(seed.videoId)), perSeed);
      const summed = new Map<string, Candidate>();
      lists.forEach((list, index) => {
        const seed = recent[index]!;
        for (const [videoId, similarity] of list) {
          const current = summed.get(videoId);
          const score = similarity * seed.weight;
          if (current) current.sourceScore += score;
          else summed.set(videoId, { videoId, source: "coengagement", sourceScore: score, signal: seed.videoId });
        }
      });
      return best([...summed.values()], context.exclude, budget);
    },
  };
}

/**
 * Top videos of the viewer's strongest hashtags: by long-term affinity, or (`from: "session"`) the hashtags they are
 * finishing in this session, which is what follows a change of interest within minutes.
 */
export function hashtagSource(topTags: number, perTag: number, options: { fallbackToDb?: boolean; from?: "affinity" | "session" } = {}): CandidateSource {
  return {
    name: "hashtag",
    async gather(context, budget) {
      const tags =
        options.from === "session"
          ? context.session
            ? sessionTopTags(context.session, topTags)
            : []
          : context.state.hashtags.filter((tag) => tag.score > 0).slice(0, topTags);
      if (tags.length === 0) return [];
      const strongest = tags[0]!.score;
      const lists = await zrevBatch(context.redis, tags.map((tag) => KEYS.hashtag(tag.name)), perTag);
      const out: Candidate[] = [];
      const missing: number[] = [];
      lists.forEach((list, index) => {
        if (list.length === 0) missing.push(index);
        addTagList(out, tags[index]!, strongest, list.map(([id]) => id));
      });
      // A hashtag the index does not know yet (its first videos are newer than the last build): ask PostgreSQL.
      if (options.fallbackToDb && missing.length > 0) {
        for (const index of missing.slice(0, 2)) {
          const tag = tags[index]!;
          const rows = await getDb().video.findMany({
            where: { status: "READY", visibility: "PUBLIC", moderation: "APPROVED", mediaVersion: { not: null }, author: { status: "ACTIVE" }, hashtags: { some: { hashtag: { name: tag.name } } } },
            orderBy: [{ publishedAt: "desc" }, { id: "desc" }],
            take: perTag,
            select: { id: true },
          });
          addTagList(out, tag, strongest, rows.map((row) => row.id));
        }
      }
      return best(out, context.exclude, budget);
    },
  };
}

function addTagList(out: Candidate[], tag: { name: string; score: number }, strongest: number, ids: string[]): void {
  ids.forEach((videoId, rank) => {
    out.push({ videoId, source: "hashtag", sourceScore: (tag.score / strongest) / (1 + rank / 20), signal: `#${tag.name}` });
  });
}

export function creatorSource(topCreators: number, perCreator: number): CandidateSource {
  return {
    name: "creator",
    async gather(context, budget) {
      const creators = context.state.creators.filter((creator) => creator.score > 0).slice(0, topCreators);
      if (creators.length === 0) return [];
      const strongest = creators[0]!.score;
      const lists = await zrevBatch(context.redis, creators.map((creator) => KEYS.creator(creator.userId)), perCreator);
      const out: Candidate[] = [];
      lists.forEach((list, index) => {
        const creator = creators[index]!;
        for (const [videoId, publishedMs] of list) {
          out.push({ videoId, source: "creator", sourceScore: (creator.score / strongest) * (0.5 + 0.5 * recency(publishedMs)), signal: creator.userId });
        }
      });
      return best(out, context.exclude, budget);
    },
  };
}

/** Nearest videos to the viewer's learned vector (lib/recs/embeddings.ts), blended with what they did minutes ago. */
export const embeddingSource: CandidateSource = {
  name: "embedding",
  gather: (context, budget) => embeddingCandidates(context.viewerKey, context.state, budget, context.exclude),
};

/**
 * The sources of a viewer's stored list, in priority order: when several find the same video, the first one's tag
 * is kept (a more personal reason wins).
 */
export const CANDIDATE_SOURCES: CandidateSource[] = [
  followingSource,
  hashtagSource(12, 60, { fallbackToDb: true }),
  creatorSource(12, 25),
  coengagementSource(25, 20),
  newcomerSource,
  trendingSource,
  embeddingSource,
];

/** Priority of a source when the same video comes from several (lower wins). */
export const SOURCE_PRIORITY: Record<RecSource, number> = {
  following: 0,
  hashtag: 1,
  creator: 2,
  coengagement: 3,
  embedding: 4,
  exploration: 5,
  newcomer: 6,
  trending: 7,
};

/**
 * The best `max` candidates, taken round-robin across sources (by SOURCE_PRIORITY, each source by its own score) so
 * none crowds out the rest; all of them, in that order, when there are fewer.
 */
export function interleaveBySource(candidates: Candidate[], max: number): Candidate[] {
  const bySource = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const list = bySource.get(candidate.source) ?? [];
    list.push(candidate);
    bySource.set(candidate.source, list);
  }
  const lists = [...bySource.entries()]
    .sort((a, b) => SOURCE_PRIORITY[a[0] as RecSource] - SOURCE_PRIORITY[b[0] as RecSource])
    .map(([, list]) => list.sort((a, b) => b.sourceScore - a.sourceScore));
  const out: Candidate[] = [];
  for (let round = 0; out.length < max; round += 1) {
    let any = false;
    for (const list of lists) {
      const next = list[round];
      if (!next) continue;
      any = true;
      out.push(next);
      if (out.length >= max) break;
    }
    if (!any) break;
  }
  return out;
}

/** Merges candidate lists, one entry per video: the highest-priority source's, then the best score. */
export function mergeCandidates(lists: Candidate[][]): Candidate[] {
  const byId = new Map<string, Candidate>();
  for (const list of lists) {
    for (const candidate of list) {
      const current = byId.get(candidate.videoId);
      if (
        !current ||
        SOURCE_PRIORITY[candidate.source] < SOURCE_PRIORITY[current.source] ||
        (candidate.source === current.source && candidate.sourceScore > current.sourceScore)
      ) {
        byId.set(candidate.videoId, candidate);
      }
    }
  }
  return [...byId.values()];
}
