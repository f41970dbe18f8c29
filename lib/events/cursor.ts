// Reading the Event table in order, gap-free, for the consumers (the stream relay and the analytics fold).
//
// A bigserial watermark would skip events: sequence values are taken before commit, so an insert that commits late
// can land below a watermark that already moved past it (and ON CONFLICT burns values, leaving gaps that never fill).
// Instead every row carries the id of the transaction that inserted it (txid), and a consumer reads in (txid, id)
// order only below the oldest transaction still running (pg_snapshot_xmin of the statement's snapshot). Every
// transaction below that horizon has finished, so no row can ever appear behind a position once it has been read.
// The cost is that a long-running writing transaction anywhere in the database delays consumers (never loses events).
import type pg from "pg";
import type { DbEventSource, DbEventType } from "./names";

export type CursorName = "stream" | "analytics";

/** A position in (txid, event id) order; the zero position is before every event. */
export type Position = { txid: string; eventId: string };
export const START: Position = { txid: "0", eventId: "00000000-0000-0000-0000-000000000000" };

export type StoredEvent = {
  id: string;
  txid: string;
  at: Date;
  type: DbEventType;
  source: DbEventSource;
  videoId: string;
  userId: string | null;
  deviceId: string | null;
  feedRequestId: string | null;
  watchedMs: number | null;
  loops: number | null;
};

export const EVENT_COLUMNS = `"id", "txid"::text AS "txid", "at" AT TIME ZONE 'UTC' AS "at", "type"::text AS "type", "source"::text AS "source",
  "videoId", "userId", "deviceId", "feedRequestId", "watchedMs", "loops"`;

// ORDER BY names the table's columns: a bare "txid" would sort by the text column of the select list, which puts
// transaction 1000 before 999 and made the consumers read a batch twice each time the ids gained a digit.
export const EVENT_ORDER = `"Event"."txid", "Event"."id"`;

const READ_SQL = `
  SELECT ${EVENT_COLUMNS} FROM "Event"
  WHERE ("txid", "id") > ($1::bigint, $2::uuid) AND "txid" < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
  ORDER BY ${EVENT_ORDER}
  LIMIT $3`;

/** The next events after `after`, at most `limit`, all from finished transactions. */
export async function readEventsAfter(client: pg.ClientBase, after: Position, limit: number): Promise<StoredEvent[]> {
  const result = await client.query<StoredEvent>(READ_SQL, [after.txid, after.eventId, limit]);
  return result.rows;
}

export function positionOf(event: Pick<StoredEvent, "txid" | "id">): Position {
  return { txid: event.txid, eventId: event.id };
}

/** Where `name` has read to. `lock` holds the row until the transaction ends, serialising batches and rebuilds. */
export async function loadCursor(client: pg.ClientBase, name: CursorName, options: { lock?: boolean } = {}): Promise<Position> {
  await client.query(`INSERT INTO "EventCursor" ("name", "eventId") VALUES ($1, $2::uuid) ON CONFLICT ("name") DO NOTHING`, [name, START.eventId]);
  const result = await client.query<{ txid: string; eventId: string }>(
    `SELECT "txid"::text AS "txid", "eventId"::text AS "eventId" FROM "EventCursor" WHERE "name" = $1${options.lock ? " FOR UPDATE" : ""}`,
    [name],
  );
  const row = result.rows[0];
  return row ? { txid: row.txid, eventId: row.eventId } : START;
}

export async function saveCursor(client: pg.ClientBase, name: CursorName, position: Position): Promise<void> {
  await client.query(`UPDATE "EventCursor" SET "txid" = $2::bigint, "eventId" = $3::uuid, "updatedAt" = now() AT TIME ZONE 'UTC' WHERE "name" = $1`, [
    name,
    position.txid,
    position.eventId,
  ]);
}
