// The served log: one RecServed row per For You item, with the strategy, cohort, model version, score and (once the
// learned ranker is wired) the feature vector and head predictions it was ranked with. Written off the request path:
// rows are buffered in the process and inserted in groups (one multi-row INSERT per flush), so a feed response never
// waits for it. A crash loses at most one flush interval of rows, which costs training a second of examples.
// The INSERT is plain SQL with one array per column (lib/db.ts queryRows): through Prisma's createMany the same rows
// cost ~1 ms of CPU each (measured: ~1 s per 1,000 rows with their feature vectors, about as much as the For You
// request that served them), here a few hundredths of that.
import { Prisma, queryRows } from "../db";
import { getLogger } from "../logger";

export type ServedRow = {
  feedRequestId: string;
  videoId: string;
  viewerKey: string;
  position: number;
  source: string;
  reason: string;
  strategy: string;
  cohort: string;
  modelVersion: string;
  features: number[];
  score: number;
  heads: number[];
};

const FLUSH_EVERY_MS = 1_000; // a second of buffering turns many small inserts into one
const FLUSH_AT_ROWS = 1_000; // or sooner under load, so one INSERT stays a manageable size
const MAX_BUFFERED_ROWS = 50_000; // if the database is away, keep this much and then drop the oldest (logged)

let buffer: ServedRow[] = [];
let timer: NodeJS.Timeout | null = null;
let flushing: Promise<void> | null = null;

/** Queues rows for the next group insert. */
export function logServed(rows: ServedRow[]): void {
  if (rows.length === 0) return;
  buffer.push(...rows);
  if (buffer.length > MAX_BUFFERED_ROWS) {
    const dropped = buffer.length - MAX_BUFFERED_ROWS;
    buffer = buffer.slice(dropped);
    getLogger().warn({ dropped }, "recs: served log buffer full, oldest rows dropped");
  }
  if (buffer.length >= FLUSH_AT_ROWS) void flushServed();
  else if (!timer) {
    timer = setTimeout(() => void flushServed(), FLUSH_EVERY_MS);
    timer.unref?.();
  }
}

/** Writes what is buffered now (tests and shutdown call it to be sure the rows are there). */
export async function flushServed(): Promise<void> {
  if (timer) {
    clearTimeout(timer);
    timer = null;
  }
  if (flushing) await flushing;
  if (buffer.length === 0) return;
  const rows = buffer;
  buffer = [];
  flushing = (async () => {
    try {
      await insertServed(rows);
    } catch (error) {
      getLogger().warn({ err: error, rows: rows.length }, "recs: served log not written; retrying with the next flush");
      buffer = [...rows, ...buffer].slice(-MAX_BUFFERED_ROWS);
      if (!timer) {
        timer = setTimeout(() => void flushServed(), FLUSH_EVERY_MS * 5);
        timer.unref?.();
      }
    } finally {
      flushing = null;
    }
  })();
  await flushing;
}

/** A Postgres array literal of numbers (real[] columns go through unnest as text: unnest would flatten a 2-D array). */
function arrayLiteral(values: number[]): string {
  return `{${values.join(",")}}`;
}

/** One INSERT for all rows; a row already there (the same request and video) is left as it is. */
async function insertServed(rows: ServedRow[]): Promise<void> {
  const column = <K extends keyof ServedRow>(key: K) => rows.map((row) => row[key]);
  await queryRows(Prisma.sql`
    INSERT INTO "RecServed" ("feedRequestId", "videoId", "viewerKey", "servedAt", "position", "source", "reason", "strategy", "cohort",
      "modelVersion", "features", "score", "heads")
    SELECT s.request::uuid, s.video, s.viewer, now() AT TIME ZONE 'UTC', s.position, s.source, s.reason, s.strategy, s.cohort,
      s.model, s.features::real[], s.score, s.heads::real[]
    FROM unnest(${column("feedRequestId")}::text[], ${column("videoId")}::text[], ${column("viewerKey")}::text[], ${column("position")}::int[],
      ${column("source")}::text[], ${column("reason")}::text[], ${column("strategy")}::text[], ${column("cohort")}::text[],
      ${column("modelVersion")}::text[], ${rows.map((row) => arrayLiteral(row.features))}::text[], ${column("score")}::float8[],
      ${rows.map((row) => arrayLiteral(row.heads))}::text[])
      AS s(request, video, viewer, position, source, reason, strategy, cohort, model, features, score, heads)
    ON CONFLICT DO NOTHING`);
}
