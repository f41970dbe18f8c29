// For You as the recommender serves it, against the running test instance: a liked hashtag rises on the very next
// page with its reason; a change of interest within a session leads the next page; seen videos never repeat; private, hidden and removed videos, blocked and muted authors and
// "not interested" never appear even when they sit in the viewer's stored candidates; candidates carry their sources
// (following, hashtag, co-engagement, trending); the feed still answers with empty Redis indexes; "Refresh your For
// You" clears what was learned. The index build the worker runs every 30 s is called directly here.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db";
import { getUserState } from "@/lib/events";
import { REC_SOURCES } from "@/lib/recs/types";
import { readStoredCandidates, refreshCandidates, refreshIndexes, refreshIndexesIfDue } from "@/lib/recs";
import { KEYS, SERVING } from "@/lib/recs/config";
import { forgetSignals, readSignals } from "@/lib/recs/signals";
import { getRedis } from "@/lib/redis";
import { api } from "../helpers";
import { makeEvent, postEvents, waitUntil } from "./events-helpers";
import { deleteMade, forYou, makeVideo, person, servePrior, uniqueTag, wholeFeed, type Person } from "./recs-helpers";

beforeAll(async () => {
  await servePrior();
});

afterAll(async () => {
  await deleteMade();
});

/** Watches a video to the end and likes it, as the player and the like button report it. */
async function watchAndLike(who: Person, videoId: string, like = true) {
  const events = [makeEvent("play", videoId), makeEvent("complete", videoId), makeEvent("progress", videoId, { watchedMs: 6000, loops: 0 })];
  if (like) events.push(makeEvent("like", videoId));
  const response = await postEvents({ token: who.token }, events);
  expect(response.status).toBe(202);
  expect(response.body.accepted).toBe(events.length);
}

/** The player's events for a video finished at `at` (ISO time). */
const finishedAt = (videoId: string, at: string) => [
  makeEvent("play", videoId, { at }),
  makeEvent("complete", videoId, { at }),
  makeEvent("progress", videoId, { at, watchedMs: 6000, loops: 0 }),
];
/** The player's events for a video swiped away after 0.3 s at `at` (ISO time). */
const skippedAt = (videoId: string, at: string) => [
  makeEvent("play", videoId, { at }),
  makeEvent("skip", videoId, { at, watchedMs: 300 }),
  makeEvent("progress", videoId, { at, watchedMs: 300, loops: 0 }),
];

describe("a liked hashtag rises on the next page", () => {
  const cooking = uniqueTag("cook");
  const cars = uniqueTag("cars");
  const cookingIds: string[] = [];
  let viewer: Person;

  beforeAll(async () => {
    viewer = await person();
    const creators = await Promise.all([person(), person(), person(), person()]);
    for (const [index, creator] of creators.entries()) {
      for (let n = 0; n < 3; n += 1) cookingIds.push(await makeVideo(creator, `dinner ${index}.${n} #${cooking}`));
      for (let n = 0; n < 5; n += 1) await makeVideo(creator, `engine ${index}.${n} #${cars}`);
    }
    await refreshIndexes({ slow: false });
  });

  it("puts the hashtag the viewer just liked and finished at the top of the next page, saying why", async () => {
    const first = await forYou(viewer, "&limit=4");
    expect(first.status).toBe(200);
    expect(first.body.strategy).toBe("full");
    const served = new Set(first.body.items.map((item) => item.id));
    // Two cooking videos watched to the end and liked (whether or not the first page served them).
    const liked = cookingIds.filter((id) => !served.has(id)).slice(0, 2);
    for (const id of liked) await watchAndLike(viewer, id);
    await waitUntil(() => getUserState(viewer.viewerKey), (state) => state.hashtags[0]?.name === cooking);

    const next = await forYou(viewer, "&limit=8");
    expect(next.status).toBe(200);
    // Still a new viewer's short page; the re-ranker spaces out one hashtag, so another video may sit second.
    const top = next.body.items.slice(0, 3);
    expect(top).toHaveLength(3);
    const pageSays = JSON.stringify(next.body.items.map((entry) => [entry.hashtags, entry.reason]));
    expect(top[0]!.hashtags, pageSays).toContain(cooking);
    expect(top[0]!.reason).toBe(`Because you watched #${cooking}`);
    expect(top.filter((item) => item.hashtags.includes(cooking)).length, pageSays).toBeGreaterThanOrEqual(2);
    for (const item of top.filter((entry) => entry.hashtags.includes(cooking))) expect(item.reason).toBe(`Because you watched #${cooking}`);
  });
});

