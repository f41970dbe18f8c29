// Serving For You: one request, from candidates to a page.
//   strategy + cohort (lib/recs/strategies.ts, cohorts.ts)
//   → candidates: stored per-viewer list + live sources read from the viewer's state of this moment + exploration
//   → filters: seen (Redis zset: ZMSCORE, and for the stored list only what was served since it was built), not
//     interested, own videos, blocked/muted authors, listed (signals cache)
//   → backfill with fresh listed videos from PostgreSQL when few are left (empty or stale indexes, a viewer who has
//     seen everything the indexes know)
//   → FeatureInput rows → rankInputs (lib/recs/rank.ts) → re-rank (creator/hashtag spacing, exploration slots)
//   → hydrate with the authoritative listed + blocks check → reasons → seen set, exploration impressions, served log.
// Redis calls are batched into a few pipelined round trips; the served log and impression counts are off the
// request path.
import type { AuthUser } from "../auth/types";
import { encodeCursor } from "../cursor";
import { Prisma, queryRows } from "../db";
import { emptyUserState, getUserState } from "../events";
import { hydrate } from "../feed/hydrate";
import { filterSeen, loadSeen, markSeen } from "../feed/seen";
import type { FeedItem, FeedPage } from "../feed/types";
import { enqueueViewerRefresh } from "../jobs/recs";
import { getLogger } from "../logger";
import { getRedis } from "../redis";
import { hiddenAuthorsQuery } from "../safety";
import type { StoredCandidates } from "./candidates";
import { explorationConfig, SERVING, type StrategyName } from "./config";
import { loadViewerVector, videoVectorLookup } from "./embeddings";
import { countImpressions } from "./exploration";
import { strongestHashtag } from "./heuristic";
import { rankInputs, type RankResult } from "./rank";
import { orderExploration, rerank, type Scored } from "./rerank";
import { logServed } from "./served-log";
import { forgetSignals, loadSignalsFromDb, readSignals, signalsVersion } from "./signals";
import { EMPTY_SESSION, isMissing, SESSION, sessionProfile, sessionVideoIds, type SessionProfile } from "./session";
import { getStrategy, listFresh, resolveStrategy } from "./strategies";
import { interleaveBySource } from "./sources";
import { HEADS, type Candidate, type FeatureInput, type ViewerSignals, type VideoSignals } from "./types";

export type ForYouViewer = { user: AuthUser | null; deviceId: string | null };
export type ForYouOptions = {
  limit: number;
  requestId: string;
  /** ?strategy= as sent; honoured or ignored by resolveStrategy. */
  strategy?: string;
  device?: ViewerSignals["device"];
};
export type ForYouPage = FeedPage & { strategy: StrategyName; cohort: string };

// Cache misses read from PostgreSQL per request at most (new videos the last index build has not seen).
const MAX_SIGNAL_MISSES = 100;
// Hydrate rounds per request: one almost always; more only when the authoritative check dropped stale candidates.
const HYDRATE_ROUNDS = 3;

