// Event ingestion benchmark: N concurrent clients (keep-alive, each its own device and address, as phones would be)
// post batches of 20 events to POST /api/events for a while against a throwaway instance (the same services the test
// suite starts: PostgreSQL, Redis, `next start` and a worker whose consumers run meanwhile). Prints, next to a
// trivial JSON route (GET /api/ping) driven the same way in the same run:
//   - sustained events/s and requests/s, p50/p99 latency;
//   - events sent, accepted, and stored in PostgreSQL (must be equal: zero loss);
//   - how long the consumers took to catch up (stream relay, analytics fold) once the load stopped;
//   - CPU seconds each process used during each phase (where the time goes).
// Target (issue 5): ≥ 10,000 events/s with zero loss.
//
//   npm run bench:events
//   npm run bench:events -- --clients 64 --seconds 60 --batch 20
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { ensureBuild } from "../scripts/build";
import setup from "../tests/global-setup";
import { uuidv7 } from "../lib/events/uuid7";

const TARGET_EVENTS_PER_SECOND = 10_000;
const VIDEOS = 8;
const VIDEO_DURATION_MS = 15_000;
const WARMUP_SECONDS = 5;
// How long to wait for the consumers once the load stops, before reporting them as behind.
const CATCH_UP_LIMIT_MS = 120_000;

type Options = { clients: number; seconds: number; batch: number };

function readOptions(argv: string[]): Options {
  const options: Options = { clients: 32, seconds: 60, batch: 20 };
  for (let index = 0; index < argv.length; index += 2) {
    const key = argv[index]?.replace(/^--/, "") as keyof Options;
    const value = Number(argv[index + 1]);
    if (!(key in options) || !Number.isInteger(value) || value <= 0) throw new Error(`usage: bench:events [--clients N] [--seconds S] [--batch B]`);
    options[key] = value;
  }
  return options;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

type Client = { ip: string; cookie: string };
type PhaseResult = { requests: number; ok: number; failed: number; latencies: number[]; seconds: number; events: number; accepted: number; cpu: Map<string, number> };

const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

function request(base: URL, method: string, path: string, client: Client, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: {
          "x-forwarded-for": client.ip,
          cookie: client.cookie,
          ...(body ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        response.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** A batch as a watching phone sends it: mostly impressions and plays, a view's progress, some completions and skips. */
function makeBatch(videoIds: string[], size: number, sent: string[]): string {
  const now = Date.now();
  const events = [];
  for (let index = 0; index < size; index += 1) {
    const videoId = videoIds[(index * 7 + now) % videoIds.length]!;
    const id = uuidv7(now);
    sent.push(id);
    const kind = index % 10;
    if (kind < 3) events.push({ id, type: "impression", videoId, at: now, source: "foryou" });
    else if (kind < 6) events.push({ id, type: "play", videoId, at: now, source: kind === 5 ? "following" : "foryou" });
    else if (kind < 8) events.push({ id, type: "progress", videoId, at: now, source: "foryou", watchedMs: 4_000 + kind * 1_000, loops: 0 });
    else if (kind === 8) events.push({ id, type: "complete", videoId, at: now, source: "foryou" });
    else events.push({ id, type: "skip", videoId, at: now, source: "foryou", watchedMs: 900 });
  }
  return JSON.stringify({ events });
}

// CPU of this process's descendants (web, worker, PostgreSQL, Redis) and of itself, from /proc, in seconds.
const TICKS_PER_SECOND = 100;

function processTree(): Map<number, { ppid: number; name: string; cpu: number }> {
  const table = new Map<number, { ppid: number; name: string; cpu: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const fields = stat.slice(close + 2).split(" ");
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
      table.set(Number(entry), { ppid: Number(fields[1]), name: cmdline, cpu: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND });
    } catch {
      // the process ended meanwhile
    }
  }
  return table;
}

function roleOf(name: string, pid: number): string {
  if (pid === process.pid) return "bench clients";
  if (name.includes("next")) return "web (next start)";
  if (name.includes("workers/index.ts")) return "worker";
  if (name.includes("postgres")) return "PostgreSQL";
  if (name.includes("redis-server")) return "Redis";
  return "other";
}

function cpuByRole(): Map<string, number> {
  const table = processTree();
  const ours = new Set<number>([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, info] of table) {
      if (!ours.has(pid) && ours.has(info.ppid)) {
        ours.add(pid);
        grew = true;
      }
    }
  }
  const byRole = new Map<string, number>();
  for (const pid of ours) {
    const info = table.get(pid);
    if (!info) continue;
    const role = roleOf(info.name, pid);
    byRole.set(role, (byRole.get(role) ?? 0) + info.cpu);
  }
  const machine = readFileSync("/proc/stat", "utf8").split("\n")[0]!.split(/\s+/).slice(1, 8).map(Number);
  // Busy time of every core: everything but idle and iowait.
  byRole.set("whole machine", (machine.reduce((sum, value) => sum + value, 0) - machine[3]! - machine[4]!) / TICKS_PER_SECOND);
  return byRole;
}

/** CPU used meanwhile, per role, plus what the rest of the machine used. A process that ended takes its seconds with it,
 * so a role whose processes came and went can show less than it used (never below zero here). */
function cpuDelta(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const delta = new Map([...after].map(([role, seconds]) => [role, Math.max(0, seconds - (before.get(role) ?? 0))]));
  const ours = [...delta].filter(([role]) => role !== "whole machine").reduce((sum, [, seconds]) => sum + seconds, 0);
  delta.set("other processes on the machine", Math.max(0, (delta.get("whole machine") ?? 0) - ours));
  return delta;
}

async function drive(clients: Client[], seconds: number, send: (client: Client) => Promise<{ ok: boolean; events: number; accepted: number }>): Promise<PhaseResult> {
  const result: PhaseResult = { requests: 0, ok: 0, failed: 0, latencies: [], seconds, events: 0, accepted: 0, cpu: new Map() };
  const cpuBefore = cpuByRole();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        const sentAt = performance.now();
        const outcome = await send(client).catch(() => ({ ok: false, events: 0, accepted: 0 }));
        result.latencies.push(performance.now() - sentAt);
        result.requests += 1;
        result.events += outcome.events;
        result.accepted += outcome.accepted;
        if (outcome.ok) result.ok += 1;
        else result.failed += 1;
      }
    }),
  );
  result.seconds = (performance.now() - started) / 1000;
  result.cpu = cpuDelta(cpuBefore, cpuByRole());
  return result;
}