describe("the feed follows a change of interest", () => {
  const cooking = uniqueTag("cook");
  const cars = uniqueTag("cars");
  const cookingIds: string[] = [];
  const carIds: string[] = [];
  let viewer: Person;

  beforeAll(async () => {
    viewer = await person();
    const creators = await Promise.all([person(), person(), person(), person()]);
    for (const [index, creator] of creators.entries()) {
      for (let n = 0; n < 5; n += 1) cookingIds.push(await makeVideo(creator, `stew ${index}.${n} #${cooking}`));
      for (let n = 0; n < 2; n += 1) carIds.push(await makeVideo(creator, `race ${index}.${n} #${cars}`));
    }
    await refreshIndexes({ slow: false });
  });

  it("after a few skips of what they loved and a few finished videos of something else, the next page leads with the new interest", async () => {
    const at = (second: number) => new Date(Date.now() - 120_000 + second * 1_000).toISOString();
    const events = [
      // Earlier: six #cooking videos finished and liked.
      ...cookingIds.slice(0, 6).flatMap((id, i) => [...finishedAt(id, at(i)), makeEvent("like", id, { at: at(i) })]),
      // Then four #cooking videos swiped away at once…
      ...cookingIds.slice(6, 10).flatMap((id, i) => skippedAt(id, at(20 + i))),
      // …and three #cars videos watched to the end.
      ...carIds.slice(0, 3).flatMap((id, i) => finishedAt(id, at(30 + i))),
    ];
    const response = await postEvents({ token: viewer.token }, events);
    expect(response.status).toBe(202);
    // The days-long affinities still say #cooking: only the session says the viewer has moved on.
    const state = await waitUntil(() => getUserState(viewer.viewerKey), (current) => current.recentWatches.length === 13);
    expect(state.hashtags[0]!.name).toBe(cooking);

    const next = await forYou(viewer, "&limit=8");
    expect(next.status).toBe(200);
    const tagsOf = (item: (typeof next.body.items)[number]) => (item.hashtags.includes(cars) ? "cars" : item.hashtags.includes(cooking) ? "cooking" : "other");
    const order = next.body.items.map(tagsOf);
    expect(order[0]).toBe("cars");
    expect(next.body.items[0]!.reason).toBe(`Because you watched #${cars}`);
    // The #cars videos left fill most of the page and #cooking (still the days-long favourite) is well behind: the
    // re-ranker spaces out one hashtag with others and one slot goes to a fresh video, so a #cooking one may sit
    // between them.
    expect(order.filter((tag) => tag === "cars").length).toBeGreaterThanOrEqual(carIds.length - 4);
    expect(order.filter((tag) => tag === "cooking").length).toBeLessThanOrEqual(3);
    expect(order.slice(0, 4).filter((tag) => tag === "cars").length).toBeGreaterThanOrEqual(3);
  });
});

