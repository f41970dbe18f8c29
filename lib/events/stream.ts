// The Redis stream of events (flick:events) that real-time consumers read, and the relay that fills it from
// PostgreSQL. The relay reads the Event table in commit order (lib/events/cursor.ts), adds each event to the stream,
// and only then moves its cursor, which lives in PostgreSQL: if Redis is down nothing moves, and when it is back the
// relay sends the backlog. Delivery is at least once (a crash between XADD and the cursor update resends a batch).
//
// Entry fields: id, type (API name), video, at (epoch ms), viewer ("u:<userId>" or "d:<deviceId>"), user, device,
// source (API name), frid (feed request id), wms (watched ms), loops; empty strings for absent values.
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

export function toStreamFields(event: StoredEvent): string[] {
  return [
    "id", event.id,
    "type", fromDbType(event.type),
    "video", event.videoId,
    "at", String(event.at.getTime()),
    "viewer", viewerKeyOf(event) ?? "",
    "user", event.userId ?? "",
    "device", event.deviceId ?? "",
    "source", fromDbSource(event.source),
    "frid", event.feedRequestId ?? "",
    "wms", event.watchedMs === null ? "" : String(event.watchedMs),
    "loops", event.loops === null ? "" : String(event.loops),
  ];
}

export function fromStreamEntry(entryId: string, fields: string[]): StreamEvent {
  const map = new Map<string, string>();
  for (let index = 0; index + 1 < fields.length; index += 2) map.set(fields[index]!, fields[index + 1]!);
  const text = (key: string) => map.get(key) || null;
  const count = (key: string) => (map.get(key) ? Number(map.get(key)) : null);
  return {
    entryId,
    id: map.get("id") ?? "",
    type: (map.get("type") ?? "") as EventType,
    videoId: map.get("video") ?? "",
    at: Number(map.get("at") ?? 0),
    viewer: map.get("viewer") ?? "",
    userId: text("user"),
    deviceId: text("device"),
    source: (map.get("source") ?? "other") as EventSource,
    feedRequestId: text("frid"),
    watchedMs: count("wms"),
    loops: count("loops"),
  };
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
  const pipeline = redis.pipeline();
  for (const event of events) pipeline.xadd(EVENT_STREAM, "MAXLEN", "~", STREAM_MAXLEN, "*", ...toStreamFields(event));
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed || results.length !== events.length) throw failed?.[0] ?? new Error("events relay: the pipeline was cut short");
  await saveCursor(client, "stream", positionOf(events.at(-1)!));
  return events.length;
}
