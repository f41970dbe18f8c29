// Rebuilding aggregates from the Event table, the source of truth: after a bug in the fold, a restored backup, or to
// prove the counters agree with the events.
import type pg from "pg";
import { EVENT_COLUMNS, EVENT_ORDER, loadCursor, positionOf, saveCursor, START, type Position, type StoredEvent } from "@/lib/events/cursor";
import { connectEventsSession } from "@/lib/events/pg";
import { ANALYTICS_BATCH, loadDurations, writeFolded } from "./consumer";
import { foldEvents } from "./fold";

const AGGREGATE_TABLES = ["VideoDailyStats", "VideoRetention", "VideoViewer", "VideoFollowGain"] as const;

async function inSession<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectEventsSession();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Recomputes the given videos' aggregates from their events, in one transaction that holds the analytics cursor:
 * the live consumer waits meanwhile, and afterwards continues with exactly the events this did not fold. Reads the
 * whole Event table once (events are not indexed by video), so it is a repair tool, not a routine job.
 */
export async function rebuildVideoAnalytics(videoIds: string[]): Promise<{ events: number }> {
  if (videoIds.length === 0) return { events: 0 };
  return inSession(async (client) => {
    await client.query("BEGIN");
    try {
      const upTo = await loadCursor(client, "analytics", { lock: true });
      for (const table of AGGREGATE_TABLES) await client.query(`DELETE FROM "${table}" WHERE "videoId" = ANY($1::text[])`, [videoIds]);
      let after: Position = START;
      let total = 0;
      for (;;) {
        const { rows } = await client.query<StoredEvent>(
          `SELECT ${EVENT_COLUMNS} FROM "Event"
           WHERE ("txid", "id") > ($1::bigint, $2::uuid) AND ("txid", "id") <= ($3::bigint, $4::uuid) AND "videoId" = ANY($5::text[])
           ORDER BY ${EVENT_ORDER} LIMIT $6`,
          [after.txid, after.eventId, upTo.txid, upTo.eventId, videoIds, ANALYTICS_BATCH],
        );
        if (rows.length === 0) break;
        await writeFolded(client, foldEvents(rows, await loadDurations(client, rows)));
        total += rows.length;
        after = positionOf(rows.at(-1)!);
      }
      await client.query("COMMIT");
      return { events: total };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  });
}

/**
 * Forgets every aggregate and sends the analytics consumer back to the first event: it then folds the whole table
 * again in the background, batch by batch, while the studio shows the numbers growing back.
 */
export async function rebuildAllAnalytics(): Promise<void> {
  await inSession(async (client) => {
    await client.query("BEGIN");
    try {
      await loadCursor(client, "analytics", { lock: true });
      for (const table of AGGREGATE_TABLES) await client.query(`DELETE FROM "${table}"`);
      await saveCursor(client, "analytics", START);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  });
}
