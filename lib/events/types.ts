// The wire format of viewer signals (POST /api/events), shared by the route, lib/events and the player's tracker
// (client code imports this module, so it holds only constants and types).

/** What a viewer did. Names are the API's; the database stores them upper-case (EventType). */
export const EVENT_TYPES = [
  "impression",
  "play",
  "progress",
  "complete",
  "skip",
  "like",
  "unlike",
  "share",
  "bookmark",
  "unbookmark",
  "follow",
  "unfollow",
  "not_interested",
  "comment",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Where the viewer was: the For You and Following tabs, a profile, search, a hashtag page, a shared link, or elsewhere. */
export const EVENT_SOURCES = ["foryou", "following", "profile", "search", "hashtag", "link", "other"] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

/** Actions only an account can take; from a signed-out viewer they are refused. */
export const ACCOUNT_EVENT_TYPES: ReadonlySet<EventType> = new Set([
  "like",
  "unlike",
  "bookmark",
  "unbookmark",
  "follow",
  "unfollow",
  "not_interested",
  "comment",
]);

// A player flushes every few seconds, so a batch is small; 100 leaves room for a beacon carrying a backlog.
export const MAX_EVENTS_PER_BATCH = 100;

/** One event as a client sends it. `at` is an ISO 8601 time or epoch milliseconds. */
export type EventInput = {
  id: string;
  type: EventType;
  videoId: string;
  at: string | number;
  source: EventSource;
  /** The requestId of the feed response that served the video, so ranking decisions can be joined with outcomes. */
  feedRequestId?: string;
  /** progress: milliseconds of the video watched in this view, loops included. skip: how long before leaving. */
  watchedMs?: number;
  /** progress: how many times this view went back to the start. */
  loops?: number;
};

/** Why an event of a batch was refused; the rest of the batch is still taken. */
export const REJECT_REASONS = [
  "not_an_object",
  "invalid_id",
  "unknown_type",
  "invalid_video_id",
  "unknown_video",
  "invalid_timestamp",
  "timestamp_in_future",
  "timestamp_too_old",
  "unknown_source",
  "invalid_feed_request_id",
  "missing_watched_ms",
  "invalid_watched_ms",
  "invalid_loops",
  "implausible_watch_time",
  "sign_in_required",
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** The 202 answer: stored now, already stored before (a resend), and refused with the index in the batch. */
export type IngestResult = {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; reason: RejectReason }>;
};
