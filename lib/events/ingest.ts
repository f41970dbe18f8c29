// POST /api/events: checks each event of a batch, stores the good ones in PostgreSQL (lib/events/store.ts), and says
// per event what happened. Nothing here touches Redis: the stream and every counter are fed from the stored events by
// the worker's consumers, so an outage of Redis never costs an event.
import { canModerate } from "../auth/roles";
import type { AuthUser } from "../auth/types";
import { AppError } from "../errors";
import { getLogger } from "../logger";
import { getMetrics } from "../metrics";
import { loadBlockedIds } from "../safety";
import { appendEvents, type EventRow } from "./store";
import type { IngestResult } from "./types";
import { checkAgainstVideo, parseEvent, type ParsedEvent } from "./validate";
import { getVideoFacts } from "./videos";

/** Who sent the batch: an account, and/or the browser's anonymous device id (flick_device). */
export type EventViewer = { user: AuthUser | null; deviceId: string | null };

export async function ingestEvents(viewer: EventViewer, batch: unknown[]): Promise<IngestResult> {
  const now = Date.now();
  const rejected: IngestResult["rejected"] = [];
  const parsed: Array<{ index: number; event: ParsedEvent }> = [];
  batch.forEach((raw, index) => {
    const result = parseEvent(raw, { now, signedIn: viewer.user !== null });
    if (result.ok) parsed.push({ index, event: result.value });
    else rejected.push({ index, reason: result.reason });
  });

  // A block hides a creator's videos from the other side (lib/safety): their events are refused like any unseen video.
  const [videos, blocked] = await Promise.all([
    getVideoFacts(parsed.map(({ event }) => event.videoId)),
    viewer.user && parsed.length > 0 && !canModerate(viewer.user) ? loadBlockedIds(viewer.user.id).then((ids) => new Set(ids)) : new Set<string>(),
  ]);
  const rows: EventRow[] = [];
  const seenIds = new Set<string>();
  let duplicates = 0;
  for (const { index, event } of parsed) {
    const video = videos.get(event.videoId);
    const reason = video && blocked.has(video.authorId) ? "unknown_video" : checkAgainstVideo(event, video, viewer.user);
    if (reason) {
      rejected.push({ index, reason });
      continue;
    }
    // The same event twice in one batch is a resend like any other.
    if (seenIds.has(event.id)) {
      duplicates += 1;
      continue;
    }
    seenIds.add(event.id);
    rows.push({ ...event, userId: viewer.user?.id ?? null, deviceId: viewer.deviceId });
  }

  const inserted = await appendEvents(rows).catch((error: unknown) => {
    // Nothing is acknowledged that is not committed: the player keeps the batch and sends it again.
    getLogger().error({ err: error, events: rows.length }, "events: could not store a batch");
    throw new AppError("unavailable", "Events cannot be stored just now; send them again in a moment.");
  });
  duplicates += rows.length - inserted.size;
  rejected.sort((a, b) => a.index - b.index);
  const ingested = getMetrics().eventsIngested;
  ingested.labels("accepted").inc(inserted.size);
  ingested.labels("duplicate").inc(duplicates);
  ingested.labels("rejected").inc(rejected.length);
  if (rejected.length > 0) {
    getLogger().debug({ userId: viewer.user?.id, deviceId: viewer.deviceId, rejected: rejected.length }, "events: some refused");
  }
  return { accepted: inserted.size, duplicates, rejected };
}
