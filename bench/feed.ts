// Feed benchmark (issue 6) on a seeded scale instance (bench/sim/seed.ts, the generator behind seed:scale): GET
// /api/feed?tab=foryou p50/p99 at 50 concurrent clients, each request from one of many distinct viewers (API tokens of
// seeded accounts with history, so no single viewer's cache serves them), next to GET /api/ping of the same server
// driven the same way in the same run (and GET /api/me, a trivial JSON route that authenticates like the feed); the
// routes take turns in 5 s slices, so the reference and the feed share the same background (the worker's index builds).
// In-process, against the same database and Redis: the ranker's time for 1,000 candidates and candidate refresh
// per viewer and for all active viewers (lib/recs), when lib/recs provides them.
// Targets (issue 6): feed p99 ≤ 50 ms and ≤ 3× the trivial route; 1,000 candidates ranked ≤ 3 ms.
//
// The instance's data directory is kept (default $TMPDIR/flick-bench-feed-<videos>-<users>-<events>) and reused by
// the next run with the same sizes, since seeding 5M events takes minutes; --fresh seeds it again.
//
//   npm run bench:feed                                   # 100k videos, 10k users, 5M events
//   npm run bench:feed -- --quick                        # small instance, short phases (CI proves the script works)
//   npm run bench:feed -- --videos 20000 --users 2000 --events 1000000 --concurrency 50 --seconds 30
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import pg from "pg";
import { ensureBuild } from "../scripts/build";
import { startApp, startDatabases, waitForConsumers, type BenchApp } from "./sim/instance";
import { loadFeatureInputs } from "./sim/feature-inputs";
import { countSeeded, foldAnalytics, seedWorld, skipOldHistoryForRelay } from "./sim/seed";

const TARGETS = { p99Ms: 50, p99VsTrivial: 3, rankMs: 3 };

export type FeedOptions = { videos: number; users: number; events: number; concurrency: number; seconds: number; viewers: number; refreshViewers: number; activeViewers: number };

const FULL: FeedOptions = { videos: 100_000, users: 10_000, events: 5_000_000, concurrency: 50, seconds: 30, viewers: 2_000, refreshViewers: 50, activeViewers: 2_000 };
const QUICK: FeedOptions = { videos: 2_000, users: 300, events: 50_000, concurrency: 10, seconds: 3, viewers: 100, refreshViewers: 5, activeViewers: 20 };

/**
 * workerCores: the worker's CPU (cores, averaged over the phase's slices; null where /proc cannot say); webCores the
 * web process's; otherCores the rest of the machine's busy CPU less this benchmark's own process (PostgreSQL, Redis
 * with its append-only file rewrites, anything else running). webLoop: the
 * web process's event-loop delay (its longest stall and the worst slice's p99, ms) and its garbage collection (share of
 * the phase's time), from its /api/metrics, to tell a stalled process from a busy one.
 */
export type Phase = {
  route: string;
  requests: number;
  failed: number;
  seconds: number;
  p50: number;
  p99: number;
  rps: number;
  workerCores: number | null;
  webCores: number | null;
  otherCores: number | null;
  webLoop: { maxDelayMs: number; p99DelayMs: number; gcShare: number } | null;
};
export type FeedReport = {
  options: FeedOptions;
  seeding: { reused: boolean; seconds: number | null; foldSeconds: number | null; consumersSeconds: number | null };
  phases: Phase[];
  ranker: { candidates: number; medianMs: number; p90Ms: number; featurizeMs: number; referenceMs: number; version: string } | { missing: string };
  refresh:
    | { workerBuildMs: number | null; indexesMs: number; perViewerMedianMs: number; perViewerP90Ms: number; viewers: number; meanCandidates: number; allActiveMs: number; activeViewers: number }
    | { missing: string };
};

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? Number.NaN;
}

type Load = {
  route: string;
  label: string;
  tokens: string[];
  next: number;
  latencies: number[];
  failed: number;
  seconds: number;
  workerCpu: number | null;
  /** CPU seconds over the phase: the web process's, and the machine's busy time less web, worker and this process. */
  webCpu: number | null;
  otherCpu: number | null;
  loop: WebLoop | null;
};

