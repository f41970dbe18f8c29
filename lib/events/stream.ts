// The Redis stream of events (flick:events) that real-time consumers read, and the relay that fills it from
// PostgreSQL. The relay reads the Event table in commit order (lib/events/cursor.ts), adds each event to the stream,
// and only then moves its cursor, which lives in PostgreSQL: if Redis is down nothing moves, and when it is back the
// relay sends the backlog. Delivery is at least once (a crash between XADD and the cursor update resends a batch).
//
// Each entry has one field, "e": the event as JSON, {id, type, videoId, at (epoch ms), viewer ("u:<userId>" or
// "d:<deviceId>"), source, and when present userId, deviceId, feedRequestId, watchedMs, loops}, with the API's names
// for type and source. One field rather than eleven: a third of the relay's and the readers' work per event.
import type { Redis } from "ioredis";
import type pg from "pg";
import { loadCursor, positionOf, readEventsAfter, saveCursor, type StoredEvent } from "./cursor";
import { viewerKeyOf } from "./viewer";
import { fromDbSource, fromDbType } from "./names";
import type { EventSource, EventType } from "./types";

export const EVENT_STREAM = "flick:events";
// The stream keeps the latest ~50,000 entries (~12 MB): a window for consumers that attach late. Registered groups
// never lose entries to trimming, because the relay waits while any of them is STREAM_MAX_LAG behind.
export const STREAM_MAXLEN = 50_000;
export const STREAM_MAX_LAG = 20_000;
// Events per relay step: one read, one pipelined XADD round trip, one cursor update.
export const RELAY_BATCH = 1_000;

export type StreamEvent = {
  /** The stream entry id (for XACK). */
  entryId: string;
  id: string;
  type: EventType;
  videoId: string;
  at: number;
  viewer: string;
  userId: string | null;
  deviceId: string | null;
  source: EventSource;
  feedRequestId: string | null;
  watchedMs: number | null;
  loops: number | null;
};

/** The entry's JSON for a stored event. */
export function toStreamEntry(event: StoredEvent): string {
  return JSON.stringify({
    id: event.id,
    type: fromDbType(event.type),
    videoId: event.videoId,
    at: event.at.getTime(),
    viewer: viewerKeyOf(event) ?? "",
    source: fromDbSource(event.source),
    ...(event.userId ? { userId: event.userId } : {}),
    ...(event.deviceId ? { deviceId: event.deviceId } : {}),
    ...(event.feedRequestId ? { feedRequestId: event.feedRequestId } : {}),
    ...(event.watchedMs !== null ? { watchedMs: event.watchedMs } : {}),
    ...(event.loops !== null ? { loops: event.loops } : {}),
  });
}

/** A stream entry back as an event; null for an entry that is not one (or was trimmed and came back empty). */
export function fromStreamEntry(entryId: string, fields: string[] | null): StreamEvent | null {
  const index = fields?.indexOf("e") ?? -1;
  if (!fields || index < 0 || index + 1 >= fields.length) return null;
  try {
    const event = JSON.parse(fields[index + 1]!) as Omit<StreamEvent, "entryId" | "userId" | "deviceId" | "feedRequestId" | "watchedMs" | "loops"> &
      Partial<Pick<StreamEvent, "userId" | "deviceId" | "feedRequestId" | "watchedMs" | "loops">>;
    return {
      entryId,
      ...event,
      userId: event.userId ?? null,
      deviceId: event.deviceId ?? null,
      feedRequestId: event.feedRequestId ?? null,
      watchedMs: event.watchedMs ?? null,
      loops: event.loops ?? null,
    };
  } catch {
    return null;
  }
}

// KEYS[1]: the stream. ARGV: approximate max length, then one JSON entry per event.
const RELAY_SCRIPT = `
for i = 2, #ARGV do
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[i])
end
return #ARGV - 1
`;

type RelayRedis = Redis & { flickRelayEvents(stream: string, maxLength: number, ...entries: string[]): Promise<number> };

function withRelayCommand(redis: Redis): RelayRedis {
  const typed = redis as RelayRedis;
  if (typeof typed.flickRelayEvents !== "function") redis.defineCommand("flickRelayEvents", { numberOfKeys: 1, lua: RELAY_SCRIPT });
  return typed;
}

/** The largest number of entries any consumer group has yet to read (0 without groups). */
export async function readGroupLag(redis: Redis): Promise<number> {
  const groups = (await redis.call("XINFO", "GROUPS", EVENT_STREAM).catch((error: unknown) => {
    if (error instanceof Error && /no such key/i.test(error.message)) return [];
    throw error;
  })) as unknown[][];
  let most = 0;
  for (const group of groups) {
    for (let index = 0; index + 1 < group.length; index += 2) {
      if (group[index] === "lag" && typeof group[index + 1] === "number") most = Math.max(most, group[index + 1] as number);
    }
  }
  return most;
}

/**
 * Moves the next batch of stored events into the stream. Returns how many were relayed: 0 when there is nothing
 * new, Redis is not connected, or a consumer group is too far behind. Throws when Redis fails mid-way; the cursor then
 * stays where it was.
 */
export async function relayEvents(client: pg.ClientBase, redis: Redis): Promise<number> {
  // Not connected (yet, or any more): wait without reading anything; the backlog goes once Redis is back.
  if (redis.status !== "ready") return 0;
  const position = await loadCursor(client, "stream");
  const events = await readEventsAfter(client, position, RELAY_BATCH);
  if (events.length === 0) return 0;
  if ((await readGroupLag(redis)) > STREAM_MAX_LAG) return 0;
  // One script call adds the whole batch, in order: a command per event would cost more than the event itself.
  const added = await withRelayCommand(redis).flickRelayEvents(EVENT_STREAM, STREAM_MAXLEN, ...events.map(toStreamEntry));
  if (added !== events.length) throw new Error(`events relay: ${added} of ${events.length} entries added`);
  await saveCursor(client, "stream", positionOf(events.at(-1)!));
  return events.length;
}
