// Recommender evaluation (issue 6): a simulated population drives the real HTTP API of a throwaway instance, and the
// strategies are compared side by side in one run: random, trending, the full system (served by the learned ranker
// after warm-up traffic and `npm run flick -- recs:train`), an oracle that knows every viewer's true interests, and
// an explorer that knows everything but the interest shift and reacts to every view (the bound on recovery; both
// computed here, no HTTP). Prints per strategy: mean watch fraction, completion rate, swipes until a cold-start
// viewer's feed reaches 80 % of its final quality, swipes to recover after an interest shift, catalogue coverage,
// exposure Gini across creators; the new-video check; and the ratios the issue sets as targets, PASS/MISS.
//
// World: bench/sim/world.ts (topics, creators of varying quality, videos with topic, duration and quality; viewers
// with latent interests). The catalogue and a few days of history are seeded with bench/sim/seed.ts (as seed:scale
// does); viewers are accounts with API tokens (bench/sim/population.ts).
//
//   npm run bench:recs
//   npm run bench:recs -- --quick            # a tiny run (CI proves the script works; figures mean nothing)
//   npm run bench:recs -- --viewers 64 --swipes 150 --shift-at 75
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import pg from "pg";
import { enterPools } from "../lib/recs/exploration";
import { ensureBuild } from "../scripts/build";
import { startApp, startDatabases, waitForConsumers } from "./sim/instance";
import {
  gini,
  mean,
  meanCurve,
  runHttpSession,
  runExplorerSession,
  runOracleSession,
  smooth,
  SMOOTHING,
  swipesToReach,
  THINK_MS,
  type Catalogue,
  type CatalogueVideo,
  type Http,
  type SimViewer,
} from "./sim/population";
import { createViewerAccounts, foldAnalytics, publishVideos, seedWorld, skipOldHistoryForRelay } from "./sim/seed";
import { createRng, lovedTopics, makeUsers, makeVideos, shiftInterests, type SimCreator } from "./sim/world";

export const HTTP_STRATEGIES = ["random", "trending", "full"] as const;
// Simulated without HTTP: the oracle (knows the true interests) and the explorer (knows everything but the shift: the
// bound on recovery for a recommender that must find the new interests by serving them, bench/sim/population.ts).
export const STRATEGIES = [...HTTP_STRATEGIES, "oracle", "explorer"] as const;
const TARGETS = { watchVsTrending: 1.5, oracleAfter50: 0.85, recoverySwipes: 10, newVideoImpressions: 20 };
// "Active instance": 200 viewers swiping every ~8 s (1,500 impressions a minute), so 30 minutes are 45,000
// impressions. The run serves far fewer, so a new video must reach 20 impressions within the run's own traffic.
const ACTIVE_IMPRESSIONS_PER_MINUTE = 1_500;
const NEW_VIDEO_MINUTES = 30;
const INSTANCE = "instance";
const MATURE_CATALOGUE_HOURS = 73;

export type RecsOptions = {
  videos: number;
  historyUsers: number;
  historyEvents: number;
  viewers: number;
  swipes: number;
  shiftAt: number;
  warmupViewers: number;
  warmupSwipes: number;
  newVideos: number;
  concurrency: number;
  seed: number;
  /** "After 50 swipes" (fewer in --quick, where sessions are short). */
  coldStartAt: number;
  /** Swipes at the end of a session that make its "final" quality. */
  finalWindow: number;
};

const FULL: RecsOptions = {
  videos: 3_000,
  historyUsers: 1_000,
  historyEvents: 300_000,
  viewers: 32,
  swipes: 100,
  shiftAt: 60,
  warmupViewers: 48,
  warmupSwipes: 48,
  // Each cohort's pages reserve one exploration slot of 8 (RECS_EXPLORATION_SLOTS): 3,200 impressions give the
  // pools ~400, enough for 20 each for 12 new videos with room to spare (an active instance's 45,000 per 30 min give
  // 5,600, i.e. 20 each for ~280 new videos).
  newVideos: 12,
  concurrency: 32,
  seed: 6,
  coldStartAt: 50,
  finalWindow: 20,
};
const QUICK: RecsOptions = {
  videos: 300,
  historyUsers: 60,
  historyEvents: 10_000,
  viewers: 4,
  swipes: 24,
  shiftAt: 12,
  // Enough served items for training to run at all (it wants 250 examples).
  warmupViewers: 8,
  warmupSwipes: 40,
  newVideos: 3,
  concurrency: 8,
  seed: 6,
  coldStartAt: 8,
  finalWindow: 6,
};

