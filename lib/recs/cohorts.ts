// A/B cohorts: RECS_COHORTS="main:full:90,control:trending:10" splits viewers by a stable hash of their viewer key
// (FNV-1a, so the same account or device is always in the same cohort, on every process), each cohort served by its
// strategy. Served rows record cohort and strategy (RecServed); cohortMetrics joins them with what viewers then did.
import { getDb } from "../db";
import { getConfig } from "../env";
import { STRATEGY_NAMES, type StrategyName } from "./config";

export type Cohort = { name: string; strategy: StrategyName; weight: number };

let parsed: { source: string; cohorts: Cohort[] } | undefined;

/** Parses a RECS_COHORTS value; throws with the offending entry when it names an unknown strategy. */
export function parseCohorts(source: string): Cohort[] {
  const cohorts = source.split(",").map((entry) => {
    const [name, strategy, weight] = entry.split(":");
    if (!STRATEGY_NAMES.includes(strategy as StrategyName)) {
      throw new Error(`RECS_COHORTS: "${entry}" names the strategy "${strategy}"; use one of ${STRATEGY_NAMES.join(", ")}.`);
    }
    return { name: name!, strategy: strategy as StrategyName, weight: Number(weight) };
  });
  if (cohorts.every((cohort) => cohort.weight === 0)) throw new Error("RECS_COHORTS: at least one cohort needs a weight above 0.");
  return cohorts;
}

/** The configured cohorts (RECS_COHORTS). */
export function getCohorts(): Cohort[] {
  const source = getConfig().RECS_COHORTS;
  if (parsed?.source !== source) parsed = { source, cohorts: parseCohorts(source) };
  return parsed.cohorts;
}

/** 32-bit FNV-1a: stable across processes and releases, well spread for short keys. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The viewer's cohort: the same for the same viewer key as long as RECS_COHORTS does not change. */
export function assignCohort(viewerKey: string, cohorts: Cohort[] = getCohorts()): Cohort {
  const total = cohorts.reduce((sum, cohort) => sum + cohort.weight, 0);
  let point = stableHash(viewerKey) % total;
  for (const cohort of cohorts) {
    if (point < cohort.weight) return cohort;
    point -= cohort.weight;
  }
  return cohorts[cohorts.length - 1]!;
}

export type CohortMetrics = {
  cohort: string;
  strategy: string;
  /** Items served. */
  impressions: number;
  /** Served items the viewer started playing. */
  plays: number;
  /** Mean share of the video watched in the first pass, over served items that reported their watch time. */
  meanWatchFraction: number | null;
  /** Per played item: completed, liked, skipped fast (left within 2 s or a quarter). */
  completionRate: number | null;
  likeRate: number | null;
  fastSkipRate: number | null;
};

/** Per cohort and strategy over the last `hours`: RecServed joined with the events sent about those items. */
export async function cohortMetrics(hours: number): Promise<{ hours: number; since: string; cohorts: CohortMetrics[] }> {
  const since = new Date(Date.now() - hours * 3_600_000);
  const rows = await getDb().$queryRaw<
    Array<{ cohort: string; strategy: string; impressions: number; plays: number; watch: number | null; completes: number; likes: number; skips: number }>
  >`
    WITH served AS (
      SELECT "feedRequestId", "videoId", cohort, strategy FROM "RecServed" WHERE "servedAt" >= ${since}
    ), outcomes AS (
      SELECT "feedRequestId", "videoId",
             bool_or(type IN ('PLAY', 'PROGRESS', 'COMPLETE')) AS played,
             max("watchedMs") FILTER (WHERE type = 'PROGRESS') AS watched,
             bool_or(type = 'COMPLETE') AS completed, bool_or(type = 'LIKE') AS liked, bool_or(type = 'SKIP') AS skipped
        FROM "Event"
       WHERE at >= ${since} AND "feedRequestId" IS NOT NULL
       GROUP BY "feedRequestId", "videoId"
    )
    SELECT s.cohort, s.strategy, count(*)::int AS impressions,
           count(*) FILTER (WHERE o.played)::int AS plays,
           avg(least(o.watched::float8 / nullif(v."durationMs", 0), 1)) FILTER (WHERE o.watched IS NOT NULL)::float8 AS watch,
           count(*) FILTER (WHERE o.completed)::int AS completes,
           count(*) FILTER (WHERE o.liked)::int AS likes,
           count(*) FILTER (WHERE o.skipped)::int AS skips
      FROM served s
      LEFT JOIN outcomes o ON o."feedRequestId" = s."feedRequestId" AND o."videoId" = s."videoId"
      LEFT JOIN "Video" v ON v.id = s."videoId"
     GROUP BY s.cohort, s.strategy
     ORDER BY s.cohort, s.strategy`;
  const rate = (count: number, of: number) => (of > 0 ? Math.round((count / of) * 10_000) / 10_000 : null);
  return {
    hours,
    since: since.toISOString(),
    cohorts: rows.map((row) => ({
      cohort: row.cohort,
      strategy: row.strategy,
      impressions: row.impressions,
      plays: row.plays,
      meanWatchFraction: row.watch === null ? null : Math.round(row.watch * 10_000) / 10_000,
      completionRate: rate(row.completes, row.plays),
      likeRate: rate(row.likes, row.plays),
      fastSkipRate: rate(row.skips, row.plays),
    })),
  };
}