export async function getForYou(viewer: ForYouViewer, options: ForYouOptions): Promise<ForYouPage> {
  const userId = viewer.user?.id ?? null;
  const viewerKey = userId ? `u:${userId}` : viewer.deviceId ? `d:${viewer.deviceId}` : null;
  const { strategy: strategyName, cohort } = resolveStrategy(viewer.user, viewerKey ?? "anonymous", options.strategy);
  const strategy = getStrategy(strategyName);
  const redis = getRedis();

  const [state, lists, build] = await Promise.all([
    viewerKey && strategy.ranked ? getUserState(viewerKey) : emptyUserState(viewerKey ?? "anonymous"),
    userId ? loadViewerLists(userId) : { follows: [], notInterested: [], hiddenAuthorIds: [] },
    signalsVersion(),
  ]);
  const follows = strategy.ranked ? lists.follows : [];
  const notInterested = new Set(lists.notInterested);
  const hiddenAuthors = new Set([...lists.hiddenAuthorIds, ...(userId ? [userId] : [])]);
  let seenList: string[] | null = null;
  const loadSeenOnce = async () => (seenList ??= viewerKey ? ((await loadSeen(viewerKey)) ?? []) : []);
  // The session (last few dozen views by hashtag and creator), from the signals cache: feeds a live source and features.
  const session = strategy.ranked && state.recentWatches.length + state.recentSkips.length > 0 ? sessionProfile(state, await readSignals(sessionVideoIds(state), build)) : EMPTY_SESSION;
  const context = {
    viewerKey: viewerKey ?? "anonymous",
    userId,
    state,
    session,
    followsAuthorIds: follows,
    exclude: notInterested,
    redis,
    loadSeen: loadSeenOnce,
  };

  // Page size: short while the recommender is unsure (a new viewer, or a page the viewer is skipping through).
  const limit = strategy.ranked ? pageSize(options.limit, session, state) : options.limit;

  const gathered = await strategy.gather(context);
  // A viewer with history but no stored list (new device, expired, reset): have the worker build one now.
  if (viewerKey && strategy.ranked && !gathered.stored && state.recentWatches.length + state.recentLikes.length > 0) {
    enqueueViewerRefresh(viewerKey).catch((error: unknown) => getLogger().warn({ err: error, viewerKey }, "recs: candidate refresh not queued"));
  }
  // The recommender keeps the best few hundred by source first (a stored list was built without what was seen then,
  // so only what was served since can be seen: SERVING.seenMargin covers it), then drops seen (filterSeenSince) and
  // not interested. Baselines filter their whole list and keep their order.
  const notDismissed = (candidate: Candidate) => !notInterested.has(candidate.videoId);
  const shortlist = strategy.ranked ? interleaveBySource(gathered.candidates.filter(notDismissed), SERVING.rankPerRequest + SERVING.seenMargin) : gathered.candidates;
  const allIds = [...new Set([...shortlist, ...gathered.exploration].map((candidate) => candidate.videoId))];
  const seen = viewerKey ? await filterSeenSince(viewerKey, allIds, gathered.stored ?? null) : new Set<string>();
  const open = (candidate: Candidate) => !seen.has(candidate.videoId) && notDismissed(candidate);
  // The shortlist's order is round-robin across sources, so its first rankPerRequest unseen are still a fair share each.
  let candidates = strategy.ranked
    ? shortlist.filter(open).slice(0, SERVING.rankPerRequest)
    : shortlist.filter(open).slice(0, limit + SERVING.backfillBelow);
  // A few more than the page's exploration slots (an unlisted one may drop out at the signals read).
  let exploration = gathered.exploration.filter(open).slice(0, explorationConfig().slotsPerPage * HYDRATE_ROUNDS + 4);

  let signals = await readSignalsWithMisses([...candidates, ...exploration].map((candidate) => candidate.videoId), build);
  const eligible = (candidate: Candidate) => {
    const video = signals.get(candidate.videoId);
    return video !== undefined && !hiddenAuthors.has(video.authorId);
  };
  candidates = candidates.filter(eligible);
  exploration = exploration.filter(eligible);

  // Backfill: few candidates left (empty or stale indexes, or a viewer who has seen all they hold).
  const wanted = limit + SERVING.hydrateSpare;
  if (candidates.length < Math.max(SERVING.backfillBelow, wanted)) {
    const have = new Set([...candidates, ...exploration].map((candidate) => candidate.videoId));
    const exclude = [...new Set([...(await loadSeenOnce()), ...notInterested, ...have])];
    const fresh = await listFresh(exclude, userId, SERVING.backfillSize);
    const freshSignals = await loadSignalsFromDb(fresh.map((candidate) => candidate.videoId).filter((id) => !signals.has(id)));
    signals = new Map([...signals, ...freshSignals]);
    candidates = [...candidates, ...fresh.filter(eligible)];
  }

  // Learned vectors (lib/recs/embeddings.ts, in memory): the viewer's, blended with their last minutes, and each video's.
  const [viewerVector, vectorOf] = strategy.ranked ? await Promise.all([loadViewerVector(context.viewerKey, state), videoVectorLookup()]) : [null, () => null];
  const viewerSignals: ViewerSignals = {
    viewerKey: context.viewerKey,
    state,
    session,
    embedding: viewerVector,
    followsAuthorIds: new Set(follows),
    device: options.device ?? "unknown",
    hour: new Date().getHours(),
  };
  // The signals objects are shared with other requests (lib/recs/signals.ts): the vector goes beside them, not into them.
  const toInputs = (list: Candidate[]): FeatureInput[] =>
    list.map((candidate) => ({ viewer: viewerSignals, video: signals.get(candidate.videoId)!, candidate, videoEmbedding: vectorOf(candidate.videoId) }));
  const inputs = toInputs(candidates);
  const explorationInputs = toInputs(exploration);
  let ranked: RankResult | null = null;
  let ordered: Array<Scored & { row: number | null }>;
  if (strategy.ranked) {
    // Exploration candidates are scored in the same batch: the slot goes to the pool video this viewer is likeliest to
    // watch, less what its batch is still owed (so every pool video still gets its first audience), and the served
    // log holds its features like any other item's.
    const all = [...inputs, ...explorationInputs];
    ranked = await rankInputs(all);
    const rows = new Map<string, number>();
    all.forEach((input, index) => rows.set(input.candidate.videoId, rows.get(input.candidate.videoId) ?? index));
    const scored = inputs.map((input, index) => ({ candidate: input.candidate, video: input.video, score: ranked!.scores[index]! }));
    const explore = orderExploration(
      explorationInputs.map((input, index) => ({ candidate: input.candidate, video: input.video, score: ranked!.scores[inputs.length + index]! })),
      scored,
      limit,
    );
    // Ordered a few pages deep: if hydrate's authoritative check drops items, the next ones are at hand.
    ordered = rerank(scored, explore, { count: wanted * HYDRATE_ROUNDS, pageSize: limit, slots: explorationSlots(limit, options.limit), slotsLast: limit < options.limit, session }).map((item) => ({
      ...item,
      row: rows.get(item.candidate.videoId) ?? null,
    }));
  } else {
    ordered = inputs.slice(0, wanted * HYDRATE_ROUNDS).map((input, index) => ({ candidate: input.candidate, video: input.video, score: inputs.length - index, row: null }));
  }

  // Hydrate in rounds: a video made private or hidden since the caches were built drops out here, and the next
  // ordered ones take its place (a page is never short because of stale candidates).
  const items: FeedItem[] = [];
  const dropped: string[] = [];
  for (let round = 0; round < HYDRATE_ROUNDS && items.length < limit; round += 1) {
    const chunk = ordered.slice(round * wanted, (round + 1) * wanted).map((item) => item.candidate.videoId);
    if (chunk.length === 0) break;
    const hydrated = await hydrate(viewer.user, chunk, new Map(), { requestId: options.requestId, tab: "foryou", listedFor: { hiddenAuthorIds: [...hiddenAuthors] } });
    const kept = new Set(hydrated.map((item) => item.id));
    dropped.push(...chunk.filter((id) => !kept.has(id)));
    items.push(...hydrated.slice(0, limit - items.length));
  }
  if (dropped.length > 0) {
    // The caches still list videos that are gone or no longer listed: forget them now (the next index build would),
    // and if that left the page short, fill it from PostgreSQL, which is never stale.
    forgetSignals(dropped).catch(() => undefined);
    if (items.length < limit) {
      const exclude = [...new Set([...(await loadSeenOnce()), ...notInterested, ...ordered.map((item) => item.candidate.videoId)])];
      const fresh = await listFresh(exclude, userId, wanted);
      const freshSignals = await loadSignalsFromDb(fresh.map((candidate) => candidate.videoId));
      const extra = fresh.flatMap((candidate) => {
        const video = freshSignals.get(candidate.videoId);
        return video && !hiddenAuthors.has(video.authorId) ? [{ candidate, video, score: 0, row: null }] : [];
      });
      ordered = [...ordered, ...extra];
      const hydrated = await hydrate(viewer.user, extra.map((item) => item.candidate.videoId), new Map(), {
        requestId: options.requestId,
        tab: "foryou",
        listedFor: { hiddenAuthorIds: [...hiddenAuthors] },
      });
      items.push(...hydrated.slice(0, limit - items.length));
      candidates = [...candidates, ...extra.map((item) => item.candidate)];
    }
  }
  const byId = new Map(ordered.map((item) => [item.candidate.videoId, item]));
  for (const item of items) {
    const entry = byId.get(item.id)!;
    item.reason = strategy.reason ?? explain({ viewer: viewerSignals, video: entry.video, candidate: entry.candidate }, item);
  }

  const servedIds = items.map((item) => item.id);
  if (viewerKey) await markSeen(viewerKey, servedIds);
  // The pools judge a video by the recommender's own audience: a baseline cohort's impressions (an A/B experiment)
  // must not retire or promote what the recommender's viewers have not seen.
  if (strategy.ranked) void countImpressions(servedIds);
  logServed(
    items.map((item, position) => {
      const entry = byId.get(item.id)!;
      return {
        feedRequestId: options.requestId,
        videoId: item.id,
        viewerKey: context.viewerKey,
        position,
        source: strategy.ranked ? entry.candidate.source : strategyName,
        reason: item.reason,
        strategy: strategyName,
        cohort,
        modelVersion: ranked?.version ?? strategyName,
        features: ranked?.features && entry.row !== null ? featureRow(ranked, entry.row) : [],
        score: entry.score,
        heads: ranked?.heads && entry.row !== null ? headRow(ranked, entry.row) : [],
      };
    }),
  );

  const remaining = candidates.length + exploration.length - servedIds.length - dropped.length;
  return {
    items,
    // An empty page says "nothing more right now" even if stale candidates remain, so no client pages forever.
    cursor: remaining > 0 && items.length > 0 ? encodeCursor({ offset: servedIds.length }) : null,
    requestId: options.requestId,
    feedRequestId: options.requestId,
    strategy: strategyName,
    cohort,
  };
}

