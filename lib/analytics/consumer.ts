// The analytics consumer: reads the Event table in commit order and adds each batch into the per-video daily
// aggregates (VideoDailyStats, VideoRetention, VideoViewer, VideoFollowGain) in the same transaction that moves its
// cursor, so every event is counted exactly once, and PostgreSQL alone is involved: analytics keep moving while Redis
// is down. The cursor row is locked for the batch, so two workers (or a rebuild) never fold the same events.
// Each aggregate row gets at most one upsert per batch, so under load a hot video is written a few times a second,
// never once per event.
import type pg from "pg";
import { loadCursor, positionOf, readEventsAfter, saveCursor, type StoredEvent } from "@/lib/events/cursor";
import { getLogger } from "@/lib/logger";
import { foldEvents, SOURCE_COLUMNS, type DailyCounts, type Folded } from "./fold";

// Events per batch: large enough that a busy second is a handful of transactions, small enough to commit in tens of ms.
export const ANALYTICS_BATCH = 5_000;

const DAILY_COLUMNS = ["impressions", "views", ...Object.values(SOURCE_COLUMNS), "watchedViews", "watchMs", "completions", "skips", "replays"];

function dailyValues(counts: DailyCounts): number[] {
  return [
    counts.impressions,
    counts.views,
    ...Object.keys(SOURCE_COLUMNS).map((source) => counts.viewsBySource[source as keyof typeof SOURCE_COLUMNS]),
    counts.watchedViews,
    counts.watchMs,
    counts.completions,
    counts.skips,
    counts.replays,
  ];
}

const UPSERT_DAILY_SQL = `
  INSERT INTO "VideoDailyStats" ("videoId", "day", ${DAILY_COLUMNS.map((column) => `"${column}"`).join(", ")})
  SELECT * FROM unnest($1::text[], $2::date[], ${DAILY_COLUMNS.map((column, index) => `$${index + 3}::${column === "watchMs" ? "bigint" : "int"}[]`).join(", ")})
  ON CONFLICT ("videoId", "day") DO UPDATE SET
    ${DAILY_COLUMNS.map((column) => `"${column}" = "VideoDailyStats"."${column}" + EXCLUDED."${column}"`).join(",\n    ")}`;

/** Adds folded aggregates to the tables (inside the caller's transaction). */
export async function writeFolded(client: pg.ClientBase, folded: Folded): Promise<void> {
  if (folded.daily.size > 0) {
    const keys = [...folded.daily.keys()].map((key) => key.split("|") as [string, string]);
    const values = [...folded.daily.values()].map(dailyValues);
    await client.query(UPSERT_DAILY_SQL, [
      keys.map(([videoId]) => videoId),
      keys.map(([, day]) => day),
      ...DAILY_COLUMNS.map((_, column) => values.map((row) => row[column])),
    ]);
  }
  if (folded.retention.size > 0) {
    const keys = [...folded.retention.keys()].map((key) => key.split("|") as [string, string, string]);
    await client.query(
      `INSERT INTO "VideoRetention" ("videoId", "day", "second", "views")
       SELECT * FROM unnest($1::text[], $2::date[], $3::int[], $4::int[])
       ON CONFLICT ("videoId", "day", "second") DO UPDATE SET "views" = "VideoRetention"."views" + EXCLUDED."views"`,
      [keys.map(([videoId]) => videoId), keys.map(([, day]) => day), keys.map(([, , second]) => Number(second)), [...folded.retention.values()]],
    );
  }
  if (folded.viewers.size > 0) {
    const keys = [...folded.viewers].map((key) => key.split("|") as [string, string, string]);
    await client.query(
      `INSERT INTO "VideoViewer" ("videoId", "day", "viewer")
       SELECT * FROM unnest($1::text[], $2::date[], $3::text[]) ON CONFLICT DO NOTHING`,
      [keys.map(([videoId]) => videoId), keys.map(([, day]) => day), keys.map(([, , viewer]) => viewer)],
    );
  }
  if (folded.followGains.size > 0) {
    const keys = [...folded.followGains.keys()].map((key) => key.split("|") as [string, string]);
    // Only an account that really follows the creator counts: a made-up follow event adds nothing.
    await client.query(
      `INSERT INTO "VideoFollowGain" ("videoId", "userId", "day")
       SELECT g.video_id, g.user_id, g.day FROM unnest($1::text[], $2::text[], $3::date[]) AS g(video_id, user_id, day)
       JOIN "Video" v ON v."id" = g.video_id
       JOIN "Follow" f ON f."followerId" = g.user_id AND f."followeeId" = v."authorId"
       ON CONFLICT DO NOTHING`,
      [keys.map(([videoId]) => videoId), keys.map(([, userId]) => userId), [...folded.followGains.values()]],
    );
  }
}

/** Lengths of the videos that still exist, for reach; events of deleted videos are left out. */
export async function loadDurations(client: pg.ClientBase, events: Array<Pick<StoredEvent, "videoId">>): Promise<Map<string, number | null>> {
  const ids = [...new Set(events.map((event) => event.videoId))];
  const result = await client.query<{ id: string; durationMs: number | null }>(`SELECT "id", "durationMs" FROM "Video" WHERE "id" = ANY($1::text[])`, [ids]);
  return new Map(result.rows.map((row) => [row.id, row.durationMs]));
}

/** Folds the next batch of events, if any, in one transaction. Returns how many events it read. */
export async function foldNextBatch(client: pg.ClientBase): Promise<number> {
  await client.query("BEGIN");
  try {
    const position = await loadCursor(client, "analytics", { lock: true });
    const events = await readEventsAfter(client, position, ANALYTICS_BATCH);
    if (events.length === 0) {
      await client.query("COMMIT");
      return 0;
    }
    const folded = foldEvents(events, await loadDurations(client, events));
    await writeFolded(client, folded);
    await saveCursor(client, "analytics", positionOf(events.at(-1)!));
    await client.query("COMMIT");
    if (folded.dropped > 0) getLogger().debug({ dropped: folded.dropped }, "analytics: events of deleted videos left out");
    return events.length;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}
