// Redis goes away and comes back: the suite's own redis-server is really shut down (saving its data, as a persistent
// Redis restarting would), events keep being accepted and stored, analytics keep counting (they need only
// PostgreSQL), and once redis-server is started again the stream and each viewer's real-time state catch up with every
// event sent meanwhile. Nothing accepted is lost.
import { spawn } from "node:child_process";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { EVENT_STREAM, fromStreamEntry } from "@/lib/events";
import { userStateKey } from "@/lib/events/user-state";
import { isPortOpen, waitFor } from "../../scripts/local-services";
import { api, signUp } from "../helpers";
import { makeEvent, postEvents, waitUntil, type Sender } from "./events-helpers";
import { createTokenFor } from "./tokens-helper";
import { createVideoRow } from "./video-rows";

const redisDir = process.env.TEST_REDIS_DIR;
const redisPort = Number(new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379").port);

/** Starts redis-server again exactly as the suite did (same port, same directory: it loads what it saved). */
function startRedisAgain(): void {
  const args = ["--port", String(redisPort), "--bind", "127.0.0.1", "--dir", redisDir!, "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"];
  // Outlives this test file's process; the suite's teardown stops it by its port.
  spawn("redis-server", args, { detached: true, stdio: "ignore" }).unref();
}

/** Every event id in the stream. */
async function streamIds(redis: Redis): Promise<Set<string>> {
  const entries = (await redis.xrange(EVENT_STREAM, "-", "+")) as Array<[string, string[]]>;
  return new Set(entries.map(([entryId, fields]) => fromStreamEntry(entryId, fields)?.id ?? ""));
}

describe.skipIf(!redisDir)("a Redis outage (the suite's private Redis)", () => {
  let admin: Redis;
  let videoId: string | undefined;

  beforeAll(() => {
    admin = new Redis(process.env.REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 200 });
    admin.on("error", () => undefined);
  });

  afterAll(async () => {
    // Whatever happened, leave a Redis running for the test files after this one.
    if (!(await isPortOpen(redisPort))) startRedisAgain();
    await waitFor("redis-server", () => isPortOpen(redisPort), 15_000);
    admin.disconnect();
    // The row names media files that do not exist: a later browser test must never be served it.
    if (videoId) await getDb().video.deleteMany({ where: { id: videoId } });
  });

  it("accepts and stores events while Redis is down, and the stream and user state catch up when it returns", async () => {
    const account = await signUp();
    const token = await createTokenFor(account.handle);
    const creator = await signUp();
    videoId = await createVideoRow(creator.id, { caption: "outage #weather", linkHashtags: true, data: { durationMs: 8_000 } });
    const signedIn: Sender = { token };
    const signedOut: Sender = {};

    const before = [makeEvent("play", videoId), makeEvent("progress", videoId, { watchedMs: 8_000, loops: 0 })];
    expect((await postEvents(signedIn, before)).body.accepted).toBe(2);
    await waitUntil(() => streamIds(admin), (ids) => before.every((event) => ids.has(event.id)));

    await admin.call("SHUTDOWN", "SAVE").catch(() => undefined);
    await waitFor("redis-server to stop", async () => !(await isPortOpen(redisPort)), 15_000);

    const during = [];
    for (let round = 0; round < 5; round += 1) {
      const batch = [makeEvent("play", videoId), makeEvent("progress", videoId, { watchedMs: 4_000 + round * 100, loops: 0 })];
      const started = Date.now();
      const response = await postEvents(round % 2 === 0 ? signedIn : signedOut, batch);
      expect(response.status).toBe(202);
      expect(response.body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
      // Not held up by Redis's reconnect back-off.
      expect(Date.now() - started).toBeLessThan(2_000);
      during.push(...batch);
    }
    const duringIds = during.map((event) => event.id);
    expect(await getDb().event.count({ where: { id: { in: duringIds } } })).toBe(10);
    // Analytics need nothing but PostgreSQL: they keep counting through the outage.
    const creatorToken = await createTokenFor(creator.handle);
    await waitUntil(
      async () => (await api(`/api/studio/videos/${videoId}/analytics`, { token: creatorToken })).body.totals?.views,
      (views) => views === 6,
    );
    expect(await isPortOpen(redisPort)).toBe(false);

    startRedisAgain();
    await waitFor("redis-server", () => isPortOpen(redisPort), 15_000);
    const ids = await waitUntil(() => streamIds(admin), (current) => duringIds.every((id) => current.has(id)), 30_000, 200);
    for (const event of [...before, ...during]) expect(ids.has(event.id)).toBe(true);

    const after = [makeEvent("play", videoId)];
    expect((await postEvents(signedIn, after)).body.accepted).toBe(1);
    // The signed-in viewer's state has every one of their plays: 1 before, 3 during, 1 after.
    const state = await waitUntil(
      async () => Number(await admin.hget(userStateKey(`u:${account.id}`, "counts"), "play")),
      (plays) => plays === 5,
      30_000,
      200,
    );
    expect(state).toBe(5);
    expect(await admin.lrange(userStateKey(`u:${account.id}`, "watches"), 0, -1)).toHaveLength(4);
    expect(await getDb().event.count({ where: { videoId } })).toBe(13);
  });
});
