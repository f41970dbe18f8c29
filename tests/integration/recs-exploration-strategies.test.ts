// The exploration pools give a brand-new video its first audience from other viewers' For You, and judge it by how
// they watched; ?strategy= is honoured for admins, ignored for other viewers, and refused with 400 when unknown; the
// cohort is stable per viewer; per-cohort metrics join what was served with what viewers then did.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { markSeen } from "@/lib/feed/seen";
import { explorationState, refreshIndexes } from "@/lib/recs";
import { KEYS } from "@/lib/recs/config";
import { sampleExploration, updatePools } from "@/lib/recs/exploration";
import { getRedis } from "@/lib/redis";
import { api, freshIp } from "../helpers";
import { makeEvent, postEvents, waitUntil } from "./events-helpers";
import { deleteMade, forYou, makeVideo, person, servePrior, uniqueTag, type Page } from "./recs-helpers";
import { flick } from "./cli-helper";

beforeAll(async () => {
  await servePrior();
});

afterAll(async () => {
  await deleteMade();
});

describe("exploration traffic pools", () => {
  it("gives a brand-new video impressions from other viewers' For You, counted against its pool", async () => {
    const creator = await person();
    const video = await makeVideo(creator, `my very first upload #${uniqueTag("first")}`);
    await refreshIndexes({ slow: false });
    expect((await explorationState(video)).level).toBe("0");

    // Signed-out newcomers, one device each, open For You.
    const viewersServed = new Set<string>();
    const reasons = new Set<string>();
    for (let n = 0; n < 100 && viewersServed.size < 5; n += 1) {
      const device = crypto.randomUUID();
      const response = await api("/api/feed?tab=foryou&limit=8", { headers: { cookie: `flick_device=${device}` }, ip: freshIp() });
      expect(response.status).toBe(200);
      const item = (response.body as Page).items.find((entry) => entry.id === video);
      if (item) {
        viewersServed.add(device);
        reasons.add(item.reason);
      }
    }
    expect(viewersServed.size).toBe(5);
    expect((await explorationState(video)).impressions).toBeGreaterThanOrEqual(5);
    // The served log says which source put it there.
    await waitUntil(
      () => getDb().recServed.findMany({ where: { videoId: video }, select: { source: true, viewerKey: true } }),
      (rows) => new Set(rows.map((row) => row.viewerKey)).size >= 5,
    );
  });

  it("counts only the recommender's impressions against a pool: a baseline cohort's do not judge the video", async () => {
    const [admin, creator] = await Promise.all([person("ADMIN"), person()]);
    const video = await makeVideo(creator, `straight to the baseline #${uniqueTag("base")}`);
    await refreshIndexes({ slow: false });
    const page = await forYou(admin, "&strategy=fresh&limit=8");
    expect(page.body.items.map((item) => item.id)).toContain(video);
    // Impressions are counted off the request path: give a counted one time to land, then check none did.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await explorationState(video)).toEqual({ level: "0", impressions: 0 });
  });

  it("still fills a viewer's exploration slot after they have seen the pool's most-owed videos", async () => {
    const creator = await person();
    const tag = uniqueTag("pool");
    const fresh: string[] = [];
    for (let n = 0; n < 30; n += 1) fresh.push(await makeVideo(creator, `new clip ${n} #${tag}`));
    await refreshIndexes({ slow: false });
    // Pool 0 holds just these 30 for this test (the other files' pool videos are put back after).
    const redis = getRedis();
    const others = await redis.zrange(KEYS.pool(0), 0, -1, "WITHSCORES");
    await redis.del(KEYS.pool(0));
    await redis.zadd(KEYS.pool(0), ...fresh.flatMap((id) => [0, id]));
    try {
      // Every viewer is offered the least-served first; this one has seen 25 of them already.
      const viewer = await person();
      await markSeen(viewer.viewerKey, fresh.slice(0, 25));
      const page = await forYou(viewer, "&limit=8");
      expect(page.status).toBe(200);
      expect(page.body.items.filter((item) => fresh.slice(25).includes(item.id)).length).toBeGreaterThanOrEqual(1);
      // What serving picks from: the whole pool, not just the 20 every viewer is offered first.
      const sampled = (await sampleExploration(redis)).map((candidate) => candidate.videoId);
      for (const id of fresh) expect(sampled).toContain(id);
    } finally {
      if (others.length > 0) await redis.zadd(KEYS.pool(0), "NX", ...others.flatMap((value, index) => (index % 2 === 0 ? [others[index + 1]!, value] : [])));
    }
  });

  it("promotes a video its first viewers watched well and retires one they skipped", async () => {
    const redis = getRedis();
    const good = `explore-good-${uniqueTag("")}`;
    const bad = `explore-bad-${uniqueTag("")}`;
    const waiting = `explore-wait-${uniqueTag("")}`;
    const now = Date.now();
    for (const id of [good, bad, waiting]) await redis.multi().hset(KEYS.poolLevel, id, "0").zadd(KEYS.pool(0), 1_000, id).exec();
    // Served its whole batch, but too few finished views to judge yet: keeps being served a while.
    await redis.zadd(KEYS.pool(0), 30, waiting);
    const result = await updatePools(
      [
        { id: good, publishedMs: now, watchedViews: 20, meanWatchFraction: 0.8 },
        { id: bad, publishedMs: now, watchedViews: 20, meanWatchFraction: 0.1 },
        { id: waiting, publishedMs: now, watchedViews: 1, meanWatchFraction: 0.9 },
      ],
      0.5,
      now,
    );
    expect(result.promoted).toBeGreaterThanOrEqual(1);
    expect(result.retired).toBeGreaterThanOrEqual(1);
    expect(await redis.hget(KEYS.poolLevel, good)).toBe("1");
    expect(await redis.zscore(KEYS.pool(1), good)).toBe("0");
    expect(await redis.hget(KEYS.poolLevel, bad)).toBe("retired");
    expect(await redis.zscore(KEYS.pool(0), bad)).toBeNull();
    expect(await redis.hget(KEYS.poolLevel, waiting)).toBe("0");
    // Not listed any more (these ids are not videos): the next build drops them.
    await refreshIndexes({ slow: false });
    for (const id of [good, bad, waiting]) expect(await redis.hget(KEYS.poolLevel, id)).toBeNull();
  });
});