describe("page size follows how sure the recommender is of the viewer", () => {
  const topic = uniqueTag("size");
  const ids: string[] = [];

  beforeAll(async () => {
    const creators = await Promise.all([person(), person(), person(), person()]);
    for (const [index, creator] of creators.entries()) for (let n = 0; n < 8; n += 1) ids.push(await makeVideo(creator, `clip ${index}.${n} #${topic}`));
    await refreshIndexes({ slow: false });
  });

  it("a new viewer gets short pages, full pages once they have watched a page's worth, short again when they skip through one", async () => {
    const viewer = await person();
    const asked = "&limit=8";
    const first = await forYou(viewer, asked);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(SERVING.shortPage);
    expect(first.body.cursor).not.toBeNull();
    // Asking for a short page anyway is honoured as asked.
    expect((await forYou(viewer, "&limit=3")).body.items).toHaveLength(3);

    const at = (second: number) => new Date(Date.now() - 60_000 + second * 1_000).toISOString();
    const finished = ids.slice(0, SERVING.shortPageBelowViews).flatMap((id, i) => finishedAt(id, at(i)));
    expect((await postEvents({ token: viewer.token }, finished)).status).toBe(202);
    await waitUntil(() => getUserState(viewer.viewerKey), (state) => state.recentWatches.length === SERVING.shortPageBelowViews);
    expect((await forYou(viewer, asked)).body.items).toHaveLength(8);

    // Three of the next four swiped away at once: the page is missing, so the next one is short and comes back sooner.
    const next = ids.slice(SERVING.shortPageBelowViews, SERVING.shortPageBelowViews + 4);
    const skipped = next.flatMap((id, i) => (i === 1 ? finishedAt(id, at(20 + i)) : skippedAt(id, at(20 + i))));
    expect((await postEvents({ token: viewer.token }, skipped)).status).toBe(202);
    await waitUntil(() => getUserState(viewer.viewerKey), (state) => state.recentSkips.length === 3 && state.recentWatches.length === SERVING.shortPageBelowViews + 4);
    const short = await forYou(viewer, asked);
    expect(short.body.items).toHaveLength(SERVING.shortPage);
    expect(short.body.cursor).not.toBeNull();

    // Four finished views later the feed has found them again: full pages.
    const good = ids.slice(SERVING.shortPageBelowViews + 4, SERVING.shortPageBelowViews + 8).flatMap((id, i) => finishedAt(id, at(30 + i)));
    expect((await postEvents({ token: viewer.token }, good)).status).toBe(202);
    await waitUntil(() => getUserState(viewer.viewerKey), (state) => state.recentWatches.length === SERVING.shortPageBelowViews + 8);
    expect((await forYou(viewer, asked)).body.items).toHaveLength(8);
  });
});

describe("what For You never shows", () => {
  let viewer: Person;
  let blockedByViewer: Person;
  let blockingViewer: Person;
  let muted: Person;
  let creator: Person;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    [viewer, blockedByViewer, blockingViewer, muted, creator] = await Promise.all([person(), person(), person(), person(), person()]);
    const tag = uniqueTag("safe");
    ids.private = await makeVideo(creator, `soon private #${tag}`);
    ids.hidden = await makeVideo(creator, `soon hidden #${tag}`);
    ids.removed = await makeVideo(creator, `soon removed #${tag}`);
    ids.notInterested = await makeVideo(creator, `not for me #${tag}`);
    ids.blocked = await makeVideo(blockedByViewer, `from someone blocked #${tag}`);
    ids.blocking = await makeVideo(blockingViewer, `from someone who blocks #${tag}`);
    ids.muted = await makeVideo(muted, `from someone muted #${tag}`);
    ids.fine = await makeVideo(creator, `nothing wrong #${tag}`);
    await refreshIndexes({ slow: false });
    // The viewer's stored candidates hold all of them before anything changes.
    await refreshCandidates(viewer.viewerKey);
    const stored = await readStoredCandidates(viewer.viewerKey);
    const storedIds = new Set(stored?.items.map((item) => item.videoId));
    for (const id of Object.values(ids)) expect(storedIds.has(id)).toBe(true);
  });

  it("leaves out videos made private, hidden or removed, blocked and muted authors, and not-interested videos at once", async () => {
    await getDb().video.update({ where: { id: ids.private }, data: { visibility: "PRIVATE" } });
    await getDb().video.update({ where: { id: ids.hidden }, data: { moderation: "HIDDEN" } });
    await getDb().video.update({ where: { id: ids.removed }, data: { moderation: "REMOVED" } });
    expect((await api(`/api/users/${blockedByViewer.handle}/block`, { method: "POST", token: viewer.token })).status).toBe(200);
    expect((await api(`/api/users/${viewer.handle}/block`, { method: "POST", token: blockingViewer.token })).status).toBe(200);
    expect((await api(`/api/users/${muted.handle}/mute`, { method: "POST", token: viewer.token })).status).toBe(200);
    expect((await api(`/api/videos/${ids.notInterested}/not-interested`, { method: "POST", token: viewer.token })).status).toBeLessThan(300);

    const served = await wholeFeed(viewer);
    expect(served).toContain(ids.fine);
    for (const key of ["private", "hidden", "removed", "notInterested", "blocked", "blocking", "muted"]) expect(served).not.toContain(ids[key]);
    // And never twice.
    expect(new Set(served).size).toBe(served.length);
  });
});

