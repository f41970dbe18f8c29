// Viewer signals end to end against the running test instance: POST /api/events stores a batch once however often it
// is sent and refuses bad events with reasons while keeping the rest (its rate limits: rate-limits.test.ts); the worker turns events into
// each viewer's real-time state within a second and into creator analytics that match numbers worked out by hand;
// a device's history joins the account it signs in to; the aggregates can be rebuilt from the events; and a creator
// sees only their own analytics. Videos are database rows that look processed (no ffmpeg here).
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rebuildVideoAnalytics } from "@/lib/analytics";
import { getDb } from "@/lib/db";
import { getUserState } from "@/lib/events";
import { positionOf, readEventsAfter, START } from "@/lib/events/cursor";
import { connectEventsSession } from "@/lib/events/pg";
import { closeRedis } from "@/lib/redis";
import { api, baseUrl, freshIp, signIn, signUp } from "../helpers";
import { deviceOf, makeEvent, postEvents, waitUntil, type Sender } from "./events-helpers";
import { createTokenFor } from "./tokens-helper";
import { createVideoRow } from "./video-rows";

type Person = { id: string; handle: string; email: string; password: string; token: string };

const people: string[] = [];

async function person(): Promise<Person> {
  const account = await signUp();
  await getDb().user.update({ where: { id: account.id }, data: { role: "USER" } });
  people.push(account.id);
  return { ...account, token: await createTokenFor(account.handle) };
}

// The video rows name media files that do not exist: a later browser test must never be served them.
afterAll(async () => {
  await getDb().video.deleteMany({ where: { authorId: { in: people } } });
});

/** A ready, public 10 s video, its #hashtags linked. */
function tenSecondVideo(author: Person, caption = "ten seconds #dance"): Promise<string> {
  return createVideoRow(author.id, { caption, linkHashtags: true, data: { durationMs: 10_000 } });
}

async function analytics(token: string, videoId: string) {
  const response = await api(`/api/studio/videos/${videoId}/analytics`, { token });
  expect(response.status).toBe(200);
  return response.body;
}

describe("event ingestion", () => {
  let creator: Person;
  let videoId: string;

  beforeAll(async () => {
    creator = await person();
    videoId = await tenSecondVideo(creator);
  });

  it("stores a batch and answers 202; the same batch sent again counts once, and the feed's views come from it", async () => {
    const viewer: Sender = {};
    const batch = [
      makeEvent("impression", videoId),
      makeEvent("play", videoId),
      makeEvent("complete", videoId),
      makeEvent("progress", videoId, { watchedMs: 10_000, loops: 0 }),
    ];
    const first = await postEvents(viewer, batch);
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ accepted: 4, duplicates: 0, rejected: [] });
    expect(viewer.cookie).toMatch(/^flick_device=[0-9a-f-]{36}$/);

    // A retry after a lost answer, and the same event twice in one batch: nothing new.
    const again = await postEvents(viewer, [...batch, batch[1]]);
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ accepted: 0, duplicates: 5, rejected: [] });

    const stored = await getDb().event.findMany({ where: { id: { in: batch.map((event) => event.id) } } });
    expect(stored).toHaveLength(4);
    expect(new Set(stored.map((row) => row.deviceId))).toEqual(new Set([deviceOf(viewer)]));
    expect(stored.every((row) => row.userId === null && row.source === "FOR_YOU")).toBe(true);

    const report = await waitUntil(() => analytics(creator.token, videoId), (body) => body.totals.views >= 1);
    // Give the consumer time to (wrongly) count the resend before reading again.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const settled = await analytics(creator.token, videoId);
    expect(settled.totals).toMatchObject({ views: 1, uniqueViewers: 1, impressions: 1, completionRate: 1, avgWatchMs: 10_000 });
    expect(report.totals.views).toBe(1);

    const fan = await person();
    await api(`/api/users/${creator.handle}/follow`, { method: "PUT", token: fan.token });
    const feed = await api("/api/feed?tab=following", { token: fan.token });
    const item = feed.body.items.find((entry: { id: string }) => entry.id === videoId);
    expect(item.stats.views).toBe(1);
    expect(item.feedRequestId).toBe(feed.body.feedRequestId);
    expect(item.feedRequestId).toBe(feed.body.requestId);
    expect(item.source).toBe("following");
  });

  it("refuses malformed and implausible events with reasons and keeps the rest of the batch", async () => {
    const viewer: Sender = {};
    const privateId = await createVideoRow(creator.id, { visibility: "PRIVATE", data: { durationMs: 10_000 } });
    const batch: unknown[] = [
      makeEvent("play", videoId),
      { ...makeEvent("play", videoId), id: "not-a-uuid" },
      makeEvent("teleport" as never, videoId),
      makeEvent("progress", videoId, { watchedMs: 60_000, loops: 0 }),
      makeEvent("play", "no-such-video"),
      makeEvent("play", privateId),
      makeEvent("play", videoId, { at: new Date(Date.now() + 3_600_000).toISOString() }),
      makeEvent("play", videoId, { at: new Date(Date.now() - 3 * 86_400_000).toISOString() }),
      "a string",
      makeEvent("like", videoId),
      makeEvent("play", videoId, { source: "tv" as never }),
      makeEvent("progress", videoId, { watchedMs: 9_500, loops: 0, feedRequestId: crypto.randomUUID() }),
    ];
    const response = await postEvents(viewer, batch);
    expect(response.status).toBe(202);
    expect(response.body).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [
        { index: 1, reason: "invalid_id" },
        { index: 2, reason: "unknown_type" },
        { index: 3, reason: "implausible_watch_time" },
        { index: 4, reason: "unknown_video" },
        { index: 5, reason: "unknown_video" },
        { index: 6, reason: "timestamp_in_future" },
        { index: 7, reason: "timestamp_too_old" },
        { index: 8, reason: "not_an_object" },
        { index: 9, reason: "sign_in_required" },
        { index: 10, reason: "unknown_source" },
      ],
    });
    const kept = await getDb().event.findMany({ where: { id: { in: [batch[0], batch[11]].map((event) => (event as { id: string }).id) } } });
    expect(kept.map((row) => row.type).sort()).toEqual(["PLAY", "PROGRESS"]);
    expect(kept.find((row) => row.type === "PROGRESS")?.feedRequestId).toBe((batch[11] as { feedRequestId: string }).feedRequestId);

    // A creator who blocked a viewer: that viewer's events about the creator's videos are refused like an unseen video.
    const blocked = await person();
    expect((await api(`/api/users/${blocked.handle}/block`, { method: "POST", token: creator.token })).status).toBe(200);
    const refused = await postEvents({ token: blocked.token }, [makeEvent("play", videoId)]);
    expect(refused.body).toEqual({ accepted: 0, duplicates: 0, rejected: [{ index: 0, reason: "unknown_video" }] });

    // The batch as a whole: too many events, none at all, or not JSON.
    const tooMany = Array.from({ length: 101 }, () => makeEvent("impression", videoId));
    expect((await postEvents(viewer, tooMany)).status).toBe(422);
    expect((await postEvents(viewer, [])).status).toBe(422);
    const notJson = await api("/api/events", { method: "POST", rawBody: "{events:", headers: { "content-type": "application/json" } });
    expect(notJson.status).toBe(400);
  });
});

