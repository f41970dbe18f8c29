// Serving-side tuning of the recommender in one place: Redis key names, index sizes, source budgets, re-ranking and
// the exploration pools. Numbers that an operator may want to change without a release come from lib/env.ts
// (RECS_*); the rest are here, each with the reason for its value.
import { getConfig } from "../env";

/** Every key of the serving side lives under this prefix (the real-time user state is lib/events'). */
export const RECS_PREFIX = "flick:recs";

export const KEYS = {
  /** zset videoId → time-decayed engagement score. */
  trending: `${RECS_PREFIX}:trending`,
  /** zset videoId → score, per hashtag. */
  hashtag: (name: string) => `${RECS_PREFIX}:tag:${name}`,
  /** zset videoId → published ms, per creator. */
  creator: (authorId: string) => `${RECS_PREFIX}:creator:${authorId}`,
  /** zset neighbourId → similarity, per video. */
  coengagement: (videoId: string) => `${RECS_PREFIX}:co:${videoId}`,
  /** zset videoId → smoothed completion rate among newcomers' first sessions. */
  newcomer: `${RECS_PREFIX}:newcomer`,
  /** hash videoId → compact JSON of VideoSignals (without the embedding), for listed videos only. */
  signals: `${RECS_PREFIX}:signals`,
  /** stream: one entry per index build that changed the signals hash ("ids": the changed videos, or "reset": all). */
  signalsChanges: `${RECS_PREFIX}:signals:changes`,
  /** set of video ids serving removed from the signals hash (forgetSignals), for the next build to read again. */
  signalsForgotten: `${RECS_PREFIX}:signals:forgotten`,
  /** hash of index metadata: builtAt (ms), buildMs, signalsVersion (the last signalsChanges entry), typicalWatch, counts. */
  meta: `${RECS_PREFIX}:meta`,
  /** Names of the per-hashtag and per-creator keys written by the last build, so the next one can drop stale ones. */
  written: `${RECS_PREFIX}:written`,
  /** zset videoId → impressions served while in pool n. */
  pool: (level: number) => `${RECS_PREFIX}:explore:pool:${level}`,
  /** hash videoId → pool level, "retired" or "graduated": every video the exploration system has seen. */
  poolLevel: `${RECS_PREFIX}:explore:level`,
  /** string: JSON { at, items } of one viewer's stored candidates. */
  candidates: (viewerKey: string) => `${RECS_PREFIX}:cand:${viewerKey}`,
  /** zset viewerKey → last event ms, for refreshActiveViewers. */
  active: `${RECS_PREFIX}:active`,
  /** hash viewerKey → events since the viewer's candidates were last rebuilt. */
  pendingEvents: `${RECS_PREFIX}:pending-events`,
} as const;

export const INDEX = {
  // Trending list length: several pages for everyone, and a cheap ZREVRANGE.
  trendingSize: 1_000,
  // Per hashtag and per creator: enough for a viewer's strongest tags to fill many pages.
  perHashtag: 200,
  perCreator: 50,
  // Neighbours kept per video: the candidate generator takes the best few of many recent videos.
  coengagementK: 30,
  // Co-engagement looks at the last week of positive signals, each viewer's latest 40 of them (bounds the pair count).
  coengagementDays: 7,
  coengagementPerViewer: 40,
  // Pairs seen fewer times than this are noise on a small instance.
  coengagementMinPairs: 2,
  // Newcomers: a viewer whose first event is within the window; their first hour is their "first session".
  newcomerDays: 7,
  newcomerSessionMinutes: 60,
  newcomerSize: 300,
  // Smoothing of completion rates toward the instance's rate, as if every video had this many extra plays.
  priorPlays: 5,
  // Trending: a share or a comment says more than a like, a completion more than a play. Gravity 1.5 halves a score
  // in about a day; the offset keeps a video published a minute ago from dividing by ~0.
  weights: { play: 0.2, complete: 1, replay: 0.5, skip: -0.5, like: 3, comment: 4, share: 5, follow: 4 },
  gravity: 1.5,
  ageOffsetHours: 2,
  // Engagement counted for trending: the last three days.
  trendingDays: 3,
  // Co-engagement and newcomers are heavier (they scan recent events): every this many index builds.
  slowEvery: 10,
} as const;