describe("seen videos never repeat", () => {
  it("serves each video once across many small pages, while the viewer's taste changes in between", async () => {
    const viewer = await person();
    const creator = await person();
    const tag = uniqueTag("many");
    const mine: string[] = [];
    for (let n = 0; n < 24; n += 1) mine.push(await makeVideo(creator, `clip ${n} #${tag}`));
    await refreshIndexes({ slow: false });
    const served: string[] = [];
    for (let page = 0; page < 40; page += 1) {
      const { status, body } = await forYou(viewer, "&limit=3");
      expect(status).toBe(200);
      served.push(...body.items.map((item) => item.id));
      if (page === 3) {
        await watchAndLike(viewer, body.items[0]!.id);
        await refreshCandidates(viewer.viewerKey);
      }
      if (!body.cursor) break;
    }
    expect(new Set(served).size).toBe(served.length);
    expect(served).toEqual(expect.arrayContaining(mine));
  });
});

describe("seen videos never repeat, from a stored list built before they were served", () => {
  it("checks a stored list's videos against what was served since its seen set was read, with the worker's clock a little ahead", async () => {
    const viewer = await person();
    const creator = await person();
    const tag = uniqueTag("since");
    const mine: string[] = [];
    for (let n = 0; n < 12; n += 1) mine.push(await makeVideo(creator, `since ${n} #${tag}`));
    await refreshIndexes({ slow: false });
    await refreshCandidates(viewer.viewerKey);
    const key = KEYS.candidates(viewer.viewerKey);
    const list = JSON.parse((await getRedis().get(key))!) as { seenAt: number; items: unknown[] };
    expect(list.items.length).toBeGreaterThan(0);
    const first = await forYou(viewer, "&limit=3");
    const servedFirst = first.body.items.map((item) => item.id);
    expect(servedFirst.length).toBeGreaterThan(0);
    // The list still holds what that page served; its seen set was read (by the worker's clock, 30 s ahead of the
    // web's) before then.
    list.seenAt = Date.now() + 30_000;
    await getRedis().set(key, JSON.stringify(list), "KEEPTTL");
    const rest = await wholeFeed(viewer);
    expect(rest.length).toBeGreaterThan(0);
    for (const id of servedFirst) expect(rest).not.toContain(id);
  });
});