describe("strategies and cohorts", () => {
  it("honours ?strategy= for an admin, ignores it for a viewer, and refuses an unknown name with 400", async () => {
    const [admin, viewer, creator] = await Promise.all([person("ADMIN"), person(), person()]);
    for (let n = 0; n < 3; n += 1) await makeVideo(creator, `strategy clip ${n} #${uniqueTag("st")}`);
    await refreshIndexes({ slow: false });

    const trending = await forYou(admin, "&strategy=trending&limit=5");
    expect(trending.status).toBe(200);
    expect(trending.body).toMatchObject({ strategy: "trending", cohort: "override" });
    for (const item of trending.body.items) expect(item.reason).toBe("Popular now");
    const fresh = await forYou(admin, "&strategy=fresh&limit=5");
    expect(fresh.body.strategy).toBe("fresh");
    for (const item of fresh.body.items) expect(item.reason).toBe("Fresh on Flick");
    expect((await forYou(admin, "&strategy=random&limit=5")).body.strategy).toBe("random");

    const unknown = await forYou(admin, "&strategy=psychic");
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.message).toMatch(/Unknown strategy "psychic": use one of full, trending, random, fresh/);

    const ignored = await forYou(viewer, "&strategy=random&limit=5");
    expect(ignored.status).toBe(200);
    expect(ignored.body).toMatchObject({ strategy: "full", cohort: "main" });
    expect((await forYou(viewer, "&strategy=psychic&limit=2")).status).toBe(200);
  });

  it("keeps a viewer in one cohort and reports per-cohort metrics from what was served and watched", async () => {
    const [admin, viewer, creator] = await Promise.all([person("ADMIN"), person(), person()]);
    for (let n = 0; n < 4; n += 1) await makeVideo(creator, `metric clip ${n} #${uniqueTag("me")}`);
    await refreshIndexes({ slow: false });
    const cohorts = new Set<string>();
    const pages: Page[] = [];
    for (let n = 0; n < 3; n += 1) {
      const { body } = await forYou(viewer, "&limit=3");
      cohorts.add(body.cohort);
      pages.push(body);
    }
    expect([...cohorts]).toEqual(["main"]);

    // The viewer finishes and likes the first served item, and skips the second, reporting the feed request.
    const [watched, skipped] = pages[0]!.items;
    const feedRequestId = pages[0]!.feedRequestId;
    const sent = await postEvents({ token: viewer.token }, [
      makeEvent("play", watched!.id, { feedRequestId }),
      makeEvent("complete", watched!.id, { feedRequestId }),
      makeEvent("progress", watched!.id, { feedRequestId, watchedMs: 6000, loops: 0 }),
      makeEvent("like", watched!.id, { feedRequestId }),
      makeEvent("play", skipped!.id, { feedRequestId }),
      makeEvent("skip", skipped!.id, { feedRequestId, watchedMs: 500 }),
      makeEvent("progress", skipped!.id, { feedRequestId, watchedMs: 500, loops: 0 }),
    ]);
    expect(sent.body.accepted).toBe(7);
    // The web server writes the served log a second later, off the request path: wait for it.

    const metricsOf = async () => {
      const response = await api("/api/admin/recs/cohorts?hours=1", { token: admin.token });
      expect(response.status).toBe(200);
      return (response.body.cohorts as Array<Record<string, number | string | null>>).find((row) => row.cohort === "main" && row.strategy === "full");
    };
    // The window holds other test files' served pages too, so wait until this viewer's outcomes have joined in.
    const main = await waitUntil(
      metricsOf,
      (row) => row !== undefined && Number(row.plays) >= 2 && Number(row.impressions) >= 9 && [row.completionRate, row.likeRate, row.fastSkipRate].every((rate) => Number(rate) > 0),
    );
    expect(Number(main!.completionRate)).toBeGreaterThan(0);
    expect(Number(main!.likeRate)).toBeGreaterThan(0);
    expect(Number(main!.fastSkipRate)).toBeGreaterThan(0);
    expect(Number(main!.meanWatchFraction)).toBeGreaterThan(0);

    expect((await api("/api/admin/recs/cohorts", { token: viewer.token })).status).toBe(403);
    expect((await api("/api/admin/recs/cohorts?hours=-3", { token: admin.token })).status).toBe(422);
  });
});

describe("npm run flick -- recs:…", () => {
  it("prints per-cohort metrics, refuses a bad --hours, and rebuilds the indexes on demand", async () => {
    const viewer = await person();
    const creator = await person();
    await makeVideo(creator, `cli clip #${uniqueTag("cli")}`);
    expect((await forYou(viewer, "&limit=2")).status).toBe(200);
    const metrics = await waitUntil(
      () => flick("recs:cohorts", "--hours", "1"),
      (run) => run.code === 0 && /main \(full\): \d+ impressions/.test(run.stdout),
      30_000,
      500,
    );
    expect(metrics.stdout).toContain("For You cohorts, last 1 h");
    const bad = await flick("recs:cohorts", "--hours", "0");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--hours must be a number of hours above 0");
    const refreshed = await flick("recs:refresh");
    expect(refreshed.code).toBe(0);
    expect(refreshed.stdout).toMatch(/Indexes rebuilt in \d+ ms: \d+ videos/);
  });
});