export const CANDIDATES = {
  // A viewer's stored list, kept in serving's round-robin order (interleaveBySource) and cut a little beyond what a
  // request can use: serving shortlists SERVING.rankPerRequest + SERVING.seenMargin (600) of it and the live sources
  // that way, so the rest of a 1,100-1,300 list was never ranked, yet read and parsed on every request and held in
  // Redis (42 kB a viewer, 420 MB at 10,000 viewers, rewritten to its append-only file at each refresh). The 200 over
  // cover the stored candidates a live source or a "not interested" takes out of their own source's turn.
  max: 800,
  // Per source at refresh time.
  perSource: { following: 300, trending: 400, coengagement: 400, hashtag: 500, creator: 300, newcomer: 200, embedding: 300, exploration: 0 } as Record<string, number>,
  // How many of the viewer's strongest hashtags and creators candidate generation uses.
  topHashtags: 12,
  topCreators: 12,
  // Recent completes/likes whose neighbours are fetched.
  recentPositives: 25,
  // Stored lists older than this are rebuilt by refreshActiveViewers; still used (with live sources) until then.
  staleMs: 10 * 60_000,
  // And dropped from Redis after a day: an inactive viewer costs nothing.
  ttlSeconds: 24 * 3600,
  // A handful of new events from a viewer triggers a rebuild of their list.
  eventsBeforeRefresh: 5,
  // …after this debounce, so a burst of events makes one rebuild.
  refreshDebounceMs: 2_000,
  // "Active" viewers for the scheduled refresh: an event within the last half hour.
  activeWindowMs: 30 * 60_000,
} as const;

export const SERVING = {
  // Candidates scored per request: the best of the merged list by source score; bounds the signals read from Redis.
  rankPerRequest: 400,
  // Shortlisted beyond rankPerRequest before the seen filter: the pages served since the viewer's stored list was
  // built (it is rebuilt after 5 events or 10 minutes, so a few pages at most).
  seenMargin: 200,
  // A stored list's videos are checked only against what was served since its seen set was read (lib/recs/serve.ts);
  // that time is the worker's clock and a served video's the web's, so this much earlier covers clocks a little apart.
  seenClockMarginMs: 60_000,
  // Live sources read at request time from the viewer's current state (a like a second ago counts on the next page).
  liveHashtags: 3,
  liveHashtagVideos: 40,
  // …and the hashtags the viewer is finishing in this session (lib/recs/session.ts), which may not be their strongest yet.
  liveSessionTags: 3,
  liveCreators: 2,
  liveCreatorVideos: 15,
  livePositives: 5,
  liveNeighbours: 15,
  // Trending read live when the stored list is missing or stale.
  liveTrending: 200,
  // Exploration candidates sampled per request from each pool (least-served first): enough that a viewer who has seen
  // the most-owed ones still finds one (serving drops what they have seen).
  explorationSample: 100,
  // Extra items hydrated beyond the page, in case the authoritative visibility check drops some.
  hydrateSpare: 4,
  // Re-ranking: the same creator not within this many positions, the same hashtag penalised within this many.
  creatorGap: 3,
  hashtagGap: 2,
  hashtagPenalty: 0.35,
  // …and a video whose topics this session is skipping is pushed back by this much per point of negative session score
  // (lib/recs/rerank.ts sessionMisses; fused scores run about 0–3, a topic skipped four times in a row is about −0.6).
  sessionMissPenalty: 1.5,
  // When the page is missing the viewer (lib/recs/session.ts isMissing), a video sharing a hashtag with the views they
  // just skipped (and not with the good ones among them) is pushed back by this much, half as much for one by their
  // creators; and that page avoids repeating any hashtag. (bench:recs: at 10, "after everything else", no better after
  // a shift and worse in ordinary sessions, where three skips in four happen by chance.)
  missedPenalty: 2,
  // Short pages while the recommender is unsure of the viewer (lib/recs/serve.ts pageSize): a new viewer's first views,
  // or a page going wrong (most of the latest views skipped: lib/recs/session.ts isMissing). The client asks again
  // when it nears the end of what it has, so a short page brings the next request, and what was watched, sooner.
  shortPage: 4,
  shortPageBelowViews: 8,
  // Below this many candidates left after filtering, the page is backfilled with fresh listed videos from PostgreSQL.
  backfillBelow: 60,
  backfillSize: 200,
} as const;

/** The exploration traffic pools: a new video's guaranteed first audience, then larger ones if they watched it. */
export function explorationConfig() {
  const batch = getConfig().RECS_EXPLORATION_BATCH;
  return {
    // Pool n gets this many impressions before it is judged: 1×, 5×, 25× the first batch.
    batches: [batch, batch * 5, batch * 25],
    slotsPerPage: getConfig().RECS_EXPLORATION_SLOTS,
    // Only videos published this recently enter pool 0 (an old video is not "new" even if never served).
    maxAgeHours: 72,
    // Promoted when its viewers' mean watch fraction reaches this share of the instance's typical one.
    promoteRatio: 0.9,
    // Judged only with at least this many finished views; until then it keeps being served (up to 3× its batch).
    minWatchedViews: 5,
    overServeFactor: 3,
    // With no typical figure yet (a new instance), the typical watch fraction assumed.
    defaultTypicalWatch: 0.5,
  };
}

/** The For You strategies (lib/recs/strategies.ts): the full recommender and three baselines. */
export const STRATEGY_NAMES = ["full", "trending", "random", "fresh"] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];