describe("stored candidates", () => {
  it("come tagged with their sources: following, hashtag, co-engagement and trending", async () => {
    const [a, b, viewer, followed, creatorOne, creatorTwo] = await Promise.all([person(), person(), person(), person(), person(), person()]);
    const first = await makeVideo(creatorOne, `first #${uniqueTag("one")}`);
    const second = await makeVideo(creatorTwo, `second #${uniqueTag("two")}`);
    const followedVideo = await makeVideo(followed, `from a followed account #${uniqueTag("fol")}`);
    // Two viewers finished both videos: they become neighbours.
    for (const who of [a, b]) for (const id of [first, second]) await watchAndLike(who, id, false);
    expect((await api(`/api/users/${followed.handle}/follow`, { method: "PUT", token: viewer.token })).status).toBe(200);
    await watchAndLike(viewer, first);
    await waitUntil(() => getUserState(viewer.viewerKey), (state) => state.recentLikes.some((like) => like.videoId === first));
    const report = await refreshIndexes({ slow: true });
    expect(report.coengagement).toBeGreaterThan(0);

    const result = await refreshCandidates(viewer.viewerKey);
    expect(result.count).toBeGreaterThan(0);
    expect(Object.keys(result.bySource)).toEqual(expect.arrayContaining(["following", "coengagement", "trending"]));
    const stored = (await readStoredCandidates(viewer.viewerKey))!;
    expect(Date.now() - stored.at).toBeLessThan(60_000);
    for (const item of stored.items) expect(REC_SOURCES).toContain(item.source);
    expect(stored.items.find((item) => item.videoId === followedVideo)?.source).toBe("following");
    const neighbour = stored.items.find((item) => item.videoId === second);
    expect(neighbour).toMatchObject({ source: "coengagement", signal: first });

    // The page says why: the neighbour of a liked video.
    const items = (await wholeFeed(viewer)).length;
    expect(items).toBeGreaterThan(0);
  });

  it("are rebuilt after a handful of a viewer's events, but events from hours ago (a backlog after an outage) make no one active", async () => {
    const [now, earlier, creator] = await Promise.all([person(), person(), person()]);
    const videos = [await makeVideo(creator, `one #${uniqueTag("act")}`), await makeVideo(creator, `two #${uniqueTag("act")}`)];
    await refreshIndexes({ slow: false });
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000).toISOString();
    const sentAt = Date.now();
    await postEvents({ token: earlier.token }, videos.flatMap((id) => finishedAt(id, twoHoursAgo)));
    await postEvents({ token: now.token }, videos.flatMap((id) => finishedAt(id, new Date().toISOString())));

    // Six events from the viewer of this moment: active (as of their last event) and their list rebuilt by the worker.
    const stored = await waitUntil(() => readStoredCandidates(now.viewerKey), (list) => list !== null, 20_000);
    expect(stored!.items.length).toBeGreaterThan(0);
    expect(Number(await getRedis().zscore(KEYS.active, now.viewerKey))).toBeGreaterThanOrEqual(sentAt - 1_000);
    // The same six, two hours old: the worker applied them to the viewer's state, and nothing else.
    await waitUntil(() => getUserState(earlier.viewerKey), (state) => state.recentWatches.length === 2);
    expect(await getRedis().zscore(KEYS.active, earlier.viewerKey)).toBeNull();
    expect(await getRedis().hget(KEYS.pendingEvents, earlier.viewerKey)).toBeNull();
    expect(await readStoredCandidates(earlier.viewerKey)).toBeNull();
  });

  it("the feed still answers, with new videos, when Redis holds no indexes and no stored candidates", async () => {
    const viewer = await person();
    const creator = await person();
    const brandNew = await makeVideo(creator, `made after the indexes went #${uniqueTag("new")}`);
    const redis = getRedis();
    const keys = await redis.keys(`${KEYS.trending}*`);
    await redis.del(KEYS.trending, KEYS.signals, KEYS.newcomer, KEYS.candidates(viewer.viewerKey), ...keys);
    const { status, body } = await forYou(viewer, "&limit=30");
    expect(status).toBe(200);
    expect(body.items.length).toBeGreaterThan(0);
    const served = [...body.items.map((item) => item.id), ...(await wholeFeed(viewer))];
    expect(served).toContain(brandNew);
    await refreshIndexes({ slow: false });
  });
});

describe("the scheduled index build", () => {
  it("records its duration and skips while the last build is younger than twice that, so a large catalogue's builds do not run back to back", async () => {
    const redis = getRedis();
    const report = await refreshIndexes({ slow: false });
    const buildMs = Number(await redis.hget(KEYS.meta, "buildMs"));
    expect(buildMs).toBeGreaterThanOrEqual(0);
    expect(buildMs).toBeLessThanOrEqual(report.ms);
    try {
      // As if the last build had taken a minute and begun a second ago: not due.
      await redis.hset(KEYS.meta, "builtAt", String(Date.now() - 1_000), "buildMs", "60000");
      expect(await refreshIndexesIfDue()).toBeNull();
      // …and begun two minutes ago: due, and it builds.
      await redis.hset(KEYS.meta, "builtAt", String(Date.now() - 120_000));
      const built = await refreshIndexesIfDue();
      expect(built?.videos).toBeGreaterThan(0);
      expect(Number(await redis.hget(KEYS.meta, "builtAt"))).toBeGreaterThan(Date.now() - 60_000);
    } finally {
      await refreshIndexes({ slow: false }); // the real duration again, so the worker's schedule is not held up
    }
  });
});

describe("stale caches", () => {
  it("a new viewer's first page is full even when the indexes still list many videos deleted since they were built", async () => {
    const creator = await person();
    const doomed: string[] = [];
    for (let n = 0; n < 45; n += 1) doomed.push(await makeVideo(creator, `short-lived ${n} #${uniqueTag("gone")}`));
    const survivors = [await makeVideo(creator, `still here 1`), await makeVideo(creator, `still here 2`)];
    await refreshIndexes({ slow: false });
    await getDb().video.deleteMany({ where: { id: { in: doomed } } });
    const viewer = await person();
    const { status, body } = await forYou(viewer, "&limit=8");
    expect(status).toBe(200);
    expect(body.items.length).toBe(SERVING.shortPage); // a new viewer's pages are short (see "page size" above)
    for (const item of body.items) expect(doomed).not.toContain(item.id);
    expect(body.cursor).not.toBeNull();
    // The rest of the feed still reaches the survivors.
    const rest = await wholeFeed(viewer);
    expect([...body.items.map((item) => item.id), ...rest]).toEqual(expect.arrayContaining(survivors));
  });
});