function load(route: string, tokens: string[], label = route): Load {
  return { route, label, tokens, next: 0, latencies: [], failed: 0, seconds: 0, workerCpu: 0, webCpu: 0, otherCpu: 0, loop: { maxDelayMs: 0, p99DelayMs: 0, gcSeconds: 0 } };
}

type WebLoop = { maxDelayMs: number; p99DelayMs: number; gcSeconds: number };

/**
 * The web process's event-loop delay since the last scrape (prom-client resets its histogram on every scrape) and its
 * garbage collection so far (seconds, every kind); null when /api/metrics does not answer.
 */
async function readWebLoop(baseUrl: string): Promise<WebLoop | null> {
  try {
    const text = await (await fetch(`${baseUrl}/api/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, "m").exec(text)?.[1] ?? Number.NaN);
    const gcSeconds = [...text.matchAll(/^nodejs_gc_duration_seconds_sum\{[^}]*\} ([0-9.e+-]+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
    const loop = { maxDelayMs: value("nodejs_eventloop_lag_max_seconds") * 1000, p99DelayMs: value("nodejs_eventloop_lag_p99_seconds") * 1000, gcSeconds };
    return Number.isFinite(loop.maxDelayMs) && Number.isFinite(loop.p99DelayMs) ? loop : null;
  } catch {
    return null;
  }
}

/**
 * CPU seconds a process has used (Linux /proc; null elsewhere). The worker shares the two cores with the web process,
 * and what it runs during a phase (index builds, training, list rebuilds) moves a phase's latencies by itself: the
 * report gives each phase's worker CPU beside its figures.
 */
function processCpuSeconds(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
const CLOCK_TICKS = 100; // USER_HZ: 100 on every Linux this runs on

/** CPU seconds the whole machine has been busy (all cores, Linux /proc/stat: all but idle and iowait); null elsewhere. */
function machineBusySeconds(): number | null {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

function ownCpuSeconds(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1e6;
}

type BenchPids = BenchApp["pids"];
type CpuReading = { worker: number | null; web: number | null; machine: number | null; own: number };
function readCpu(pids: BenchPids): CpuReading {
  return { worker: processCpuSeconds(pids.worker), web: processCpuSeconds(pids.web), machine: machineBusySeconds(), own: ownCpuSeconds() };
}
/** The machine's busy CPU seconds less the web, the worker and this process: PostgreSQL, Redis, anything else. */
function othersOf(reading: CpuReading | null): number | null {
  return reading && reading.machine !== null ? reading.machine - (reading.web ?? 0) - (reading.worker ?? 0) - reading.own : null;
}
const add = (total: number | null, after: number | null, before: number | null) => (total !== null && after !== null && before !== null ? total + after - before : null);

/** `concurrency` clients in a closed loop for `seconds` on one route, each request with that route's next viewer's token. */
async function drive(baseUrl: string, target: Load, concurrency: number, seconds: number, pids: BenchPids | null = null): Promise<void> {
  const loopBefore = pids === null ? null : await readWebLoop(baseUrl);
  const started = performance.now();
  const before = pids === null ? null : readCpu(pids);
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const token = target.tokens[target.next % target.tokens.length]!;
        target.next += 1;
        const sentAt = performance.now();
        try {
          const response = await fetch(`${baseUrl}${target.route}`, { headers: { authorization: `Bearer ${token}` } });
          await response.arrayBuffer();
          if (response.status !== 200) target.failed += 1;
        } catch {
          target.failed += 1;
        }
        target.latencies.push(performance.now() - sentAt);
      }
    }),
  );
  target.seconds += (performance.now() - started) / 1000;
  const after = pids === null ? null : readCpu(pids);
  target.workerCpu = add(target.workerCpu, after?.worker ?? null, before?.worker ?? null);
  target.webCpu = add(target.webCpu, after?.web ?? null, before?.web ?? null);
  target.otherCpu = add(target.otherCpu, othersOf(after), othersOf(before));
  const loopAfter = loopBefore === null ? null : await readWebLoop(baseUrl);
  target.loop =
    target.loop && loopBefore && loopAfter
      ? {
          maxDelayMs: Math.max(target.loop.maxDelayMs, loopAfter.maxDelayMs),
          p99DelayMs: Math.max(target.loop.p99DelayMs, loopAfter.p99DelayMs),
          gcSeconds: target.loop.gcSeconds + loopAfter.gcSeconds - loopBefore.gcSeconds,
        }
      : null;
}

/**
 * The routes in turn, SLICE_SECONDS each, until each has had `seconds`: the trivial reference and the feed then share
 * the same background (the worker's index builds take tens of seconds at 100k videos and come every minute or two),
 * instead of a quiet ping phase and a busy feed phase or the other way round.
 */
async function driveInTurn(baseUrl: string, targets: Load[], concurrency: number, seconds: number, pids: BenchPids): Promise<Phase[]> {
  const slices = Math.max(1, Math.round(seconds / SLICE_SECONDS));
  for (let slice = 0; slice < slices; slice += 1) {
    for (const target of targets) await drive(baseUrl, target, concurrency, seconds / slices, pids);
  }
  return targets.map((target) => ({
    route: target.label,
    requests: target.latencies.length,
    failed: target.failed,
    seconds: target.seconds,
    p50: percentile(target.latencies, 0.5),
    p99: percentile(target.latencies, 0.99),
    rps: target.latencies.length / target.seconds,
    workerCores: target.workerCpu === null ? null : target.workerCpu / target.seconds,
    webCores: target.webCpu === null ? null : target.webCpu / target.seconds,
    otherCores: target.otherCpu === null ? null : Math.max(0, target.otherCpu / target.seconds),
    webLoop: target.loop ? { maxDelayMs: target.loop.maxDelayMs, p99DelayMs: target.loop.p99DelayMs, gcShare: target.loop.gcSeconds / target.seconds } : null,
  }));
}

/** Tokens for the first `count` seeded viewers (accounts with history), new for this run. */
async function tokensForSeededViewers(pool: pg.Pool, tag: string, count: number): Promise<string[]> {
  const { createHash, randomBytes } = await import("node:crypto");
  // Seeded viewers (not creators): handles "<tag>_u<n>".
  const users = await pool.query<{ id: string }>(`SELECT "id" FROM "User" WHERE "email" LIKE '%@sim.invalid' AND "handle" LIKE $1 ORDER BY "id" LIMIT $2`, [`${tag}%\\_u%`, count]);
  const run = randomBytes(3).toString("hex");
  const tokens = users.rows.map(() => `flk_${randomBytes(30).toString("base64url").replace(/[-_]/g, "x").slice(0, 40)}`);
  await pool.query(
    `INSERT INTO "ApiToken" ("id", "userId", "name", "prefix", "tokenHash") SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
    [users.rows.map((row) => `${row.id}t${run}`), users.rows.map((row) => row.id), users.rows.map(() => "bench:feed"), tokens.map((token) => token.slice(0, 10)), tokens.map((token) => createHash("sha256").update(token).digest("hex"))],
  );
  return tokens;
}

export async function runFeedBenchmark(options: FeedOptions, dataDir: string, fresh: boolean): Promise<FeedReport> {
  if (fresh) rmSync(dataDir, { recursive: true, force: true });
  const databases = await startDatabases(dataDir, log);
  const pool = new pg.Pool({ connectionString: databases.databaseUrl, max: 4 });
  const redis = new Redis(databases.redisUrl, { maxRetriesPerRequest: 2 });
  let app: Awaited<ReturnType<typeof startApp>> | null = null;
  // Seeded by an earlier run, or by `DATA_DIR=<dir> npm run seed:scale` (same layout): used as it is.
  const existing = await countSeeded(pool);
  const reused = existing.videos > 0;
  const report: FeedReport = { options, seeding: { reused, seconds: null, foldSeconds: null, consumersSeconds: null }, phases: [], ranker: { missing: "" }, refresh: { missing: "" } };
  try {
    if (!reused) {
      log(`seeding ${options.videos.toLocaleString("en")} videos, ${options.users.toLocaleString("en")} viewers, ${options.events.toLocaleString("en")} events …`);
      const started = performance.now();
      // Bulk loading: commits need not wait for their WAL flush (a crash mid-seed means seeding again anyway).
      const seedPool = new pg.Pool({ connectionString: databases.databaseUrl, max: 3, options: "-c synchronous_commit=off" });
      await seedWorld(seedPool, { videos: options.videos, users: options.users, events: options.events, days: 7, seed: 1, tag: "simfeed", log }).finally(() => seedPool.end());
      report.seeding.seconds = (performance.now() - started) / 1000;
      const { connectEventsSession } = await import("../lib/events/pg");
      const folded = await foldAnalytics(connectEventsSession, log);
      report.seeding.foldSeconds = folded.seconds;
      log(`analytics folded ${folded.events.toLocaleString("en")} events in ${folded.seconds.toFixed(1)} s`);
    } else {
      const events = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "Event"`);
      log(`reusing the seeded instance in ${dataDir}: ${existing.videos.toLocaleString("en")} videos, ${existing.users.toLocaleString("en")} seeded accounts, ${Number(events.rows[0]!.n).toLocaleString("en")} events (the size flags are ignored)`);
    }
    // The instance is the benchmark's own, so every event in it is seeded history: the worker relays only its last day
    // to the real-time viewer state (as seed:scale does by default), instead of spending half an hour on all of it.
    const total = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "Event"`)).rows[0]!.n);
    const skipped = await skipOldHistoryForRelay(pool, total, 1);
    if (skipped !== null && skipped > 0) log(`the real-time viewer state gets the last day of history: ${skipped.toLocaleString("en")} older events are not relayed`);
    app = await startApp(databases, dataDir);
    log("waiting for the worker to relay every event to the real-time viewer state …");
    report.seeding.consumersSeconds = await waitForConsumers(pool, redis, 60 * 60_000);
    log(`  caught up in ${report.seeding.consumersSeconds?.toFixed(1) ?? "more than 3600"} s`);

    const tokens = await tokensForSeededViewers(pool, "sim", options.viewers);
    log(`${tokens.length} distinct viewers, ${options.concurrency} concurrent clients, ${options.seconds} s per phase`);
    // Warm-up: compiled routes, pools, caches of the trivial paths; the feed's per-viewer state stays cold for most.
    await drive(app.baseUrl, load("/api/ping", tokens), options.concurrency, Math.min(5, options.seconds));
    await drive(app.baseUrl, load("/api/feed?tab=foryou", tokens.slice(0, options.concurrency)), options.concurrency, Math.min(5, options.seconds));
    log(`  /api/ping, /api/me, /api/feed?tab=foryou in turn, ${SLICE_SECONDS} s each …`);
    const feedTokens = tokens.slice(options.concurrency); // the warm-up's viewers are not first requests any more
    report.phases.push(...(await driveInTurn(app.baseUrl, [load("/api/ping", tokens), load("/api/me", tokens), load("/api/feed?tab=foryou", feedTokens)], options.concurrency, options.seconds, app.pids)));
    // That phase met each viewer for the first time in this run: no stored candidates yet, so each request also queued
    // a candidate rebuild for the worker (on a live instance the minute-by-minute refresh of active viewers keeps them
    // ready). Once the worker has built them, the same viewers again: the steady state of an active instance.
    const reached = report.phases.at(-1)!.requests;
    log(`  waiting for the worker to build the candidates of the ${Math.min(reached, tokens.length)} viewers just served …`);
    await waitForRecsQueue(databases.redisUrl, 10 * 60_000);
    log(`  /api/ping and /api/feed?tab=foryou for the same viewers, now with stored candidates, in turn …`);
    const served = feedTokens.slice(0, Math.max(options.concurrency, Math.min(reached, feedTokens.length)));
    report.phases.push(...(await driveInTurn(app.baseUrl, [load("/api/ping", tokens, WARM_PING), load("/api/feed?tab=foryou", served, WARM_FEED)], options.concurrency, options.seconds, app.pids)));

    report.ranker = await measureRanker(pool);
    report.refresh = await measureRefresh(pool, options.refreshViewers, options.activeViewers);
  } finally {
    await app?.stop();
    redis.disconnect();
    await pool.end();
    await databases.stop();
  }
  return report;
}

