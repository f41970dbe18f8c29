// Viewer signals end to end against the running test instance: POST /api/events stores a batch once however often it
// is sent and refuses bad events with reasons while keeping the rest (its rate limits: rate-limits.test.ts); the
// worker turns events into each viewer's real-time state within a second and into creator analytics that match numbers
// worked out by hand; a device's history joins the account it signs in to; the aggregates can be rebuilt from the
// events; and a creator sees only their own analytics. Videos are database rows that look processed (no ffmpeg here).
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rebuildVideoAnalytics } from "@/lib/analytics";
import { getDb } from "@/lib/db";
import { EVENT_STREAM, fromStreamEntry, getUserState } from "@/lib/events";
import { positionOf, readEventsAfter, START } from "@/lib/events/cursor";
import { connectEventsSession } from "@/lib/events/pg";
import type { StreamEvent } from "@/lib/events/stream";
import { applyToUserState } from "@/lib/events/user-state";
import type { VideoFacts } from "@/lib/events/videos";
import { closeRedis, getRedis } from "@/lib/redis";
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

describe("reading events in order", () => {
  it("follows transaction ids numerically, also where they gain a digit", async () => {
    const client = await connectEventsSession();
    try {
      await client.query("BEGIN");
      // Rows as if written by transactions 8 to 100 (older than any real one), seen only inside this transaction.
      for (const txid of [100, 9, 99, 10, 8]) {
        await client.query(
          `INSERT INTO "Event" ("id", "txid", "at", "type", "source", "videoId") VALUES ($1, $2, now(), 'PLAY', 'FOR_YOU', 'order-test')`,
          [crypto.randomUUID(), txid],
        );
      }
      const first = await readEventsAfter(client, START, 3);
      expect(first.map((event) => event.txid)).toEqual(["8", "9", "10"]);
      const next = await readEventsAfter(client, positionOf(first.at(-1)!), 2);
      expect(next.map((event) => event.txid)).toEqual(["99", "100"]);
    } finally {
      await client.query("ROLLBACK");
      await client.end();
    }
  });
});