describe("the signals each process decodes and keeps until a build changes them", () => {
  it("are read again once a build changed them, a build writes only what changed, and a video serving found gone is forgotten at once", async () => {
    const creator = await person();
    const tag = uniqueTag("sig");
    const [kept, gone, other] = [await makeVideo(creator, `kept #${tag}`), await makeVideo(creator, `gone #${tag}`), await makeVideo(creator, `other #${tag}`)];
    await refreshIndexes({ slow: false });
    const first = await readSignals([kept, gone, other]);
    expect(first.get(kept)?.hashtags).toEqual([tag]);
    expect(first.get(gone)?.authorId).toBe(creator.id);
    expect(first.get(kept)?.stats.likes).toBe(0);

    // A like on one video: the next build writes that video's signals alone, and this process reads them again. (The
    // test instance's worker builds on its own schedule too, and a build that follows another process's is written
    // whole; a like and a build are tried again in that rare case.)
    const redis = getRedis();
    const olderVersion = await redis.hget(KEYS.meta, "signalsVersion");
    let likes = 0;
    let report: Awaited<ReturnType<typeof refreshIndexes>>;
    do {
      const fan = await person();
      expect((await api(`/api/videos/${kept}/like`, { method: "PUT", token: fan.token })).status).toBe(200);
      likes += 1;
      report = await refreshIndexes({ slow: false });
    } while (report.signals.whole && likes < 3);
    expect(report.signals.whole).toBe(false);
    // Only what changed was written: the liked video (and any whose folded stats moved meanwhile), not the other two.
    const [latest] = await redis.xrevrange(KEYS.signalsChanges, "+", "-", "COUNT", 1);
    const [field, ids] = latest![1];
    expect(field).toBe("ids");
    expect(ids!.split(",")).toContain(kept);
    expect(ids!.split(",")).not.toContain(other);
    expect(report.signals.written).toBe(ids!.split(",").length);
    expect((await readSignals([kept, other])).get(kept)?.stats.likes).toBe(likes);
    // A request that asked for the version before that build, answered after another caught up with it, still gets
    // the decoded entries (it does not empty this process's cache): a hand-written entry in Redis is not read.
    const written = (await redis.hget(KEYS.signals, other))!;
    await redis.hset(KEYS.signals, other, JSON.stringify({ ...(JSON.parse(written) as object), h: ["hand-written"] }));
    try {
      expect((await readSignals([other], olderVersion)).get(other)?.hashtags).toEqual([tag]);
    } finally {
      await redis.hset(KEYS.signals, other, written);
    }

    // Decoded signals are shared between requests, but a video's age moves on: read two hours later, it is two hours older.
    const now = Date.now();
    const before = (await readSignals([kept])).get(kept)!.ageHours;
    vi.useFakeTimers({ toFake: ["Date"], now: now + 2 * 3_600_000 });
    try {
      expect((await readSignals([kept])).get(kept)!.ageHours).toBeCloseTo(before + 2, 1);
    } finally {
      vi.useRealTimers();
    }

    await forgetSignals([gone]);
    expect((await readSignals([kept, gone])).has(gone)).toBe(false);

    // Forgotten while still listed (made public again since serving found it private, say): the next build writes it
    // back, though nothing about it changed since the build before. (Tried again if a build of the worker's came
    // between, which makes ours whole.)
    let builds = 0;
    do {
      await forgetSignals([gone]);
      report = await refreshIndexes({ slow: false });
      builds += 1;
    } while (report.signals.whole && builds < 3);
    expect(report.signals.whole).toBe(false);
    expect(await redis.hexists(KEYS.signals, gone)).toBe(1);
    expect((await readSignals([gone])).get(gone)?.authorId).toBe(creator.id);
  });

  it("an index build after this process's last reads from PostgreSQL only the videos that changed: an edit, a new video, one made private, one watched", async () => {
    const creator = await person();
    const edited = await makeVideo(creator, `before #${uniqueTag("old")}`);
    const hidden = await makeVideo(creator, `hidden #${uniqueTag("hid")}`);
    const untouched = [];
    // Last changed an hour ago (a build re-reads the last minute's changes anyway, in case a transaction committed late).
    const anHourAgo = new Date(Date.now() - 3_600_000);
    const anHourOld = (caption: string) => makeVideo(creator, caption, { publishedAt: anHourAgo, data: { createdAt: anHourAgo, updatedAt: anHourAgo } });
    for (let index = 0; index < 5; index += 1) untouched.push(await anHourOld(`untouched #${uniqueTag("same")}`));
    const watched = await anHourOld(`watched #${uniqueTag("seen")}`);
    await refreshIndexes({ slow: false });
    const trendingBefore = Number(await getRedis().zscore(KEYS.trending, watched));
    expect(trendingBefore).toBeGreaterThan(0); // the test database holds fewer videos than trending keeps
    // Plays of a video that is not edited: what tells the build is the analytics fold having counted them.
    const watcher = await person();
    await watchAndLike(watcher, watched, false);
    await waitUntil(
      () => getDb().videoDailyStats.findMany({ where: { videoId: watched } }),
      (rows) => rows.some((row) => row.completions > 0),
    );
    // The test instance's worker builds on its own schedule too; a build that follows another process's reads and
    // writes whole, so the changes and the build are tried again in that rare case.
    let report: Awaited<ReturnType<typeof refreshIndexes>>;
    let tag: string;
    let added: string;
    let attempts = 0;
    do {
      tag = uniqueTag("new");
      expect((await api(`/api/videos/${edited}`, { method: "PATCH", token: creator.token, body: { caption: `after #${tag}` } })).status).toBe(200);
      added = await makeVideo(creator, `added #${tag}`);
      if (attempts === 0) expect((await api(`/api/videos/${hidden}`, { method: "PATCH", token: creator.token, body: { visibility: "private" } })).status).toBe(200);
      attempts += 1;
      report = await refreshIndexes({ slow: false });
    } while (report.signals.whole && attempts < 3);
    expect(report.signals.whole).toBe(false);
    // Read again: the edited video and the new one (and whatever else the fold or other tests changed meanwhile), not
    // every listed video: never the five nobody touched.
    expect(report.signals.read).toBeGreaterThanOrEqual(2);
    expect(report.signals.read).toBeLessThanOrEqual(report.videos - untouched.length);
    const signals = await readSignals([edited, added, hidden, ...untouched]);
    for (const id of untouched) expect(signals.get(id)?.authorId).toBe(creator.id);
    expect((await readSignals([watched])).get(watched)?.stats.completes).toBe(1);
    // Its trending score counts the finished view (read again for that video alone).
    expect(Number(await getRedis().zscore(KEYS.trending, watched))).toBeGreaterThan(trendingBefore);
    expect(signals.get(edited)?.hashtags).toEqual([tag]);
    expect(signals.get(added)?.hashtags).toEqual([tag]);
    expect(signals.has(hidden)).toBe(false);
  });
});