/**
 * How many items this page holds: the asked-for limit, or SERVING.shortPage while the recommender is unsure of the
 * viewer: fewer than a page's worth of views in the session (a new viewer), or most of the latest views skipped (their
 * interests moved, or the page missed). The next request, and with it what they watched since, then comes sooner;
 * once the feed has found them again, pages are full size.
 */
export function pageSize(limit: number, session: SessionProfile, state: { recentWatches: unknown[] }): number {
  if (limit <= SERVING.shortPage) return limit;
  const views = Math.max(session.views, Math.min(state.recentWatches.length, SESSION.window));
  return views < SERVING.shortPageBelowViews || isMissing(session) ? SERVING.shortPage : limit;
}

/**
 * Exploration slots for a page of `size` when full pages are `fullSize`: a short page keeps the same share of
 * exploration per item on average (its slot is drawn with probability size / fullSize), so short pages neither
 * starve the pools nor double their share.
 */
function explorationSlots(size: number, fullSize: number, random: () => number = Math.random): number {
  const slots = explorationConfig().slotsPerPage;
  if (size >= fullSize) return slots;
  const expected = (slots * size) / fullSize;
  const whole = Math.floor(expected);
  return whole + (random() < expected - whole ? 1 : 0);
}

/**
 * The seen among `ids`. A stored list holds nothing served before its seenAt, so its videos need only the check against
 * what was served since (one ZRANGEBYSCORE of typically a few pages), and ZMSCORE asks about the rest (live sources,
 * exploration): a few hundred ids fewer sent and answered on every request.
 */