/** Averages from the web process's Prometheus metrics: request time of the events route, and its inserts. */
async function readWebMetrics(base: URL): Promise<{ requestMs: number; insertMs: number; inserts: number; rowsPerInsert: number }> {
  const text = await (await fetch(new URL("/api/metrics", base))).text();
  const sum = (pattern: RegExp) => [...text.matchAll(pattern)].reduce((total, match) => total + Number(match[1]), 0);
  const requestSeconds = sum(/^flick_http_request_duration_seconds_sum\{[^}]*route="\/api\/events"[^}]*\} (\S+)$/gm);
  const requests = sum(/^flick_http_request_duration_seconds_count\{[^}]*route="\/api\/events"[^}]*\} (\S+)$/gm);
  const insertSeconds = sum(/^flick_events_insert_duration_seconds_sum(?:\{[^}]*\})? (\S+)$/gm);
  const inserts = sum(/^flick_events_insert_duration_seconds_count(?:\{[^}]*\})? (\S+)$/gm);
  const rows = sum(/^flick_events_insert_rows_sum(?:\{[^}]*\})? (\S+)$/gm);
  return { requestMs: (requestSeconds / requests) * 1000, insertMs: (insertSeconds / inserts) * 1000, inserts, rowsPerInsert: rows / inserts };
}

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  ensureBuild(log);
  // The bench's clients are a few dozen devices on one machine: lift the per-device and per-IP limits for this instance.
  process.env.EVENTS_RATE_LIMIT = "100000000";
  process.env.EVENTS_IP_RATE_LIMIT = "100000000";
  const teardown = await setup();
  const { getDb } = await import("../lib/db");
  try {
    const base = new URL(process.env.TEST_BASE_URL!);
    const creator = await getDb().user.create({ data: { handle: `bench_${Date.now()}`, email: `bench${Date.now()}@example.com`, passwordHash: "x" } });
    const videoIds: string[] = [];
    for (let index = 0; index < VIDEOS; index += 1) {
      const video = await getDb().video.create({
        data: { authorId: creator.id, caption: `bench ${index} #bench`, status: "READY", moderation: "APPROVED", visibility: "PUBLIC", durationMs: VIDEO_DURATION_MS, mediaVersion: "a1-s0", publishedAt: new Date(), playableAt: new Date() },
      });
      videoIds.push(video.id);
    }
    const clients: Client[] = Array.from({ length: options.clients }, (_, index) => ({
      ip: `10.77.${Math.floor(index / 250)}.${(index % 250) + 1}`,
      cookie: `flick_device=${crypto.randomUUID()}`,
    }));
    const sentIds: string[] = [];
    const postBatch = async (client: Client) => {
      const body = makeBatch(videoIds, options.batch, sentIds);
      const response = await request(base, "POST", "/api/events", client, body);
      if (response.status !== 202) return { ok: false, events: options.batch, accepted: 0 };
      const parsed = JSON.parse(response.text) as { accepted: number; duplicates: number };
      return { ok: true, events: options.batch, accepted: parsed.accepted };
    };
    const ping = async (client: Client) => {
      const response = await request(base, "GET", "/api/ping", client);
      return { ok: response.status === 200, events: 0, accepted: 0 };
    };

    log(`${options.clients} clients, batches of ${options.batch}, ${options.seconds} s per phase, ${VIDEOS} videos`);
    log("warm-up …");
    await drive(clients, WARMUP_SECONDS, ping);
    const warm = await drive(clients, WARMUP_SECONDS, postBatch);
    log(`reference: GET /api/ping for ${options.seconds} s …`);
    const reference = await drive(clients, options.seconds, ping);
    log(`events: POST /api/events for ${options.seconds} s …`);
    const events = await drive(clients, options.seconds, postBatch);

    const metrics = await readWebMetrics(base);

    // Zero loss: every accepted event is a row, and nothing else is.
    const accepted = warm.accepted + events.accepted;
    const stored = await getDb().event.count();
    const sent = warm.events + events.events;
    const stopped = performance.now();
    const plays = await getDb().event.count({ where: { type: "PLAY" } });
    const caughtUp = async () => {
      const [folded, cursor] = await Promise.all([
        getDb().videoDailyStats.aggregate({ _sum: { views: true } }),
        getDb().$queryRaw<Array<{ behind: bigint }>>`SELECT count(*) AS behind FROM "Event" e, "EventCursor" c WHERE c."name" = 'stream' AND (e."txid", e."id") > (c."txid", c."eventId")`,
      ]);
      return { folded: folded._sum.views ?? 0, relayBehind: Number(cursor[0]?.behind ?? 0) };
    };
    let last = { folded: 0, relayBehind: 0 };
    let analyticsAt: number | null = null;
    let relayAt: number | null = null;
    while ((analyticsAt === null || relayAt === null) && performance.now() - stopped < CATCH_UP_LIMIT_MS) {
      const state = await caughtUp();
      last = state;
      if (state.folded > plays) break;
      if (analyticsAt === null && state.folded === plays) analyticsAt = (performance.now() - stopped) / 1000;
      if (relayAt === null && state.relayBehind === 0) relayAt = (performance.now() - stopped) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    const eventRate = events.accepted / events.seconds;
    const requestRate = events.requests / events.seconds;
    const pingRate = reference.requests / reference.seconds;
    const rows: Array<[string, string, string, string]> = [
      ["requests/s", requestRate.toFixed(0), pingRate.toFixed(0), (requestRate / pingRate).toFixed(2)],
      ["events/s (accepted)", eventRate.toFixed(0), "", `target ≥ ${TARGET_EVENTS_PER_SECOND}: ${eventRate >= TARGET_EVENTS_PER_SECOND ? "PASS" : "MISS"}`],
      ["latency p50", `${percentile(events.latencies, 0.5).toFixed(1)} ms`, `${percentile(reference.latencies, 0.5).toFixed(1)} ms`, (percentile(events.latencies, 0.5) / percentile(reference.latencies, 0.5)).toFixed(2)],
      ["latency p99", `${percentile(events.latencies, 0.99).toFixed(1)} ms`, `${percentile(reference.latencies, 0.99).toFixed(1)} ms`, (percentile(events.latencies, 0.99) / percentile(reference.latencies, 0.99)).toFixed(2)],
      ["failed requests", String(events.failed), String(reference.failed), ""],
    ];
    log("");
    log("| measurement | POST /api/events | GET /api/ping (reference) | ratio |");
    log("| --- | ---: | ---: | ---: |");
    for (const row of rows) log(`| ${row.join(" | ")} |`);
    log("");
    log("| zero loss | events |");
    log("| --- | ---: |");
    log(`| sent (warm-up + measured) | ${sent} |`);
    log(`| accepted (202) | ${accepted} |`);
    log(`| stored in PostgreSQL | ${stored} |`);
    log(`| result | ${stored === accepted && accepted === sent && new Set(sentIds).size === sentIds.length ? "PASS (sent = accepted = stored)" : "FAIL"} |`);
    log("");
    const limit = `more than ${CATCH_UP_LIMIT_MS / 1000}`;
    log(`consumers after the load stopped: analytics folded every play in ${analyticsAt?.toFixed(1) ?? limit} s, the stream relay caught up in ${relayAt?.toFixed(1) ?? limit} s`);
    if (last.folded > plays) log(`  ANALYTICS OVER-COUNTED: ${last.folded} views folded for ${plays} plays stored`);
    else if (analyticsAt === null || relayAt === null) log(`  still behind: ${plays - last.folded} plays not folded, ${last.relayBehind} events not relayed`);
    log("");
    log("| CPU seconds per phase | events phase | reference phase |");
    log("| --- | ---: | ---: |");
    for (const role of ["web (next start)", "PostgreSQL", "worker", "Redis", "bench clients", "other processes on the machine", "whole machine"]) {
      log(`| ${role} | ${(events.cpu.get(role) ?? 0).toFixed(1)} | ${(reference.cpu.get(role) ?? 0).toFixed(1)} |`);
    }
    log(`| (wall seconds) | ${events.seconds.toFixed(1)} | ${reference.seconds.toFixed(1)} |`);
    log("");
    log(`inside the web process (whole run): POST /api/events took ${metrics.requestMs.toFixed(1)} ms on average, of which the group-commit INSERT ${metrics.insertMs.toFixed(1)} ms (${metrics.inserts} inserts, ${metrics.rowsPerInsert.toFixed(0)} events each on average)`);
  } finally {
    agent.destroy();
    await teardown();
  }
  // In-process database connections would keep the script alive after the services stopped.
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
