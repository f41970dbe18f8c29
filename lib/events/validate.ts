// Checks one incoming event on its own (shape, timestamps) and against the video it names (exists, may be watched,
// plausible watch time). Pure functions: the ingest path calls them per event so one bad event never spoils a batch.
import { canViewVideo, type Viewer } from "../videos/permissions";
import type { VideoFacts } from "./videos";
import { ACCOUNT_EVENT_TYPES, EVENT_SOURCES, EVENT_TYPES, type EventSource, type EventType, type RejectReason } from "./types";

// A clock a few minutes fast is common on phones; further ahead than this is not a clock, it is made up.
export const MAX_FUTURE_SKEW_MS = 10 * 60 * 1000;
// The player keeps unsent events (offline, a closed tab) and sends them on the next visit, for at most a day.
export const MAX_EVENT_AGE_MS = 24 * 60 * 60 * 1000;
// Watch time is measured from the media clock in ~250 ms steps, and a view may end just after a loop: a few seconds
// of slack keeps honest players from being refused.
export const WATCH_SLACK_MS = 3_000;
// Nobody replays one short video ten thousand times in a single view; beyond this the number is noise or abuse.
export const MAX_LOOPS = 10_000;
// For a video whose duration is unknown, a view still cannot outlast the longest upload.
const FALLBACK_MAX_WATCH_MS = 6 * 60 * 60 * 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VIDEO_ID = /^[A-Za-z0-9_-]{1,64}$/;
const TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);
const SOURCES: ReadonlySet<string> = new Set(EVENT_SOURCES);

/** An event whose fields are well formed; still to be checked against its video. */
export type ParsedEvent = {
  id: string;
  type: EventType;
  videoId: string;
  at: Date;
  source: EventSource;
  feedRequestId: string | null;
  watchedMs: number | null;
  loops: number | null;
};

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: RejectReason };

const reject = (reason: RejectReason): { ok: false; reason: RejectReason } => ({ ok: false, reason });

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

function parseTime(value: unknown): Date | null {
  if (typeof value === "number" && Number.isFinite(value)) return new Date(value);
  if (typeof value === "string" && value.length <= 40) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return new Date(ms);
  }
  return null;
}

/** Shape and timestamp checks, needing nothing but the event, the clock, and whether the viewer is signed in. */
export function parseEvent(raw: unknown, context: { now: number; signedIn: boolean }): Checked<ParsedEvent> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return reject("not_an_object");
  const input = raw as Record<string, unknown>;
  if (typeof input.id !== "string" || !UUID.test(input.id)) return reject("invalid_id");
  if (typeof input.type !== "string" || !TYPES.has(input.type)) return reject("unknown_type");
  const type = input.type as EventType;
  if (typeof input.videoId !== "string" || !VIDEO_ID.test(input.videoId)) return reject("invalid_video_id");
  const at = parseTime(input.at);
  if (!at || at.getFullYear() < 2000) return reject("invalid_timestamp");
  if (at.getTime() > context.now + MAX_FUTURE_SKEW_MS) return reject("timestamp_in_future");
  if (at.getTime() < context.now - MAX_EVENT_AGE_MS) return reject("timestamp_too_old");
  if (typeof input.source !== "string" || !SOURCES.has(input.source)) return reject("unknown_source");
  const feedRequestId = input.feedRequestId ?? null;
  if (feedRequestId !== null && (typeof feedRequestId !== "string" || !UUID.test(feedRequestId))) return reject("invalid_feed_request_id");
  const watchedMs = input.watchedMs ?? null;
  if (watchedMs !== null && !isCount(watchedMs)) return reject("invalid_watched_ms");
  if (type === "progress" && watchedMs === null) return reject("missing_watched_ms");
  const loops = input.loops ?? null;
  if (loops !== null && (!isCount(loops) || loops > MAX_LOOPS)) return reject("invalid_loops");
  if (ACCOUNT_EVENT_TYPES.has(type) && !context.signedIn) return reject("sign_in_required");
  return {
    ok: true,
    value: {
      id: input.id.toLowerCase(),
      type,
      videoId: input.videoId,
      at,
      source: input.source as EventSource,
      feedRequestId: feedRequestId?.toLowerCase() ?? null,
      watchedMs,
      loops: type === "progress" ? (loops ?? 0) : loops,
    },
  };
}

/**
 * The video must exist and be watchable by this viewer (the same 404 rule as everywhere: no telling private videos
 * from missing ones), and a watch time must fit the video: at most one pass more than the loops it reports, and at
 * least the loops themselves.
 */
export function checkAgainstVideo(event: ParsedEvent, video: VideoFacts | undefined, viewer: Viewer): RejectReason | null {
  if (!video || !canViewVideo(viewer, video)) return "unknown_video";
  if (event.watchedMs === null) return null;
  const loops = event.loops ?? 0;
  if (video.durationMs === null || video.durationMs <= 0) {
    return event.watchedMs > FALLBACK_MAX_WATCH_MS ? "implausible_watch_time" : null;
  }
  const most = video.durationMs * (loops + 1) + WATCH_SLACK_MS;
  const least = video.durationMs * loops - WATCH_SLACK_MS;
  if (event.watchedMs > most || event.watchedMs < least) return "implausible_watch_time";
  return null;
}
