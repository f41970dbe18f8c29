// Training examples: the served-features log (RecServed: the exact vector the ranker scored) joined with what the
// viewer then did with that item (Event rows of the same feedRequestId and videoId). Only items the viewer actually
// saw (an impression, a play, a skip or a finished view) are examples: an item served but never reached tells nothing.
//
// Labels, one column per head (HEADS order):
//   complete  a COMPLETE event, or a view that lasted the whole video
//   watch     watched time / duration, capped at 1 — debiased by duration: a 60 s video watched for 15 s and a 10 s
//             one watched for 15 s are not the same outcome, so the target is the fraction, not the seconds, and
//             loops do not push it past a full view (which would favour short videos twice, once here and once in
//             completion)
//   like, share, follow   the event happened from this item
//   negative  a fast skip (SKIP: left within 2 s or a quarter of the video, by the player's definition) or "not
//             interested"
import { getDb } from "@/lib/db";
import { FEATURE_COUNT } from "../features";
import { HEADS } from "../types";

export type Examples = {
  n: number;
  /** Row-major n × FEATURE_COUNT. */
  x: Float32Array;
  /** Row-major n × HEADS. */
  y: Float32Array;
  requestIds: string[];
  servedAt: Date[];
};

type Row = {
  feedRequestId: string;
  servedAt: Date;
  features: number[];
  durationMs: number | null;
  completed: boolean;
  watchedMs: number | null;
  liked: boolean;
  shared: boolean;
  followed: boolean;
  negative: boolean;
};

// How far back examples go: three weeks of behaviour; older tastes have drifted and the table stays cheap to scan.
const LOOKBACK_DAYS = 21;
// Events may arrive a little before the served row's timestamp is written (clock skew between processes).
const EVENT_SLACK_MINUTES = 5;

/** The newest `limit` examples, oldest first. */
export async function loadExamples(limit: number): Promise<Examples> {
  const since = new Date(Date.now() - LOOKBACK_DAYS * 24 * 3600 * 1000);
  const rows = await getDb().$queryRaw<Row[]>`
    SELECT s."feedRequestId"::text AS "feedRequestId", s."servedAt", s.features, v."durationMs",
      bool_or(e.type = 'COMPLETE') AS completed,
      max(CASE WHEN e.type IN ('PROGRESS', 'SKIP') THEN e."watchedMs" END) AS "watchedMs",
      bool_or(e.type = 'LIKE') AS liked,
      bool_or(e.type = 'SHARE') AS shared,
      bool_or(e.type = 'FOLLOW') AS followed,
      bool_or(e.type IN ('SKIP', 'NOT_INTERESTED')) AS negative
    FROM "RecServed" s
    JOIN "Event" e ON e."feedRequestId" = s."feedRequestId" AND e."videoId" = s."videoId"
      AND e.at >= ${new Date(since.getTime() - EVENT_SLACK_MINUTES * 60_000)}
    LEFT JOIN "Video" v ON v.id = s."videoId"
    WHERE s."servedAt" >= ${since} AND cardinality(s.features) = ${FEATURE_COUNT}
    GROUP BY s."feedRequestId", s."videoId", s."servedAt", s.features, v."durationMs"
    HAVING bool_or(e.type IN ('IMPRESSION', 'PLAY', 'PROGRESS', 'COMPLETE', 'SKIP'))
    ORDER BY s."servedAt" DESC
    LIMIT ${limit}`;
  rows.reverse();
  const n = rows.length;
  const x = new Float32Array(n * FEATURE_COUNT);
  const y = new Float32Array(n * HEADS.length);
  const column = (head: (typeof HEADS)[number]) => HEADS.indexOf(head);
  rows.forEach((row, i) => {
    x.set(row.features, i * FEATURE_COUNT);
    const duration = row.durationMs && row.durationMs > 0 ? row.durationMs : null;
    const watchedFraction = duration && row.watchedMs !== null ? Math.min(1, row.watchedMs / duration) : 0;
    const completed = row.completed || watchedFraction >= 1;
    const base = i * HEADS.length;
    y[base + column("complete")] = completed ? 1 : 0;
    y[base + column("watch")] = completed ? 1 : watchedFraction;
    y[base + column("like")] = row.liked ? 1 : 0;
    y[base + column("share")] = row.shared ? 1 : 0;
    y[base + column("follow")] = row.followed ? 1 : 0;
    y[base + column("negative")] = row.negative && !completed ? 1 : 0;
  });
  return { n, x, y, requestIds: rows.map((row) => row.feedRequestId), servedAt: rows.map((row) => row.servedAt) };
}

/** Rows [from, to) of a set of examples. */
export function sliceExamples(examples: Examples, from: number, to: number): Examples {
  return {
    n: to - from,
    x: examples.x.slice(from * FEATURE_COUNT, to * FEATURE_COUNT),
    y: examples.y.slice(from * HEADS.length, to * HEADS.length),
    requestIds: examples.requestIds.slice(from, to),
    servedAt: examples.servedAt.slice(from, to),
  };
}