export type NewVideoReport = {
  published: number;
  /** Reached 20 impressions. */
  reached: number;
  medianSeconds: number | null;
  /** The latest 20th impression: impressions served (in that cohort) since publishing. */
  maxImpressionsBefore: number | null;
  /** Impressions of each new video by the end of the run. */
  impressions: number[];
};

export type StrategyReport = {
  strategy: string;
  viewers: number;
  swipes: number;
  watchFraction: number;
  completionRate: number;
  coldStart: { swipes: number | null; final: number; start: number };
  afterColdStart: number;
  recovery: { swipes: number | null; before: number; after: number };
  coverage: number;
  gini: number;
  newVideos: NewVideoReport;
  curve: number[];
  /** Smoothed quality (new interests) per swipe after the shift, mean over shifted viewers. */
  afterShiftCurve: number[];
  /** After the shift, per block of 4 swipes: share of served videos on the old loved topics, and on the new ones. */
  afterShiftTopics: Array<{ old: number; fresh: number }>;
  /** The same by page: the page the shift fell in (served before it), then the 1st, 2nd… page asked for after it. */
  afterShiftPages: Array<{ old: number; fresh: number; size: number }>;
};

export type RecsReport = { strategies: StrategyReport[]; instanceNewVideos: NewVideoReport; instanceImpressions: number; training: string; failures: Http["failures"]; requests: number; options: RecsOptions; seconds: number };

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function readOptions(argv: string[]): { options: RecsOptions; keep: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean" },
      keep: { type: "boolean" },
      videos: { type: "string" },
      viewers: { type: "string" },
      swipes: { type: "string" },
      "shift-at": { type: "string" },
      "warmup-viewers": { type: "string" },
      "warmup-swipes": { type: "string" },
      "history-events": { type: "string" },
      "new-videos": { type: "string" },
      concurrency: { type: "string" },
      seed: { type: "string" },
    },
    strict: true,
  });
  const options = { ...(values.quick ? QUICK : FULL) };
  const set = (key: keyof RecsOptions, value: string | undefined) => {
    if (value === undefined) return;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`bench:recs: ${key} must be a whole number ≥ 0 (got "${value}")`);
    options[key] = parsed;
  };
  set("videos", values.videos);
  set("viewers", values.viewers);
  set("swipes", values.swipes);
  set("shiftAt", values["shift-at"]);
  set("warmupViewers", values["warmup-viewers"]);
  set("warmupSwipes", values["warmup-swipes"]);
  set("historyEvents", values["history-events"]);
  set("newVideos", values["new-videos"]);
  set("concurrency", values.concurrency);
  set("seed", values.seed);
  if (options.shiftAt >= options.swipes) throw new Error("bench:recs: --shift-at must be below --swipes");
  return { options, keep: values.keep ?? false };
}

// Progress every so often: a long run under load should show it is moving.
const PROGRESS_EVERY_MS = 30_000;