describe("Refresh your For You", () => {
  it("clears the seen set, the learned real-time state and the stored candidates", async () => {
    const viewer = await person();
    const creator = await person();
    const tag = uniqueTag("reset");
    const videos = [await makeVideo(creator, `one #${tag}`), await makeVideo(creator, `two #${tag}`)];
    await refreshIndexes({ slow: false });
    await watchAndLike(viewer, videos[0]!);
    await waitUntil(() => getUserState(viewer.viewerKey), (state) => state.hashtags.some((entry) => entry.name === tag));
    const served = await wholeFeed(viewer);
    expect(served).toEqual(expect.arrayContaining(videos));
    await refreshCandidates(viewer.viewerKey);
    expect(await readStoredCandidates(viewer.viewerKey)).not.toBeNull();

    const reset = await api("/api/me/feed/reset", { method: "POST", token: viewer.token });
    expect(reset.status).toBe(200);
    const state = await getUserState(viewer.viewerKey);
    expect(state.hashtags).toEqual([]);
    expect(state.recentWatches).toEqual([]);
    expect(state.recentLikes).toEqual([]);
    expect(await readStoredCandidates(viewer.viewerKey)).toBeNull();
    expect(await getRedis().zcard(`flick:feed:seen:${viewer.viewerKey}`)).toBe(0);
    // What was served before can be served again.
    expect(await wholeFeed(viewer)).toEqual(expect.arrayContaining(videos));
  });
});