describe("real-time viewer state", () => {
  let creator: Person;

  beforeAll(async () => {
    creator = await person();
  });

  afterAll(async () => {
    await closeRedis();
  });

  it("reflects a watch, a skip and a like within a second, with decayed hashtag and creator affinities", async () => {
    const viewer = await person();
    const liked = await tenSecondVideo(creator, "loved it #cooking #pasta");
    const skipped = await tenSecondVideo(creator, "meh #golf");
    // The first events about a video pass through the consumers' caches once; measure the next ones.
    await postEvents({ token: viewer.token }, [makeEvent("impression", liked), makeEvent("impression", skipped)]);
    await waitUntil(() => getUserState(`u:${viewer.id}`), (state) => (state.counts.impression ?? 0) >= 2);

    const started = Date.now();
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    const response = await postEvents({ token: viewer.token }, [
      makeEvent("play", liked, { at: ago(21_000) }),
      makeEvent("progress", liked, { at: ago(3_000), watchedMs: 18_000, loops: 1 }),
      makeEvent("like", liked, { at: ago(2_900) }),
      makeEvent("play", skipped, { at: ago(2_000) }),
      makeEvent("progress", skipped, { at: ago(1_100), watchedMs: 900, loops: 0 }),
      makeEvent("skip", skipped, { at: ago(1_100), watchedMs: 900 }),
    ]);
    expect(response.body.accepted).toBe(6);
    const state = await waitUntil(
      () => getUserState(`u:${viewer.id}`),
      (current) => current.recentWatches.length >= 2 && current.recentLikes.length >= 1 && current.recentSkips.length >= 1,
      5_000,
      20,
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(1000);

    // Newest first: the skipped video was watched after the liked one.
    expect(state.recentWatches.map((watch) => watch.videoId)).toEqual([skipped, liked]);
    expect(state.recentWatches[0]).toMatchObject({ videoId: skipped, watchedMs: 900, loops: 0, completed: false });
    expect(state.recentWatches[1]).toMatchObject({ videoId: liked, watchedMs: 18_000, loops: 1, completed: true });
    expect(state.recentSkips).toEqual([expect.objectContaining({ videoId: skipped, watchedMs: 900 })]);
    expect(state.recentLikes).toEqual([expect.objectContaining({ videoId: liked })]);
    const tags = Object.fromEntries(state.hashtags.map((tag) => [tag.name, tag.score]));
    expect(tags.cooking).toBeGreaterThan(0);
    expect(tags.pasta).toBeCloseTo(tags.cooking!, 5);
    expect(tags.golf).toBeLessThan(0);
    expect(state.hashtags[0]!.name === "cooking" || state.hashtags[0]!.name === "pasta").toBe(true);
    expect(state.creators).toEqual([expect.objectContaining({ userId: creator.id })]);
    expect(state.counts).toMatchObject({ play: 2, progress: 2, like: 1, skip: 1 });
  });

  it("applies each event once however often the stream delivers it (a resent relay batch, a re-read one)", async () => {
    const viewer = await person();
    const video = await tenSecondVideo(creator, "again and again #encore");
    const first = [
      makeEvent("play", video),
      makeEvent("progress", video, { watchedMs: 2_000, loops: 0 }),
      makeEvent("skip", video, { watchedMs: 2_000 }),
    ];
    await postEvents({ token: viewer.token }, first);
    await waitUntil(() => getUserState(`u:${viewer.id}`), (state) => state.recentSkips.length === 1);
    const before = await getUserState(`u:${viewer.id}`);

    // The same entries a second time, as the relay sends them again after a crash between adding and moving its cursor.
    const redis = getRedis();
    const ids = new Set(first.map((event) => event.id));
    const entries = (await redis.xrevrange(EVENT_STREAM, "+", "-", "COUNT", 2_000)) as Array<[string, string[]]>;
    const copies = entries.filter(([entryId, fields]) => ids.has(fromStreamEntry(entryId, fields)?.id ?? "")).reverse();
    expect(copies).toHaveLength(3);
    for (const [, fields] of copies) await redis.xadd(EVENT_STREAM, "*", ...fields);
    // A later event is read after the copies: once it shows, they have been through the consumer.
    await postEvents({ token: viewer.token }, [makeEvent("like", video)]);
    const after = await waitUntil(() => getUserState(`u:${viewer.id}`), (state) => state.recentLikes.length === 1);

    expect(after.counts).toEqual({ play: 1, progress: 1, skip: 1, like: 1 });
    expect(after.recentWatches).toEqual(before.recentWatches);
    expect(after.recentSkips).toEqual(before.recentSkips);
    // The hashtag moved by the like's weight (2) alone: the copies of the watch and the skip added nothing.
    const encore = (state: typeof before) => state.hashtags.find((tag) => tag.name === "encore")!.score;
    expect(encore(after)).toBeCloseTo(encore(before) + 2, 3);
  });

  it("recognises a whole redelivered batch even when one viewer's share of a read is larger than the applied window", async () => {
    // After an outage one viewer can have hundreds of events in one 500-entry read; the applied set used to keep the
    // latest 256 of them (ties broken by id), so a redelivery applied the rest a second time.
    const viewer = `d:${randomUUID()}`;
    const video = await tenSecondVideo(creator, "many at once #burst");
    const facts = new Map<string, VideoFacts>([[video, { id: video, authorId: creator.id, visibility: "PUBLIC", status: "READY", moderation: "APPROVED", durationMs: 10_000, hashtags: ["burst"] }]]);
    const now = Date.now();
    const batch: StreamEvent[] = Array.from({ length: 300 }, (_, index) => ({
      entryId: `${now}-${index}`,
      id: randomUUID(),
      type: "play",
      videoId: video,
      at: now - 300 + index,
      viewer,
      userId: null,
      deviceId: viewer.slice(2),
      source: "foryou",
      feedRequestId: null,
      watchedMs: null,
      loops: null,
    }));
    await applyToUserState(getRedis(), batch, facts);
    await applyToUserState(getRedis(), batch, facts);
    expect((await getUserState(viewer)).counts).toEqual({ play: 300 });
  });

  it("merges a signed-out device's history into the account it signs in to", async () => {
    const viewer = await person();
    const video = await tenSecondVideo(creator, "street food #cooking");
    const device: Sender = {};
    await postEvents(device, [makeEvent("play", video), makeEvent("progress", video, { watchedMs: 10_000, loops: 0 }), makeEvent("complete", video)]);
    const deviceKey = `d:${deviceOf(device)}`;
    await waitUntil(() => getUserState(deviceKey), (state) => state.recentWatches.length === 1);

    const { cookie } = await signIn(viewer.email, viewer.password, freshIp(), device.cookie);
    expect(cookie).toBeTruthy();
    expect(await getDb().deviceLink.findUnique({ where: { deviceId: deviceOf(device) } })).toMatchObject({ userId: viewer.id });
    const merged = await getUserState(`u:${viewer.id}`);
    expect(merged.recentWatches).toEqual([expect.objectContaining({ videoId: video, watchedMs: 10_000 })]);
    expect(merged.hashtags.map((tag) => tag.name)).toContain("cooking");
    expect((await getUserState(deviceKey)).recentWatches).toEqual([]);
  });
});

describe("creator analytics", () => {
  let creator: Person;
  let other: Person;
  let videoId: string;
  const anonymous: Sender = {};
  let ana: Person;
  let ben: Person;

  beforeAll(async () => {
    [creator, other, ana, ben] = await Promise.all([person(), person(), person(), person()]);
    videoId = await tenSecondVideo(creator, "the fixture #dance");
    // Four views of a 10 s video, worked out by hand:
    //   ana, For You: 25 s with two loops (completed)  → ended at 10 s
    //   a signed-out device, For You: left at 4.5 s     → ended at 4 s
    //   ben, from a profile: to the end, no loop        → ended at 10 s (completed)
    //   ana again, from a shared link: left after 1.2 s → ended at 1 s (a skip)
    // Likes, comments, shares and follows themselves happen through their own APIs, before the player reports them.
    expect((await api(`/api/videos/${videoId}/like`, { method: "PUT", token: ana.token })).status).toBe(200);
    expect((await api(`/api/users/${creator.handle}/follow`, { method: "PUT", token: ben.token })).status).toBe(200);
    expect((await api(`/api/videos/${videoId}/comments`, { method: "POST", token: ben.token, body: { body: "nice" } })).status).toBe(201);
    expect((await api(`/api/videos/${videoId}/share`, { method: "POST" })).status).toBe(200);
    const at = (offsetMs: number) => new Date(Date.now() - 60_000 + offsetMs).toISOString();
    const sent = await Promise.all([
      postEvents({ token: ana.token }, [
        makeEvent("impression", videoId, { at: at(0) }),
        makeEvent("play", videoId, { at: at(100) }),
        makeEvent("complete", videoId, { at: at(10_100) }),
        makeEvent("progress", videoId, { at: at(25_100), watchedMs: 25_000, loops: 2 }),
        makeEvent("play", videoId, { at: at(40_000), source: "link" }),
        makeEvent("progress", videoId, { at: at(41_200), source: "link", watchedMs: 1_200, loops: 0 }),
        makeEvent("skip", videoId, { at: at(41_200), source: "link", watchedMs: 1_200 }),
      ]),
      postEvents(anonymous, [
        makeEvent("impression", videoId, { at: at(0) }),
        makeEvent("play", videoId, { at: at(50) }),
        makeEvent("progress", videoId, { at: at(4_550), watchedMs: 4_500, loops: 0 }),
      ]),
      postEvents({ token: ben.token }, [
        makeEvent("impression", videoId, { at: at(0), source: "profile" }),
        makeEvent("play", videoId, { at: at(10), source: "profile" }),
        makeEvent("complete", videoId, { at: at(10_010), source: "profile" }),
        makeEvent("progress", videoId, { at: at(10_010), source: "profile", watchedMs: 10_000, loops: 0 }),
        makeEvent("follow", videoId, { at: at(11_000), source: "profile" }),
        makeEvent("follow", videoId, { at: at(12_000), source: "profile" }),
      ]),
      // Claims to follow from the video without following: counted as a signal, never as a follow gained.
      postEvents({ token: other.token }, [makeEvent("follow", videoId, { at: at(0) })]),
    ]);
    for (const response of sent) expect(response.status).toBe(202);
    await waitUntil(() => analytics(creator.token, videoId), (body) => body.totals.views === 4 && body.totals.follows === 1);
  });

  it("match hand-computed retention, completion, watch time and source split", async () => {
    const report = await analytics(creator.token, videoId);
    expect(report.totals).toEqual({
      impressions: 3,
      views: 4,
      uniqueViewers: 3,
      watchMs: 40_700,
      avgWatchMs: 10_175,
      completionRate: 0.5,
      skipRate: 0.25,
      replays: 2,
      likes: 1,
      comments: 1,
      shares: 1,
      follows: 1,
    });
    expect(report.retention.map((point: { share: number }) => point.share)).toEqual([1, 1, 0.75, 0.75, 0.75, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(report.sources).toEqual([
      { source: "foryou", views: 2, share: 0.5 },
      { source: "profile", views: 1, share: 0.25 },
      { source: "link", views: 1, share: 0.25 },
    ]);
    const today = new Date().toISOString().slice(0, 10);
    expect(report.range.to).toBe(today);
    expect(report.daily).toHaveLength(28);
    expect(report.daily.at(-1)).toEqual({
      day: today,
      impressions: 3,
      views: 4,
      uniqueViewers: 3,
      watchMs: 40_700,
      completions: 2,
      skips: 1,
      replays: 2,
      likes: 1,
      comments: 1,
      shares: 1,
      follows: 1,
    });
    expect(report.video).toMatchObject({ id: videoId, status: "ready", duration: 10 });
  });

  it("exports the daily stats as CSV", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const response = await fetch(`${baseUrl()}/api/studio/videos/${videoId}/daily.csv?from=${today}&to=${today}`, {
      headers: { authorization: `Bearer ${creator.token}`, "x-forwarded-for": freshIp() },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    expect(response.headers.get("content-disposition")).toContain(`flick-${videoId}-${today}-${today}.csv`);
    expect((await response.text()).split("\r\n")).toEqual([
      "day,impressions,views,unique_viewers,watch_time_seconds,completions,skips,replays,likes,comments,shares,follows",
      `${today},3,4,3,40.7,2,1,2,1,1,1,1`,
      "",
    ]);
  });

  it("the studio overview adds the account's videos up and shows follower growth", async () => {
    const overview = await api("/api/studio/overview", { token: creator.token });
    expect(overview.status).toBe(200);
    expect(overview.body.totals).toMatchObject({ followers: 1, followersGained: 1, views: 4, watchMs: 40_700, likes: 1, videos: 1 });
    expect(overview.body.followerGrowth.at(-1)).toMatchObject({ gained: 1, total: 1 });
    expect(overview.body.videos).toEqual([{ id: videoId, views: 4, uniqueViewers: 3, avgWatchMs: 10_175, completionRate: 0.5 }]);
    const page = await fetch(`${baseUrl()}/studio`, { headers: { cookie: (await signIn(creator.email, creator.password)).cookie!, "x-forwarded-for": freshIp() } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-testid="studio-overview"');
  });

  it("a creator cannot read another creator's analytics", async () => {
    const forbidden = await api(`/api/studio/videos/${videoId}/analytics`, { token: other.token });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe("forbidden");
    expect((await api(`/api/studio/videos/${videoId}/daily.csv`, { token: other.token })).status).toBe(403);
    expect((await api(`/api/studio/videos/${videoId}/analytics`)).status).toBe(401);
    const hidden = await createVideoRow(creator.id, { visibility: "PRIVATE" });
    expect((await api(`/api/studio/videos/${hidden}/analytics`, { token: other.token })).status).toBe(404);
    expect((await api(`/api/studio/videos/${hidden}/analytics`, { token: creator.token })).status).toBe(200);
    // Their own overview has none of this video's numbers.
    const theirs = await api("/api/studio/overview", { token: other.token });
    expect(theirs.body.totals).toMatchObject({ views: 0, videos: 0 });
    expect(theirs.body.videos).toEqual([]);
    // The page says "not found" to anyone but the creator.
    const otherCookie = (await signIn(other.email, other.password)).cookie!;
    const page = await fetch(`${baseUrl()}/studio/${videoId}`, { headers: { cookie: otherCookie, "x-forwarded-for": freshIp() } });
    expect(page.status).toBe(404);
    const ownCookie = (await signIn(creator.email, creator.password)).cookie!;
    const own = await fetch(`${baseUrl()}/studio/${videoId}`, { headers: { cookie: ownCookie, "x-forwarded-for": freshIp() } });
    expect(own.status).toBe(200);
    expect(await own.text()).toContain('data-testid="video-analytics"');
  });

  it("refuses ranges that are not days, run backwards or span over a year", async () => {
    for (const query of ["from=yesterday", "from=2026-02-30", "from=2026-05-02&to=2026-05-01", "from=2020-01-01&to=2026-01-01"]) {
      const response = await api(`/api/studio/videos/${videoId}/analytics?${query}`, { token: creator.token });
      expect(response.status).toBe(422);
    }
  });

  it("rebuilds the aggregates from the events table to the same numbers", async () => {
    const before = await analytics(creator.token, videoId);
    // Damage every aggregate of the video, as a bug in the fold would.
    await getDb().videoDailyStats.updateMany({ where: { videoId }, data: { views: 999, watchMs: 1 } });
    await getDb().videoRetention.deleteMany({ where: { videoId } });
    await getDb().videoViewer.deleteMany({ where: { videoId } });
    expect((await analytics(creator.token, videoId)).totals.views).toBe(999);
    const rebuilt = await rebuildVideoAnalytics([videoId]);
    expect(rebuilt.events).toBe(17);
    const after = await analytics(creator.token, videoId);
    expect(after.totals).toEqual(before.totals);
    expect(after.retention).toEqual(before.retention);
    expect(after.sources).toEqual(before.sources);

    // The same from the admin CLI, as a self-hoster would run it.
    await getDb().videoDailyStats.updateMany({ where: { videoId }, data: { views: 0 } });
    const cli = spawnSync(process.execPath, ["--import", "tsx", "scripts/flick.ts", "analytics:rebuild", "--video", videoId], { encoding: "utf8", env: process.env });
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain(`Rebuilt the analytics of video ${videoId} from 17 events.`);
    expect((await analytics(creator.token, videoId)).totals).toEqual(before.totals);
  });
});
