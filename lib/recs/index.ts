// The For You recommender, serving side: the public face of lib/recs. See ARCHITECTURE.md, "Feed data flow".
//   getForYou          one For You page (lib/feed calls it)
//   refreshIndexes     the global indexes (trending, per hashtag, per creator, signals, exploration pools, and with
//                      { slow: true } co-engagement neighbours and popular-for-newcomers); refreshIndexesIfDue: the
//                      scheduled one, spaced by its own duration on a large catalogue
//   refreshCandidates  one viewer's stored candidates; refreshActiveViewers: every active viewer's stale list
//   resetForYou        "Refresh your For You"
//   STRATEGIES         "full" (default), "trending", "random", "fresh"; cohorts and their metrics
import { rebuildIndexes, rebuildIndexesIfDue, type IndexReport } from "./indexes";

export { getForYou, type ForYouPage, type ForYouViewer, type ForYouOptions } from "./serve";
export { refreshCandidates, refreshActiveViewers, noteViewerEvents, readStoredCandidates } from "./candidates";
export { resetForYou } from "./reset";
export { STRATEGIES, resolveStrategy } from "./strategies";
export { STRATEGY_NAMES, type StrategyName } from "./config";
export { assignCohort, getCohorts, parseCohorts, cohortMetrics, type Cohort, type CohortMetrics } from "./cohorts";
export { flushServed } from "./served-log";
export { explorationState } from "./exploration";
export { rankInputs, type RankResult } from "./rank";
export { CANDIDATE_SOURCES, type CandidateSource, type SourceContext } from "./sources";
export type { IndexReport } from "./indexes";

/** Rebuilds the global indexes now; `slow` also rebuilds the event-scanning ones (co-engagement, newcomers). */
export function refreshIndexes(options: { slow?: boolean } = { slow: true }): Promise<IndexReport> {
  return rebuildIndexes(options);
}

/** The scheduled rebuild of the fast indexes: skipped (null) while the last build is younger than twice its duration. */
export function refreshIndexesIfDue(): Promise<IndexReport | null> {
  return rebuildIndexesIfDue();
}
