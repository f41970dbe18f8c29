import { describe, expect, it } from "vitest";
import type { VideoFacts } from "./videos";
import { checkAgainstVideo, MAX_EVENT_AGE_MS, MAX_FUTURE_SKEW_MS, parseEvent, WATCH_SLACK_MS } from "./validate";

const NOW = Date.parse("2026-11-21T12:00:00Z");
const ID = "0192f4a0-8c1e-7abc-9def-0123456789ab";
const good = { id: ID, type: "play", videoId: "cvideo123", at: new Date(NOW - 1000).toISOString(), source: "foryou" };
const video: VideoFacts = { id: "cvideo123", authorId: "author", visibility: "PUBLIC", status: "READY", moderation: "APPROVED", durationMs: 10_000, hashtags: [] };

function reasonOf(raw: unknown, signedIn = false) {
  const result = parseEvent(raw, { now: NOW, signedIn });
  return result.ok ? "ok" : result.reason;
}

describe("parseEvent", () => {
  it("takes a well-formed event and normalises it", () => {
    const result = parseEvent({ ...good, id: ID.toUpperCase(), feedRequestId: "A1B2C3D4-0000-4000-8000-000000000000", extra: "ignored" }, { now: NOW, signedIn: false });
    expect(result).toEqual({
      ok: true,
      value: { id: ID, type: "play", videoId: "cvideo123", at: new Date(NOW - 1000), source: "foryou", feedRequestId: "a1b2c3d4-0000-4000-8000-000000000000", watchedMs: null, loops: null },
    });
    expect(reasonOf({ ...good, at: NOW - 1000 })).toBe("ok");
  });

  it.each([
    ["a string instead of an object", "play", "not_an_object"],
    ["an array", [good], "not_an_object"],
    ["no id", { ...good, id: undefined }, "invalid_id"],
    ["an id that is not a UUID", { ...good, id: "1234" }, "invalid_id"],
    ["an unknown type", { ...good, type: "teleport" }, "unknown_type"],
    ["a video id with a slash", { ...good, videoId: "../etc" }, "invalid_video_id"],
    ["no video id", { ...good, videoId: "" }, "invalid_video_id"],
    ["a time that is not a time", { ...good, at: "yesterday-ish" }, "invalid_timestamp"],
    ["a time in 1970", { ...good, at: 0 }, "invalid_timestamp"],
    ["a time further ahead than clock skew", { ...good, at: NOW + MAX_FUTURE_SKEW_MS + 1000 }, "timestamp_in_future"],
    ["a time older than a day", { ...good, at: NOW - MAX_EVENT_AGE_MS - 1000 }, "timestamp_too_old"],
    ["an unknown source", { ...good, source: "tv" }, "unknown_source"],
    ["no source", { ...good, source: undefined }, "unknown_source"],
    ["a feed request id that is not a UUID", { ...good, feedRequestId: "page-2" }, "invalid_feed_request_id"],
    ["progress without watch time", { ...good, type: "progress" }, "missing_watched_ms"],
    ["a negative watch time", { ...good, type: "progress", watchedMs: -5 }, "invalid_watched_ms"],
    ["a fractional watch time", { ...good, type: "progress", watchedMs: 1.5 }, "invalid_watched_ms"],
    ["watch time as text", { ...good, type: "progress", watchedMs: "900" }, "invalid_watched_ms"],
    ["negative loops", { ...good, type: "progress", watchedMs: 10, loops: -1 }, "invalid_loops"],
    ["absurd loops", { ...good, type: "progress", watchedMs: 10, loops: 1e9 }, "invalid_loops"],
  ])("refuses %s", (_label, raw, reason) => {
    expect(reasonOf(raw)).toBe(reason);
  });

  it("takes a little clock skew ahead", () => {
    expect(reasonOf({ ...good, at: NOW + MAX_FUTURE_SKEW_MS - 1000 })).toBe("ok");
  });

  it("refuses account-only actions from signed-out viewers, and takes them from accounts", () => {
    for (const type of ["like", "unlike", "bookmark", "unbookmark", "follow", "unfollow", "not_interested", "comment"]) {
      expect(reasonOf({ ...good, type }, false)).toBe("sign_in_required");
      expect(reasonOf({ ...good, type }, true)).toBe("ok");
    }
    for (const type of ["impression", "play", "complete", "skip", "share"]) expect(reasonOf({ ...good, type }, false)).toBe("ok");
  });

  it("counts a progress event without loops as a first pass", () => {
    const result = parseEvent({ ...good, type: "progress", watchedMs: 4000 }, { now: NOW, signedIn: false });
    expect(result.ok && result.value.loops).toBe(0);
  });
});

describe("checkAgainstVideo", () => {
  const progress = (watchedMs: number, loops = 0) => {
    const result = parseEvent({ ...good, type: "progress", watchedMs, loops }, { now: NOW, signedIn: false });
    if (!result.ok) throw new Error(result.reason);
    return result.value;
  };

  it("refuses a video that does not exist or that the viewer may not watch, alike", () => {
    expect(checkAgainstVideo(progress(1000), undefined, null)).toBe("unknown_video");
    expect(checkAgainstVideo(progress(1000), { ...video, visibility: "PRIVATE" }, null)).toBe("unknown_video");
    expect(checkAgainstVideo(progress(1000), { ...video, visibility: "PRIVATE" }, { id: "author", role: "USER" })).toBeNull();
    expect(checkAgainstVideo(progress(1000), { ...video, status: "PROCESSING" }, { id: "someone", role: "USER" })).toBe("unknown_video");
  });

  it("takes watch time up to one pass beyond the loops, plus slack, and no less than the loops", () => {
    expect(checkAgainstVideo(progress(10_000), video, null)).toBeNull();
    expect(checkAgainstVideo(progress(10_000 + WATCH_SLACK_MS), video, null)).toBeNull();
    expect(checkAgainstVideo(progress(10_000 + WATCH_SLACK_MS + 1), video, null)).toBe("implausible_watch_time");
    expect(checkAgainstVideo(progress(25_000, 2), video, null)).toBeNull();
    expect(checkAgainstVideo(progress(31_000 + WATCH_SLACK_MS, 2), video, null)).toBe("implausible_watch_time");
    // Three loops of a 10 s video cannot take 5 s.
    expect(checkAgainstVideo(progress(5_000, 3), video, null)).toBe("implausible_watch_time");
    expect(checkAgainstVideo(progress(3_600_000), { ...video, durationMs: null }, null)).toBeNull();
    expect(checkAgainstVideo(progress(7 * 3_600_000), { ...video, durationMs: null }, null)).toBe("implausible_watch_time");
  });
});
