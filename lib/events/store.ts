// Appending events to PostgreSQL, the source of truth. Concurrent requests share inserts ("group commit"): while
// one INSERT is in flight, the events of every request that arrives meanwhile wait and then go together in the next
// one, so under load each statement and each commit carries hundreds of events, and when idle a request's events go
// at once. A request is answered only after the commit that holds its events, so an accepted event is a stored one.
//
// One statement per flush: the rows travel as one array per column and are unnested on the server, and the client's
// event id is the primary key, so ON CONFLICT DO NOTHING turns a resent event into a counted duplicate. No foreign
// keys and no counters are touched here: inserting takes no lock on any video or user row.
import { getMetrics } from "../metrics";
import { getEventsPool } from "./pg";
import { toDbSource, toDbType } from "./names";
import type { EventSource, EventType } from "./types";

export type EventRow = {
  id: string;
  type: EventType;
  videoId: string;
  at: Date;
  source: EventSource;
  userId: string | null;
  deviceId: string | null;
  feedRequestId: string | null;
  watchedMs: number | null;
  loops: number | null;
};

// Two inserts in flight keep the connection busy while the other one commits (its WAL flush), and let a batch form
// behind them; more would only split the waiting events into smaller statements.
const MAX_IN_FLIGHT = 2;
// About 200 KB of parameters; above this a statement's planning and parameter parsing stop paying off.
const MAX_ROWS_PER_INSERT = 2_000;

// txid: the inserting transaction's id, the consumers' reading order (lib/events/cursor.ts). `at` arrives in UTC
// and is stored as the UTC wall time, like every timestamp Prisma writes.
const INSERT_SQL = `
  INSERT INTO "Event" ("id", "txid", "at", "type", "source", "videoId", "userId", "deviceId", "feedRequestId", "watchedMs", "loops")
  SELECT e.id, pg_current_xact_id()::text::bigint, e.at AT TIME ZONE 'UTC', e.type::"EventType", e.source::"EventSource",
         e.video_id, e.user_id, e.device_id, e.feed_request_id, e.watched_ms, e.loops
  FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::uuid[], $9::int[], $10::int[])
    AS e(id, at, type, source, video_id, user_id, device_id, feed_request_id, watched_ms, loops)
  ON CONFLICT ("id") DO NOTHING
  RETURNING "id"`;

type Waiting = { rows: EventRow[]; resolve: (inserted: Set<string>) => void; reject: (error: unknown) => void };

class GroupCommitWriter {
  private waiting: Waiting[] = [];
  private inFlight = 0;

  /** Resolves with the ids that were new (inserted now) once they are committed. */
  append(rows: EventRow[]): Promise<Set<string>> {
    if (rows.length === 0) return Promise.resolve(new Set());
    return new Promise((resolve, reject) => {
      this.waiting.push({ rows, resolve, reject });
      this.flushWhileIdle();
    });
  }

  private flushWhileIdle(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.waiting.length > 0) {
      const group: Waiting[] = [];
      let size = 0;
      while (this.waiting.length > 0 && (group.length === 0 || size + this.waiting[0]!.rows.length <= MAX_ROWS_PER_INSERT)) {
        const next = this.waiting.shift()!;
        group.push(next);
        size += next.rows.length;
      }
      this.inFlight += 1;
      void this.insert(group).finally(() => {
        this.inFlight -= 1;
        this.flushWhileIdle();
      });
    }
  }

  private async insert(group: Waiting[]): Promise<void> {
    const rows = group.flatMap((waiting) => waiting.rows);
    const started = performance.now();
    try {
      const result = await getEventsPool().query<{ id: string }>(INSERT_SQL, [
        rows.map((row) => row.id),
        rows.map((row) => row.at.toISOString()),
        rows.map((row) => toDbType(row.type)),
        rows.map((row) => toDbSource(row.source)),
        rows.map((row) => row.videoId),
        rows.map((row) => row.userId),
        rows.map((row) => row.deviceId),
        rows.map((row) => row.feedRequestId),
        rows.map((row) => row.watchedMs),
        rows.map((row) => row.loops),
      ]);
      getMetrics().eventsInsertDuration.observe((performance.now() - started) / 1000);
      getMetrics().eventsInsertRows.observe(rows.length);
      const inserted = new Set(result.rows.map((row) => row.id));
      // Two requests of one group may carry the same event (a resend racing the original): the first one gets it.
      for (const waiting of group) {
        const mine = new Set<string>();
        for (const row of waiting.rows) {
          if (inserted.delete(row.id)) mine.add(row.id);
        }
        waiting.resolve(mine);
      }
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
    }
  }
}

const globalForWriter = globalThis as unknown as { flickEventWriter?: GroupCommitWriter };

/**
 * Stores events (ids unique within the call) and resolves with the ids that were new; the others were stored
 * before. Rejects when the database cannot take them: nothing is acknowledged that is not committed.
 */
export function appendEvents(rows: EventRow[]): Promise<Set<string>> {
  globalForWriter.flickEventWriter ??= new GroupCommitWriter();
  return globalForWriter.flickEventWriter.append(rows);
}