async function filterSeenSince(viewerKey: string, ids: string[], stored: StoredCandidates | null): Promise<Set<string>> {
  if (stored?.seenAt == null) return filterSeen(viewerKey, ids);
  const vouched = new Set(stored.items.map((candidate) => candidate.videoId));
  return filterSeen(viewerKey, ids.filter((id) => !vouched.has(id)), stored.seenAt - SERVING.seenClockMarginMs);
}

async function readSignalsWithMisses(ids: string[], build: string | null): Promise<Map<string, VideoSignals>> {
  const found = await readSignals(ids, build);
  const misses = ids.filter((id) => !found.has(id)).slice(0, MAX_SIGNAL_MISSES);
  if (misses.length === 0) return found;
  const loaded = await loadSignalsFromDb(misses);
  return new Map([...found, ...loaded]);
}

/** "Because you watched #cooking", "Popular now", "New from @ana": the source, and its signal where it has one. */
export function explain(input: FeatureInput, item: Pick<FeedItem, "author">): string {
  const { candidate } = input;
  const handle = `@${item.author.handle}`;
  switch (candidate.source) {
    case "following":
      return `New from ${handle}`;
    case "creator":
      return `Because you watch ${handle}`;
    case "hashtag":
      return `Because you watched ${candidate.signal ?? "similar videos"}`;
    case "coengagement":
      return input.viewer.state.recentLikes.some((like) => like.videoId === candidate.signal) ? "Because you liked a similar video" : "Because you watched a similar video";
    case "embedding": {
      const tag = strongestHashtag(input);
      return tag ? `Because you watched #${tag}` : "Similar to what you watch";
    }
    case "exploration":
      return "Fresh on Flick";
    case "newcomer":
      return "Popular with new viewers";
    case "trending": {
      const tag = strongestHashtag(input);
      return tag ? `Popular in #${tag}` : "Popular now";
    }
  }
}

/** The viewer's follows, not-interested videos and hidden authors (lib/safety), in one statement. */
async function loadViewerLists(userId: string): Promise<{ follows: string[]; notInterested: string[]; hiddenAuthorIds: string[] }> {
  const rows = await queryRows<{ kind: "follow" | "not_interested" | "hidden"; id: string }>(Prisma.sql`
    SELECT 'follow' AS "kind", "followeeId" AS "id" FROM "Follow" WHERE "followerId" = ${userId}
    UNION ALL SELECT 'not_interested', "videoId" FROM "NotInterested" WHERE "userId" = ${userId}
    UNION ALL SELECT 'hidden', "id" FROM (${hiddenAuthorsQuery(userId)}) AS "hidden"`);
  const of = (kind: string) => rows.filter((row) => row.kind === kind).map((row) => row.id);
  return { follows: of("follow"), notInterested: of("not_interested"), hiddenAuthorIds: of("hidden") };
}

function featureRow(ranked: RankResult, row: number): number[] {
  const width = ranked.features!.length / Math.max(1, ranked.scores.length);
  return Array.from(ranked.features!.subarray(row * width, (row + 1) * width));
}

function headRow(ranked: RankResult, row: number): number[] {
  return HEADS.map((head) => ranked.heads![head][row]!);
}

export function logServeFailure(error: unknown): void {
  getLogger().warn({ err: error }, "recs: For You serving failed; falling back to the plain blend");
}
