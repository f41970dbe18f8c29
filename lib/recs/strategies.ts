// For You strategies behind one interface: where a request's candidates come from and whether the ranker orders
// them. "full" is the recommender (stored per-viewer candidates + live sources from the viewer's state of this
// moment + the exploration pools, ranked and re-ranked); "trending", "random" and "fresh" are the baselines the
// benchmarks and A/B cohorts compare it with. Every strategy shares serving's filters (seen, not interested, own,
// blocks and mutes, the authoritative listed check), hydration and the served log (lib/recs/serve.ts).
//
// ?strategy= on GET /api/feed picks one for admins and moderators (and for everyone with RECS_STRATEGY_PARAM=any);
// otherwise it is ignored and the viewer's cohort (RECS_COHORTS) decides.
import type { Redis } from "ioredis";
import { getDb } from "../db";
import { AppError } from "../errors";
import { getConfig } from "../env";
import type { UserState } from "../events";
import { canModerate } from "../auth/roles";
import type { AuthUser } from "../auth/types";
import { LISTED_WHERE } from "../videos/listed";
import { readStoredCandidates, type StoredCandidates } from "./candidates";
import { assignCohort } from "./cohorts";
import { CANDIDATES, KEYS, SERVING, STRATEGY_NAMES, type StrategyName } from "./config";
import { sampleExploration } from "./exploration";
import { coengagementSource, creatorSource, hashtagSource, mergeCandidates, newcomerSource, trendingSource, type SourceContext } from "./sources";
import type { Candidate } from "./types";

export const STRATEGIES = STRATEGY_NAMES;

export type StrategyContext = SourceContext & {
  userId: string | null;
  /** The seen set loader, for strategies that must exclude it in SQL. */
  loadSeen: () => Promise<string[]>;
};

export type Gathered = {
  candidates: Candidate[];
  /** Candidates for the reserved exploration slots (full only). */
  exploration: Candidate[];
  /** The stored list, when one was used (age for the response and tests). */
  stored?: StoredCandidates | null;
};

export type Strategy = {
  name: StrategyName;
  /** Whether the ranker and re-ranker order the candidates; otherwise their order is kept. */
  ranked: boolean;
  gather(context: StrategyContext): Promise<Gathered>;
  /** The explanation when a strategy has one of its own (the baselines). */
  reason?: string;
};

const live = {
  hashtag: hashtagSource(SERVING.liveHashtags, SERVING.liveHashtagVideos, { fallbackToDb: true }),
  session: hashtagSource(SERVING.liveSessionTags, SERVING.liveHashtagVideos, { from: "session" }),
  creator: creatorSource(SERVING.liveCreators, SERVING.liveCreatorVideos),
  coengagement: coengagementSource(SERVING.livePositives, SERVING.liveNeighbours),
};

const full: Strategy = {
  name: "full",
  ranked: true,
  async gather(context) {
    const stored = await readStoredCandidates(context.viewerKey);
    const stale = !stored || Date.now() - stored.at > CANDIDATES.staleMs || stored.items.length < SERVING.backfillBelow;
    const coldStart = context.state.recentWatches.length + context.state.recentLikes.length < 3;
    const [session, hashtag, creator, coengagement, trending, newcomer, exploration] = await Promise.all([
      live.session.gather(context, SERVING.liveSessionTags * SERVING.liveHashtagVideos),
      live.hashtag.gather(context, SERVING.liveHashtags * SERVING.liveHashtagVideos),
      live.creator.gather(context, SERVING.liveCreators * SERVING.liveCreatorVideos),
      live.coengagement.gather(context, SERVING.livePositives * SERVING.liveNeighbours),
      stale ? trendingSource.gather(context, SERVING.liveTrending) : [],
      stale && coldStart ? newcomerSource.gather(context, SERVING.liveTrending) : [],
      sampleExploration(context.redis),
    ]);
    return { candidates: mergeCandidates([session, hashtag, creator, coengagement, stored?.items ?? [], newcomer, trending]), exploration, stored };
  },
};

const trending: Strategy = {
  name: "trending",
  ranked: false,
  reason: "Popular now",
  async gather(context) {
    return { candidates: await trendingSource.gather(context, 1_000), exploration: [] };
  },
};

const random: Strategy = {
  name: "random",
  ranked: false,
  reason: "Picked at random",
  async gather(context) {
    const ids = ((await context.redis.hrandfield(KEYS.signals, 400)) as string[]).filter((id) => id !== "_builtAt");
    return { candidates: ids.map((videoId) => ({ videoId, source: "exploration", sourceScore: 0, signal: "random" })), exploration: [] };
  },
};

const fresh: Strategy = {
  name: "fresh",
  ranked: false,
  reason: "Fresh on Flick",
  async gather(context) {
    return { candidates: await listFresh(await context.loadSeen(), context.userId, SERVING.backfillSize), exploration: [] };
  },
};

const BY_NAME: Record<StrategyName, Strategy> = { full, trending, random, fresh };

export function getStrategy(name: StrategyName): Strategy {
  return BY_NAME[name];
}

/** Newest listed videos not in `exclude` and not the viewer's own, tagged as fresh. */
export async function listFresh(exclude: string[], ownId: string | null, take: number): Promise<Candidate[]> {
  const rows = await getDb().video.findMany({
    where: {
      ...LISTED_WHERE,
      id: { notIn: exclude },
      ...(ownId ? { authorId: { not: ownId } } : {}),
    },
    orderBy: [{ publishedAt: "desc" }, { id: "desc" }],
    take,
    select: { id: true },
  });
  return rows.map((row, index) => ({ videoId: row.id, source: "exploration", sourceScore: 1 / (1 + index / 50), signal: "fresh" }));
}

export type Resolved = { strategy: StrategyName; cohort: string };

/**
 * Which strategy serves this request, and the cohort it is recorded under. An honoured ?strategy= overrides the
 * cohort's (recorded as cohort "override"); an unknown name is refused with 400 only when the parameter is honoured.
 */
export function resolveStrategy(user: AuthUser | null, viewerKey: string, requested: string | undefined): Resolved {
  const honoured = requested !== undefined && (getConfig().RECS_STRATEGY_PARAM === "any" || canModerate(user));
  if (honoured) {
    if (!STRATEGY_NAMES.includes(requested as StrategyName)) {
      throw new AppError("bad_request", `Unknown strategy "${requested}": use one of ${STRATEGY_NAMES.join(", ")}.`);
    }
    return { strategy: requested as StrategyName, cohort: "override" };
  }
  const cohort = assignCohort(viewerKey);
  return { strategy: cohort.strategy, cohort: cohort.name };
}

export type { Redis, UserState };