const WARM_FEED = "/api/feed?tab=foryou (stored candidates)";
const WARM_PING = "/api/ping (in turn with stored candidates)";
const SLICE_SECONDS = 5;

/** Until the recs queue has nothing waiting or running (its repeatable jobs stay delayed) for three polls in a row. */
async function waitForRecsQueue(redisUrl: string, timeoutMs: number): Promise<void> {
  const { Queue } = await import("bullmq");
  const { QUEUE_PREFIX } = await import("../lib/jobs/connection");
  const { RECS_QUEUE } = await import("../lib/jobs/recs");
  const queue = new Queue(RECS_QUEUE, { connection: { url: redisUrl }, prefix: QUEUE_PREFIX });
  try {
    const deadline = Date.now() + timeoutMs;
    let idle = 0;
    while (idle < 3 && Date.now() < deadline) {
      const counts = await queue.getJobCounts("wait", "active", "prioritized");
      idle = (counts.wait ?? 0) + (counts.active ?? 0) + (counts.prioritized ?? 0) === 0 ? idle + 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  } finally {
    await queue.close();
  }
}

// Ranker timing: runs measured after warm-up runs (the first ONNX calls allocate and JIT).
const RANK_CANDIDATES = 1_000;
const RANK_WARMUP = 5;
const RANK_RUNS = 50;

/** A seeded viewer (an account with history) of the instance. */
async function firstSeededViewer(pool: pg.Pool): Promise<string> {
  const viewer = await pool.query<{ id: string }>(`SELECT "id" FROM "User" WHERE "email" LIKE '%@sim.invalid' AND "handle" LIKE 'sim%\\_u%' ORDER BY "id" LIMIT 1`);
  return viewer.rows[0]!.id;
}

/** Ranker time for 1,000 candidates, in-process: featurizeBatch + getRanker().score, as serving calls them. */
async function measureRanker(pool: pg.Pool): Promise<FeedReport["ranker"]> {
  const { featurizeBatch, FEATURE_COUNT } = await import("../lib/recs/features");
  const { getRanker } = await import("../lib/recs/ranker");
  const { getUserState } = await import("../lib/events");
  const userId = await firstSeededViewer(pool);
  const inputs = await loadFeatureInputs(pool, { userId, state: await getUserState(`u:${userId}`) }, RANK_CANDIDATES);
  const ranker = await getRanker();
  const totals: number[] = [];
  const featurizing: number[] = [];
  for (let run = 0; run < RANK_RUNS + RANK_WARMUP; run += 1) {
    const started = performance.now();
    const rows = featurizeBatch(inputs);
    const featurized = performance.now();
    await ranker.score(rows, inputs.length);
    if (run >= RANK_WARMUP) {
      totals.push(performance.now() - started);
      featurizing.push(featurized - started);
    }
  }
  // Reference: a plain JavaScript loop scoring the same rows with one weight per feature (a linear model).
  const rows = featurizeBatch(inputs);
  const weights = Float32Array.from({ length: FEATURE_COUNT }, (_, index) => 1 / (index + 1));
  const reference: number[] = [];
  let sink = 0;
  for (let run = 0; run < RANK_RUNS; run += 1) {
    const started = performance.now();
    for (let row = 0; row < inputs.length; row += 1) {
      let score = 0;
      for (let column = 0; column < FEATURE_COUNT; column += 1) score += rows[row * FEATURE_COUNT + column]! * weights[column]!;
      sink += score;
    }
    reference.push(performance.now() - started);
  }
  if (!Number.isFinite(sink)) throw new Error("reference scores are not finite");
  return { candidates: inputs.length, medianMs: percentile(totals, 0.5), p90Ms: percentile(totals, 0.9), featurizeMs: percentile(featurizing, 0.5), referenceMs: percentile(reference, 0.5), version: ranker.version };
}

/** Candidate refresh, in-process: the indexes, each of `count` seeded viewers, then every active viewer. */
async function measureRefresh(pool: pg.Pool, count: number, activeCount: number): Promise<FeedReport["refresh"]> {
  const { refreshActiveViewers, refreshCandidates, refreshIndexes } = await import("../lib/recs");
  const { KEYS } = await import("../lib/recs/config");
  const { getRedis } = await import("../lib/redis");
  // The worker's last scheduled build (the fast indexes, incremental after its first), before the whole build below
  // (in this process, with the slow indexes, so never incremental) records its own.
  const workerBuildMs = Number(await getRedis().hget(KEYS.meta, "buildMs")) || null;
  const indexesStarted = performance.now();
  await refreshIndexes();
  const indexesMs = performance.now() - indexesStarted;
  const viewers = await pool.query<{ id: string }>(`SELECT "id" FROM "User" WHERE "email" LIKE '%@sim.invalid' AND "handle" LIKE 'sim%\\_u%' ORDER BY "id" LIMIT $1`, [count]);
  const times: number[] = [];
  let candidates = 0;
  for (const row of viewers.rows) {
    const started = performance.now();
    const result = await refreshCandidates(`u:${row.id}`);
    times.push(performance.now() - started);
    candidates += result.count;
  }
  // All active viewers: the active set is fed by live events, and the seeded history is not live. Mark `activeCount`
  // seeded viewers active now with no stored list (as after ten minutes without a refresh): the scheduled refresh's
  // worst case, every active viewer due at once.
  const active = await pool.query<{ id: string }>(`SELECT "id" FROM "User" WHERE "email" LIKE '%@sim.invalid' AND "handle" LIKE 'sim%\\_u%' ORDER BY "id" DESC LIMIT $1`, [activeCount]);
  const marking = getRedis().pipeline();
  for (const row of active.rows) marking.zadd(KEYS.active, Date.now(), `u:${row.id}`).del(KEYS.candidates(`u:${row.id}`));
  await marking.exec();
  const allStarted = performance.now();
  const all = await refreshActiveViewers();
  const allActiveMs = performance.now() - allStarted;
  // Unmarked again: the kept instance's worker would otherwise refresh them every ten minutes during the next run.
  if (active.rows.length > 0) await getRedis().zrem(KEYS.active, ...active.rows.map((row) => `u:${row.id}`));
  return {
    workerBuildMs,
    indexesMs,
    perViewerMedianMs: percentile(times, 0.5),
    perViewerP90Ms: percentile(times, 0.9),
    viewers: times.length,
    meanCandidates: candidates / Math.max(1, times.length),
    allActiveMs,
    activeViewers: all.viewers,
  };
}

function coresCell(phase: Phase): string {
  return [phase.webCores, phase.workerCores, phase.otherCores].map((cores) => cores?.toFixed(2) ?? "—").join(" / ");
}

function loopCell(loop: Phase["webLoop"]): string {
  return loop ? `${loop.maxDelayMs.toFixed(0)} ms, ${loop.p99DelayMs.toFixed(0)} ms; ${(loop.gcShare * 100).toFixed(1)} %` : "—";
}

export function printReport(report: FeedReport): void {
  const { seeding } = report;
  log("");
  log(
    seeding.reused
      ? "seeded data: reused from an earlier run"
      : `seeded data: ${seeding.seconds?.toFixed(0)} s to insert, ${seeding.foldSeconds?.toFixed(0)} s to fold analytics; the worker's relay to the real-time viewer state took ${seeding.consumersSeconds?.toFixed(0) ?? "?"} s`,
  );
  const byRoute = new Map(report.phases.map((phase) => [phase.route, phase]));
  // Each feed phase against the ping it ran in turn with.
  const ping = byRoute.get("/api/ping")!;
  const warmPing = byRoute.get(WARM_PING) ?? ping;
  const feed = byRoute.get(WARM_FEED) ?? byRoute.get("/api/feed?tab=foryou")!;
  const cold = byRoute.get("/api/feed?tab=foryou")!;
  log("");
  log(`| route (${report.options.concurrency} concurrent) | requests/s | p50 | p99 | p99 / ping p99 | failed | CPU meanwhile (cores): web / worker / rest | web event loop: longest stall, worst p99; GC share |`);
  log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const phase of report.phases) {
    const reference = phase.route === WARM_FEED || phase.route === WARM_PING ? warmPing : ping;
    log(`| GET ${phase.route} | ${phase.rps.toFixed(0)} | ${phase.p50.toFixed(1)} ms | ${phase.p99.toFixed(1)} ms | ${(phase.p99 / reference.p99).toFixed(2)} | ${phase.failed} | ${coresCell(phase)} | ${loopCell(phase.webLoop)} |`);
  }
  log("");
  log("| target | value | target | result |");
  log("| --- | ---: | --- | --- |");
  const verdict = (pass: boolean) => (pass ? "PASS" : "MISS");
  log(`| feed p99 (viewers with stored candidates) | ${feed.p99.toFixed(1)} ms | ≤ ${TARGETS.p99Ms} ms | ${verdict(feed.p99 <= TARGETS.p99Ms)} |`);
  log(`| feed p99 / ping p99 (viewers with stored candidates) | ${(feed.p99 / warmPing.p99).toFixed(2)} | ≤ ${TARGETS.p99VsTrivial}× | ${verdict(feed.p99 / warmPing.p99 <= TARGETS.p99VsTrivial)} |`);
  log(`| feed p99 / ping p99 (each viewer's first request) | ${(cold.p99 / ping.p99).toFixed(2)} | ≤ ${TARGETS.p99VsTrivial}× | ${verdict(cold.p99 / ping.p99 <= TARGETS.p99VsTrivial)} |`);
  if ("missing" in report.ranker) log(`| ranker, 1,000 candidates | not measured: ${report.ranker.missing} | ≤ ${TARGETS.rankMs} ms | — |`);
  else
    log(
      `| ranker ${report.ranker.version}, ${report.ranker.candidates} candidates (featurizeBatch + score, median) | ${report.ranker.medianMs.toFixed(2)} ms ` +
        `(of which featurize ${report.ranker.featurizeMs.toFixed(2)} ms; p90 ${report.ranker.p90Ms.toFixed(2)} ms; a plain JS dot-product loop over the same rows ${report.ranker.referenceMs.toFixed(3)} ms) | ≤ ${TARGETS.rankMs} ms | ${verdict(report.ranker.medianMs <= TARGETS.rankMs)} |`,
    );
  log("");
  if ("missing" in report.refresh) log(`candidate refresh: not measured: ${report.refresh.missing}`);
  else
    log(
      `candidate refresh: the worker's last scheduled index build ${report.refresh.workerBuildMs === null ? "—" : `${(report.refresh.workerBuildMs / 1000).toFixed(2)} s`}; ` +
        `a whole build with the slow indexes in this process (refreshIndexes) ${(report.refresh.indexesMs / 1000).toFixed(1)} s; ${report.refresh.perViewerMedianMs.toFixed(1)} ms per viewer ` +
        `(median of ${report.refresh.viewers} seeded viewers, p90 ${report.refresh.perViewerP90Ms.toFixed(1)} ms, ${report.refresh.meanCandidates.toFixed(0)} candidates each on average); ` +
        `all ${report.refresh.activeViewers} active viewers, every one due (refreshActiveViewers, the worker's minute-by-minute job, while the worker also runs) in ` +
        `${(report.refresh.allActiveMs / 1000).toFixed(1)} s (${(report.refresh.allActiveMs / Math.max(1, report.refresh.activeViewers)).toFixed(1)} ms each)`,
    );
}