/** Runs sessions with at most `concurrency` at once, in list order, logging the swipes done meanwhile. */
async function runPool(items: SimViewer[], concurrency: number, swipes: number, run: (item: SimViewer) => Promise<void>): Promise<void> {
  let next = 0;
  const started = performance.now();
  const timer = setInterval(() => {
    const done = items.reduce((sum, viewer) => sum + viewer.swipes.length, 0);
    log(`    ${done.toLocaleString("en")} / ${(items.length * swipes).toLocaleString("en")} swipes after ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }, PROGRESS_EVERY_MS);
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next]!;
        next += 1;
        await run(item);
      }
    }),
  ).finally(() => clearInterval(timer));
}

// How long the web process may take to pick up a newly promoted model (it polls the registry).
const MODEL_RELOAD_WAIT_MS = 60_000;

/** The model version of the newest served For You item (RecServed), or "none". */
async function latestModelVersion(pool: pg.Pool): Promise<string> {
  const row = await pool.query<{ modelVersion: string }>(`SELECT "modelVersion" FROM "RecServed" WHERE "strategy" = 'full' ORDER BY "servedAt" DESC LIMIT 1`);
  return row.rows[0]?.modelVersion ?? "none";
}

/** Asks for a page every 2 s until the feed logs a model version other than `before`; returns the version seen last. */
async function waitForNewModel(http: Http, pool: pg.Pool, token: string, before: string, limitMs: number): Promise<string> {
  const deadline = Date.now() + limitMs;
  let seen = before;
  while (Date.now() < deadline) {
    await fetch(`${http.baseUrl}/api/feed?tab=foryou&strategy=full&limit=1`, { headers: { authorization: `Bearer ${token}` } }).then((response) => response.arrayBuffer()).catch(() => undefined);
    seen = await latestModelVersion(pool);
    if (seen !== before) return seen;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  return seen;
}

/** `npm run flick -- recs:train` against the instance, as an operator would; returns its output. */
function trainRanker(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/flick.ts", "recs:train"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (code) => resolve({ code, output: output.trim() }));
  });
}

export async function runRecsBenchmark(options: RecsOptions, dataDir: string): Promise<RecsReport> {
  const started = performance.now();
  const rng = createRng(options.seed);
  const databases = await startDatabases(dataDir, log);
  const pool = new pg.Pool({ connectionString: databases.databaseUrl, max: 4 });
  const redis = new Redis(databases.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
  let app: Awaited<ReturnType<typeof startApp>> | null = null;
  try {
    log(`seeding the catalogue and ${options.historyEvents.toLocaleString("en")} events of history …`);
    // A mature catalogue: every seeded video was published more than 72 h ago (the exploration pools' age limit,
    // lib/recs/config.ts), as if its first audience had been judged already. Seeding skips the pools, so younger
    // seeded videos would sit unjudged in pool 0 and share its slots with the run's really new videos.
    const world = await seedWorld(pool, {
      videos: options.videos,
      users: options.historyUsers,
      events: options.historyEvents,
      days: 3,
      seed: options.seed,
      tag: "simrecs",
      minVideoAgeHours: MATURE_CATALOGUE_HOURS,
      log,
    });
    const { connectEventsSession } = await import("../lib/events/pg");
    const folded = await foldAnalytics(connectEventsSession, log);
    log(`analytics folded ${folded.events.toLocaleString("en")} events in ${folded.seconds.toFixed(1)} s`);
    // The real-time viewer state gets the last day of the history, as seed:scale does by default.
    await skipOldHistoryForRelay(pool, world.counts.events, 1);
    app = await startApp(databases, dataDir);
    const caughtUp = await waitForConsumers(pool, redis, 15 * 60_000);
    log(`worker relayed the history to the real-time viewer state in ${caughtUp?.toFixed(1) ?? "more than 900"} s`);

    const now = Date.now();
    const catalogue: Catalogue = { byId: new Map(), all: [] };
    const addVideo = (video: CatalogueVideo) => {
      catalogue.byId.set(video.id, video);
      catalogue.all.push(video);
    };
    for (const video of world.videos) addVideo({ ...video, creatorId: world.creators[video.creator]!.userId, publishedAtMs: now - video.ageHours * 3600_000 });
    const startingCatalogue = catalogue.all.length;

    // The same viewer templates for every strategy, so the strategies face the same people; every other viewer's
    // interests shift at --shift-at.
    const templates = makeUsers(createRng(options.seed + 1), options.viewers);
    const warmupTemplates = makeUsers(createRng(options.seed + 2), options.warmupViewers);
    const accounts = await createViewerAccounts(pool, "simrecs", options.warmupViewers + options.viewers * HTTP_STRATEGIES.length);
    const viewerOf = (strategy: string, template: (typeof templates)[number], index: number, account: { userId: string; token: string } | null): SimViewer => ({
      strategy,
      user: { ...template, interests: new Float32Array(template.interests) },
      userId: account?.userId ?? `oracle${index}`,
      token: account?.token ?? "",
      shiftAt: index % 2 === 1 ? options.shiftAt : null,
      shiftTo: index % 2 === 1 ? shiftInterests(createRng(options.seed * 31 + index), template.interests) : null,
      swipes: [],
      failures: 0,
    });
    const warmup = warmupTemplates.map((template, index) => ({ ...viewerOf("full", template, index, accounts[index]!), shiftAt: null, shiftTo: null }));
    const measured: SimViewer[] = [];
    templates.forEach((template, index) => {
      HTTP_STRATEGIES.forEach((strategy, offset) => measured.push(viewerOf(strategy, template, index, accounts[options.warmupViewers + index * HTTP_STRATEGIES.length + offset]!)));
    });
    const oracle = templates.map((template, index) => viewerOf("oracle", template, index, null));
    const explorer = templates.map((template, index) => viewerOf("explorer", template, index, null));

    const http: Http = { baseUrl: app.baseUrl, failures: { feed: 0, events: 0, like: 0 }, requests: 0 };
    const impressions = new Map<string, Map<string, number>>(); // strategy → new video id → impressions
    const cohortImpressions = new Map<string, number>(); // strategy → impressions since the new videos were published
    const reached = new Map<string, Map<string, { seconds: number; impressionsBefore: number }>>();
    let newVideos: CatalogueVideo[] = [];
    let publishedAt = 0;
    const record = (video: CatalogueVideo, key: string) => {
      cohortImpressions.set(key, (cohortImpressions.get(key) ?? 0) + 1);
      if (video.publishedAtMs < publishedAt) return;
      const counts = impressions.get(key) ?? new Map<string, number>();
      impressions.set(key, counts);
      const count = (counts.get(video.id) ?? 0) + 1;
      counts.set(video.id, count);
      if (count === TARGETS.newVideoImpressions) {
        const done = reached.get(key) ?? new Map();
        reached.set(key, done);
        done.set(video.id, { seconds: (Date.now() - publishedAt) / 1000, impressionsBefore: cohortImpressions.get(key)! });
      }
    };
    // Per strategy's cohort, and over the whole instance (every simulated viewer on the API; the oracle is not on it).
    const onImpression = (video: CatalogueVideo, strategy: string) => {
      if (publishedAt === 0) return;
      record(video, strategy);
      if (strategy !== "oracle" && strategy !== "explorer") record(video, INSTANCE);
    };

    log(`warm-up: ${warmup.length} viewers × ${options.warmupSwipes} swipes on strategy "full" …`);
    const warmStarted = performance.now();
    await runPool(warmup, options.concurrency, options.warmupSwipes, (viewer) => runHttpSession(http, viewer, catalogue, createRng(options.seed * 1000 + viewer.user.index), options.warmupSwipes, onImpression));
    log(`  ${warmup.reduce((sum, viewer) => sum + viewer.swipes.length, 0)} swipes in ${((performance.now() - warmStarted) / 1000).toFixed(1)} s`);
    await waitForConsumers(pool, redis, 120_000);
    log("training the ranker on the warm-up traffic (npm run flick -- recs:train) …");
    const servedBefore = await latestModelVersion(pool);
    const trained = await trainRanker(app.env);
    // The CLI's own report: version, promoted or why not, NDCG@10 and AUC per head against the serving model.
    log(trained.output.split("\n").map((line) => `  | ${line}`).join("\n"));
    let training =
      trained.code === 0
        ? trained.output.split("\n").filter((line) => /^Ranker|NDCG|^\s+\S.*(regress|improv|promot|margin)/i.test(line)).map((line) => line.trim()).slice(0, 3).join(" / ")
        : `FAILED (exit ${trained.code}): ${trained.output.split("\n").slice(-2).join(" / ")}`;
    if (trained.code === 0 && /PROMOTED/.test(trained.output)) {
      // The web process hot-reloads a promoted model by itself; wait until the feed serves with a new version.
      const served = await waitForNewModel(http, pool, warmup[0]!.token, servedBefore, MODEL_RELOAD_WAIT_MS);
      training += served === servedBefore ? ` (the feed still served model ${served} after ${MODEL_RELOAD_WAIT_MS / 1000} s)` : ` (the feed serves model ${served})`;
      log(`  feed now serves model ${served}`);
    }

    // New videos, published just before the measured sessions: do they get an audience, and how fast?
    const newRng = createRng(options.seed + 3);
    const fresh = makeVideos(newRng, world.creators as SimCreator[], options.newVideos, 0, 1_000_000);
    const freshIds = await publishVideos(pool, "simrecs", fresh.map((video) => ({ ...video, creatorId: world.creators[video.creator]!.userId })), newRng);
    // What the moderation stage does when it approves a finished upload (lib/moderation/stage.ts): into pool 0 now.
    await enterPools(freshIds, redis);
    publishedAt = Date.now();
    newVideos = fresh.map((video, index) => ({ ...video, id: freshIds[index]!, creatorId: world.creators[video.creator]!.userId, publishedAtMs: publishedAt }));
    for (const video of newVideos) addVideo(video);
    log(`published ${newVideos.length} new videos`);

    log(`measuring: ${options.viewers} viewers × ${options.swipes} swipes per strategy (${HTTP_STRATEGIES.join(", ")}) interleaved, ${options.concurrency} at a time …`);
    const measureStarted = performance.now();
    await runPool(measured, options.concurrency, options.swipes, (viewer) => runHttpSession(http, viewer, catalogue, createRng(options.seed * 7919 + viewer.user.index), options.swipes, onImpression));
    log(`  ${measured.reduce((sum, viewer) => sum + viewer.swipes.length, 0)} swipes in ${((performance.now() - measureStarted) / 1000).toFixed(1)} s, ${http.requests} requests in all`);
    for (const viewer of oracle) runOracleSession(viewer, catalogue, createRng(options.seed * 7919 + viewer.user.index), options.swipes, onImpression);
    for (const viewer of explorer) runExplorerSession(viewer, catalogue, createRng(options.seed * 7919 + viewer.user.index), options.swipes, onImpression);

    const all = [...measured, ...oracle, ...explorer];
    const strategies = STRATEGIES.map((strategy) =>
      summarize(strategy, all.filter((viewer) => viewer.strategy === strategy), options, {
        catalogue,
        catalogueSize: startingCatalogue + newVideos.length,
        creators: world.creators.map((creator) => creator.userId),
        newVideos,
        reached: reached.get(strategy) ?? new Map(),
        impressions: impressions.get(strategy) ?? new Map(),
      }),
    );
    const instanceNewVideos = summarizeNewVideos(newVideos, reached.get(INSTANCE) ?? new Map(), impressions.get(INSTANCE) ?? new Map());
    return { strategies, instanceNewVideos, instanceImpressions: cohortImpressions.get(INSTANCE) ?? 0, training, failures: http.failures, requests: http.requests, options, seconds: (performance.now() - started) / 1000 };
  } finally {
    await app?.stop();
    redis.disconnect();
    await pool.end();
    await databases.stop();
  }
}

function summarize(
  strategy: string,
  viewers: SimViewer[],
  options: RecsOptions,
  context: {
    catalogue: Catalogue;
    catalogueSize: number;
    creators: string[];
    newVideos: CatalogueVideo[];
    reached: Map<string, { seconds: number; impressionsBefore: number }>;
    impressions: Map<string, number>;
  },
): StrategyReport {
  const swipes = viewers.flatMap((viewer) => viewer.swipes);
  // Cold start: every viewer's swipes before any interest shift.
  const coldRows = viewers.map((viewer) => viewer.swipes.filter((swipe) => !swipe.afterShift).map((swipe) => swipe.quality));
  const curve = meanCurve(coldRows);
  const cold = swipesToReach(curve, 0.8, options.finalWindow);
  const afterColdStart = mean(curve.slice(options.coldStartAt, options.coldStartAt + 10));
  // Shift: quality (for the new interests) after the shift, against the level the feed had reached before it.
  const shifted = viewers.filter((viewer) => viewer.shiftAt !== null);
  const before = mean(shifted.map((viewer) => mean(viewer.swipes.filter((swipe) => !swipe.afterShift).slice(-options.finalWindow).map((swipe) => swipe.quality))));
  const afterCurve = smooth(meanCurve(shifted.map((viewer) => viewer.swipes.filter((swipe) => swipe.afterShift).map((swipe) => swipe.quality))));
  const recoveredAt = afterCurve.findIndex((value) => value >= 0.8 * before);
  // Impressions per creator, every creator counted (zeros too), for the exposure Gini.
  const exposure = new Map(context.creators.map((creator) => [creator, 0]));
  for (const swipe of swipes) {
    const creator = context.catalogue.byId.get(swipe.videoId)?.creatorId;
    if (creator !== undefined) exposure.set(creator, (exposure.get(creator) ?? 0) + 1);
  }
  const served = new Set(swipes.map((swipe) => swipe.videoId));
  return {
    strategy,
    viewers: viewers.length,
    swipes: swipes.length,
    watchFraction: mean(swipes.map((swipe) => swipe.fraction)),
    completionRate: mean(swipes.map((swipe) => (swipe.completed ? 1 : 0))),
    coldStart: { ...cold, start: curve[0] ?? Number.NaN },
    afterColdStart,
    recovery: { swipes: recoveredAt === -1 ? null : recoveredAt + 1, before, after: mean(afterCurve.slice(-options.finalWindow)) },
    coverage: served.size / context.catalogueSize,
    gini: gini([...exposure.values()]),
    newVideos: summarizeNewVideos(context.newVideos, context.reached, context.impressions),
    curve,
    afterShiftCurve: afterCurve,
    afterShiftTopics: topicsAfterShift(shifted, context.catalogue),
    afterShiftPages: pagesAfterShift(shifted, context.catalogue),
  };
}

function summarizeNewVideos(videos: CatalogueVideo[], reached: Map<string, { seconds: number; impressionsBefore: number }>, impressions: Map<string, number>): NewVideoReport {
  const times = [...reached.values()].map((entry) => entry.seconds).sort((a, b) => a - b);
  return {
    published: videos.length,
    reached: reached.size,
    medianSeconds: times.length > 0 ? times[Math.floor(times.length / 2)]! : null,
    maxImpressionsBefore: reached.size > 0 ? Math.max(...[...reached.values()].map((entry) => entry.impressionsBefore)) : null,
    impressions: videos.map((video) => impressions.get(video.id) ?? 0),
  };
}

/** Per block of 4 swipes after the shift: how much of what was served is on the old loved topics, how much on the new. */
function topicsAfterShift(viewers: SimViewer[], catalogue: Catalogue): Array<{ old: number; fresh: number }> {
  const blocks: Array<{ old: number; fresh: number; n: number }> = [];
  for (const viewer of viewers) {
    if (!viewer.shiftedFrom || !viewer.shiftTo) continue;
    const old = new Set(lovedTopics(viewer.shiftedFrom));
    const fresh = new Set(lovedTopics(viewer.shiftTo));
    viewer.swipes
      .filter((swipe) => swipe.afterShift)
      .forEach((swipe, index) => {
        const topic = catalogue.byId.get(swipe.videoId)?.topic;
        const block = (blocks[Math.floor(index / 4)] ??= { old: 0, fresh: 0, n: 0 });
        block.n += 1;
        if (topic !== undefined && old.has(topic)) block.old += 1;
        if (topic !== undefined && fresh.has(topic)) block.fresh += 1;
      });
  }
  return blocks.map((block) => ({ old: block.old / Math.max(1, block.n), fresh: block.fresh / Math.max(1, block.n) }));
}

/** By page: the page the shift fell in (its items after the shift), then each page asked for after the shift. */
function pagesAfterShift(viewers: SimViewer[], catalogue: Catalogue): Array<{ old: number; fresh: number; size: number }> {
  const pages: Array<{ old: number; fresh: number; n: number; size: number; pages: number }> = [];
  for (const viewer of viewers) {
    if (!viewer.shiftedFrom || !viewer.shiftTo) continue;
    const old = new Set(lovedTopics(viewer.shiftedFrom));
    const fresh = new Set(lovedTopics(viewer.shiftTo));
    const after = viewer.swipes.filter((swipe) => swipe.afterShift);
    if (after.length === 0) continue;
    const first = after[0]!.page;
    const counted = new Set<number>();
    for (const swipe of after) {
      const topic = catalogue.byId.get(swipe.videoId)?.topic;
      const entry = (pages[swipe.page - first] ??= { old: 0, fresh: 0, n: 0, size: 0, pages: 0 });
      entry.n += 1;
      if (!counted.has(swipe.page)) {
        counted.add(swipe.page);
        entry.size += swipe.pageSize;
        entry.pages += 1;
      }
      if (topic !== undefined && old.has(topic)) entry.old += 1;
      if (topic !== undefined && fresh.has(topic)) entry.fresh += 1;
    }
  }
  return pages.map((entry) => ({ old: entry.old / Math.max(1, entry.n), fresh: entry.fresh / Math.max(1, entry.n), size: entry.size / Math.max(1, entry.pages) }));
}

function format(value: number | null, digits = 3): string {
  return value === null || !Number.isFinite(value) ? "—" : value.toFixed(digits);
}

export function printReport(report: RecsReport): void {
  const { options } = report;
  const by = new Map(report.strategies.map((entry) => [entry.strategy, entry]));
  log("");
  log(`| strategy | viewers × swipes | mean watch fraction | completion rate | swipes to 80 % (cold start) | quality after ${options.coldStartAt} swipes | swipes to recover (shift) | coverage | creator exposure Gini |`);
  log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const entry of report.strategies) {
    log(
      `| ${entry.strategy} | ${entry.viewers} × ${options.swipes} (${entry.swipes}) | ${format(entry.watchFraction)} | ${format(entry.completionRate)} | ` +
        `${entry.coldStart.swipes ?? `> ${entry.curve.length}`} (final ${format(entry.coldStart.final)}) | ${format(entry.afterColdStart)} | ` +
        `${entry.recovery.swipes ?? `> ${options.swipes - options.shiftAt}`} (before ${format(entry.recovery.before)}) | ${format(entry.coverage * 100, 1)} % | ${format(entry.gini)} |`,
    );
  }
  log("");
  log("quality curve (expected watch fraction of what was served, mean over viewers, before any shift):");
  const marks = [1, 5, 10, 20, 30, 50, 80, 120].filter((mark) => mark <= options.swipes);
  log(`| strategy | ${marks.map((mark) => `swipe ${mark}`).join(" | ")} |`);
  log(`| --- | ${marks.map(() => "---:").join(" | ")} |`);
  for (const entry of report.strategies) log(`| ${entry.strategy} | ${marks.map((mark) => format(smooth(entry.curve)[mark - 1] ?? null)).join(" | ")} |`);
  log("");
  log("quality curve after the interest shift (new interests, smoothed), against 80 % of each strategy's level before it:");
  const shiftMarks = [1, 2, 4, 6, 8, 10, 12, 16, 20, 30].filter((mark) => mark <= options.swipes - options.shiftAt);
  log(`| strategy | 80 % of before | ${shiftMarks.map((mark) => `swipe ${mark}`).join(" | ")} |`);
  log(`| --- | ---: | ${shiftMarks.map(() => "---:").join(" | ")} |`);
  for (const entry of report.strategies) log(`| ${entry.strategy} | ${format(0.8 * entry.recovery.before)} | ${shiftMarks.map((mark) => format(entry.afterShiftCurve[mark - 1] ?? null)).join(" | ")} |`);
  log("");
  log("what was served after the shift, per 4 swipes: share on the old loved topics / on the new loved topics:");
  const blocks = Math.min(6, Math.ceil((options.swipes - options.shiftAt) / 4));
  log(`| strategy | ${Array.from({ length: blocks }, (_, b) => `swipes ${b * 4 + 1}–${b * 4 + 4}`).join(" | ")} |`);
  log(`| --- | ${Array.from({ length: blocks }, () => "---:").join(" | ")} |`);
  for (const entry of report.strategies) {
    log(`| ${entry.strategy} | ${Array.from({ length: blocks }, (_, b) => entry.afterShiftTopics[b]).map((block) => (block ? `${format(block.old, 2)} / ${format(block.fresh, 2)}` : "—")).join(" | ")} |`);
  }
  log("");
  log("the same by page: the page the shift fell in (its items after the shift), then the pages asked for after it (mean page size):");
  log(`| strategy | page of the shift | ${[1, 2, 3, 4, 5].map((n) => `page +${n}`).join(" | ")} |`);
  log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const entry of report.strategies) {
    log(`| ${entry.strategy} | ${entry.afterShiftPages.slice(0, 6).map((page) => `${format(page.old, 2)} / ${format(page.fresh, 2)} (${format(page.size, 1)})`).join(" | ")} |`);
  }
  log("");
  const budget = ACTIVE_IMPRESSIONS_PER_MINUTE * NEW_VIDEO_MINUTES;
  log(
    `new videos: ${options.newVideos} published just before the measured sessions. An "active instance" is taken as ${ACTIVE_IMPRESSIONS_PER_MINUTE.toLocaleString("en")} impressions a minute ` +
      `(200 viewers swiping every 8 s), so its ${NEW_VIDEO_MINUTES} min are ${budget.toLocaleString("en")} impressions; the run's ${report.instanceImpressions.toLocaleString("en")} impressions after publishing ` +
      `stand for ${((report.instanceImpressions / budget) * NEW_VIDEO_MINUTES).toFixed(1)} such minutes (${options.newVideos} new videos in them are as many as ` +
      `${Math.round((options.newVideos * budget) / Math.max(1, report.instanceImpressions)).toLocaleString("en")} per ${NEW_VIDEO_MINUTES} min there). A viewer sees a video once, so a cohort of fewer than 20 viewers cannot give one 20 impressions.`,
  );
  log("| cohort | reached 20 impressions | median wall time to 20 | latest 20th impression: impressions served since publishing (≈ active-instance minutes) | impressions per new video (min / median / max) |");
  log("| --- | ---: | ---: | ---: | ---: |");
  const row = (name: string, entry: NewVideoReport) => {
    const latest = entry.maxImpressionsBefore;
    const minutes = latest === null ? "" : ` (≈ ${(latest / ACTIVE_IMPRESSIONS_PER_MINUTE).toFixed(1)} min)`;
    const sorted = [...entry.impressions].sort((a, b) => a - b);
    const spread = sorted.length === 0 ? "—" : `${sorted[0]} / ${sorted[Math.floor(sorted.length / 2)]} / ${sorted.at(-1)}`;
    log(`| ${name} | ${entry.reached} / ${entry.published} | ${entry.medianSeconds === null ? "—" : `${entry.medianSeconds.toFixed(0)} s`} | ${latest ?? "—"}${minutes} | ${spread} |`);
  };
  for (const entry of report.strategies) row(`${entry.strategy} (${entry.viewers} viewers)`, entry.newVideos);
  row(`whole instance (every viewer on the API)`, report.instanceNewVideos);
  const full = by.get("full")!;
  const trending = by.get("trending")!;
  const oracle = by.get("oracle")!;
  const watchRatio = full.watchFraction / trending.watchFraction;
  const oracleRatio = full.afterColdStart / oracle.afterColdStart;
  const verdict = (pass: boolean) => (pass ? "PASS" : "MISS");
  log("");
  log("| target | value | target | result |");
  log("| --- | ---: | --- | --- |");
  log(`| full / trending, mean watch fraction | ${format(watchRatio, 2)} | ≥ ${TARGETS.watchVsTrending} | ${verdict(watchRatio >= TARGETS.watchVsTrending)} |`);
  log(`| full / oracle, quality after ${options.coldStartAt} swipes (new viewers) | ${format(oracleRatio, 3)} | ≥ ${TARGETS.oracleAfter50} | ${verdict(oracleRatio >= TARGETS.oracleAfter50)} |`);
  const bound = by.get("explorer")!.recovery.swipes;
  log(
    `| full, swipes to recover after an interest shift (the explorer, which knows all but the shift and reacts to every view: ${bound ?? `> ${options.swipes - options.shiftAt}`}) | ` +
      `${full.recovery.swipes ?? `> ${options.swipes - options.shiftAt}`} | ≤ ${TARGETS.recoverySwipes} | ${verdict(full.recovery.swipes !== null && full.recovery.swipes <= TARGETS.recoverySwipes)} |`,
  );
  // The full system's own cohort: a viewer is served a video once, so this needs ≥ 20 viewers (the default is 32).
  const fullNew = full.newVideos;
  log(
    `| full cohort: new videos with ≥ ${TARGETS.newVideoImpressions} impressions within ${NEW_VIDEO_MINUTES} active-instance minutes | ${fullNew.reached} / ${fullNew.published} | all | ` +
      `${full.viewers < TARGETS.newVideoImpressions ? `n/a (${full.viewers} viewers)` : verdict(fullNew.reached === fullNew.published && (fullNew.maxImpressionsBefore ?? Infinity) <= budget)} |`,
  );
  log("");
  log(`ranker training: ${report.training}`);
  log(`requests: ${report.requests}; failed: feed ${report.failures.feed}, events ${report.failures.events}, like ${report.failures.like}; ${report.seconds.toFixed(0)} s in all`);
  log(`definitions: quality = expected first-pass watch fraction of the served video for the viewer's true interests at that moment (noise-free);`);
  log(`  curves are means over viewers per swipe index, smoothed with a centred window of ${SMOOTHING} swipes; "final" = mean of the last ${options.finalWindow} swipes before any shift;`);
  log(`  recovery = first swipe after the shift whose smoothed quality (new interests) is ≥ 80 % of the level of the ${options.finalWindow} swipes before it;`);
  log(`  explorer = knows each video's topic and quality and the viewer's interests before the shift, not the shift; one video at a time, reacting to each view (bench/sim/population.ts);`);
  log(`  "after ${options.coldStartAt} swipes" = mean quality of swipes ${options.coldStartAt + 1}–${options.coldStartAt + 10}; think time between pages ${THINK_MS} ms (a page of 8 videos).`);
}

async function main(): Promise<void> {
  const { options, keep } = readOptions(process.argv.slice(2));
  ensureBuild(log);
  const dataDir = mkdtempSync(path.join(tmpdir(), "flick-bench-recs-"));
  try {
    const report = await runRecsBenchmark(options, dataDir);
    printReport(report);
    if (process.env.BENCH_REPORT_JSON) {
      const { writeFileSync } = await import("node:fs");
      writeFileSync(process.env.BENCH_REPORT_JSON, JSON.stringify(report, null, 2));
    }
  } finally {
    if (keep) log(`kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