function readOptions(argv: string[]): { options: FeedOptions; dataDir: string | null; fresh: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean" },
      fresh: { type: "boolean" },
      "data-dir": { type: "string" },
      videos: { type: "string" },
      users: { type: "string" },
      events: { type: "string" },
      concurrency: { type: "string" },
      seconds: { type: "string" },
      viewers: { type: "string" },
    },
    strict: true,
  });
  const options = { ...(values.quick ? QUICK : FULL) };
  for (const key of ["videos", "users", "events", "concurrency", "seconds", "viewers"] as const) {
    const value = values[key];
    if (value === undefined) continue;
    const parsed = Number(value.replaceAll("_", ""));
    if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`bench:feed: --${key} must be a whole number > 0 (got "${value}")`);
    options[key] = parsed;
  }
  return { options, dataDir: values["data-dir"] ?? null, fresh: values.fresh ?? false };
}

async function main(): Promise<void> {
  const { options, dataDir, fresh } = readOptions(process.argv.slice(2));
  ensureBuild(log);
  const dir = dataDir ?? path.join(tmpdir(), `flick-bench-feed-${options.videos}-${options.users}-${options.events}`);
  const report = await runFeedBenchmark(options, path.resolve(dir), fresh);
  printReport(report);
  log(`(instance data kept in ${dir} for the next run; --fresh seeds again)`);
  if (process.env.BENCH_REPORT_JSON) writeFileSync(process.env.BENCH_REPORT_JSON, JSON.stringify(report, null, 2));
  process.exit(0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
