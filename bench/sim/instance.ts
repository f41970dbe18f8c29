// A benchmark instance: PostgreSQL and a private Redis with their data under one directory, then `next start` and a
// worker on free ports, configured the way a benchmark needs (`?strategy=` honoured for everyone, rate limits out of
// the way of a few hundred simulated viewers on one address). Unlike the test suite's throwaway services, the data
// directory may be kept and reused, so a scale instance is seeded once and measured many times (bench:feed).
//
// Order: start the databases and migrate (`startDatabases`), seed while nothing else competes for the two cores, then
// `startApp` (web + worker).
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { findFreePort, migrateDatabase, readOrCreateSecret, startEmbeddedPostgres, startNodeProcess, startPrivateRedis, stopNodeProcess, waitFor } from "../../scripts/local-services";

// What is running, newest last, so Ctrl-C (or a kill) stops web, worker, Redis and PostgreSQL instead of orphaning them.
const running: Array<() => Promise<void>> = [];
let handlersInstalled = false;

function track(stop: () => Promise<void>): () => Promise<void> {
  running.push(stop);
  if (!handlersInstalled) {
    handlersInstalled = true;
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => {
        void (async () => {
          for (const stopOne of [...running].reverse()) await stopOne().catch(() => undefined);
          process.exit(130);
        })();
      });
    }
  }
  return async () => {
    const index = running.indexOf(stop);
    if (index !== -1) running.splice(index, 1);
    await stop();
  };
}

export type BenchDatabases = { databaseUrl: string; redisUrl: string; stop: () => Promise<void> };
export type BenchApp = { baseUrl: string; env: NodeJS.ProcessEnv; pids: { web: number | null; worker: number | null }; stop: () => Promise<void> };

// Limits a phone's player never reaches, lifted because hundreds of simulated viewers share one address and one
// process: the benchmark measures the recommender, not the abuse limits (which have their own tests).
const LIFTED_LIMITS = {
  API_RATE_LIMIT: "100000000",
  LIKE_RATE_LIMIT: "100000000",
  LIKE_IP_RATE_LIMIT: "100000000",
  FOLLOW_RATE_LIMIT: "100000000",
  FOLLOW_IP_RATE_LIMIT: "100000000",
  EVENTS_RATE_LIMIT: "100000000",
  EVENTS_IP_RATE_LIMIT: "100000000",
  COMMENT_RATE_LIMIT: "100000000",
  COMMENT_IP_RATE_LIMIT: "100000000",
};

export async function startDatabases(dataDir: string, log: (line: string) => void): Promise<BenchDatabases> {
  mkdirSync(dataDir, { recursive: true });
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), port: await findFreePort() });
  let redis;
  try {
    // Persistent like an instance's own Redis: the real-time viewer state survives a reuse of the directory.
    redis = await startPrivateRedis({ dataDir: path.join(dataDir, "redis"), port: await findFreePort(), persist: true });
    log(`databases up (data in ${dataDir}); migrating …`);
    await migrateDatabase(postgres.url);
  } catch (error) {
    await redis?.stop();
    await postgres.stop();
    throw error;
  }
  Object.assign(process.env, { DATABASE_URL: postgres.url, REDIS_URL: redis.url });
  return {
    databaseUrl: postgres.url,
    redisUrl: redis.url,
    stop: track(async () => {
      await redis.stop();
      await postgres.stop();
    }),
  };
}

/** Starts web and worker against the databases; `extraEnv` goes to both (e.g. RECS_STRATEGY_PARAM). */
export async function startApp(databases: BenchDatabases, dataDir: string, extraEnv: Record<string, string> = {}): Promise<BenchApp> {
  const port = await findFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const logDir = path.join(dataDir, "logs");
  mkdirSync(logDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databases.databaseUrl,
    REDIS_URL: databases.redisUrl,
    AUTH_SECRET: readOrCreateSecret(path.join(dataDir, "auth-secret")),
    PUBLIC_URL: baseUrl,
    NEXTAUTH_URL: baseUrl,
    // Simulated viewers are told apart by X-Forwarded-For where an address matters.
    TRUST_PROXY: "true",
    DATA_DIR: path.join(dataDir, "data"),
    WORKER_METRICS_PORT: String(await findFreePort()),
    LOG_LEVEL: "warn",
    SEED_DEMO: "false",
    NEXT_TELEMETRY_DISABLED: "1",
    // Benchmarks compare strategies side by side (lib/recs: `?strategy=` for everyone, not only admins).
    RECS_STRATEGY_PARAM: "any",
    ...LIFTED_LIMITS,
    ...extraEnv,
  };
  Object.assign(process.env, env);
  const processes = [
    startNodeProcess("web", ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], env, logDir),
    startNodeProcess("worker", ["--import", "tsx", "workers/index.ts"], env, logDir),
  ];
  await waitFor("the benchmark's web server", async () => (await fetch(`${baseUrl}/api/health`)).status === 200, 120_000);
  return {
    baseUrl,
    env,
    pids: { web: processes[0]!.pid ?? null, worker: processes[1]!.pid ?? null },
    stop: track(async () => void (await Promise.all(processes.map(stopNodeProcess)))),
  };
}


/**
 * Waits until the worker has relayed every event to the stream and the user-state consumers have read them all (the
 * viewers' real-time state is complete), and until analytics folded them. Returns the seconds it took, or null when
 * `limitMs` passed first.
 */
export async function waitForConsumers(pool: import("pg").Pool, redis: import("ioredis").Redis, limitMs: number): Promise<number | null> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    const behind = await pool.query<{ relay: string; analytics: string }>(`
      SELECT (SELECT count(*) FROM "Event" e, "EventCursor" c WHERE c."name" = 'stream' AND (e."txid", e."id") > (c."txid", c."eventId")) AS relay,
             (SELECT count(*) FROM "Event" e, "EventCursor" c WHERE c."name" = 'analytics' AND (e."txid", e."id") > (c."txid", c."eventId")) AS analytics`);
    const cursors = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "EventCursor" WHERE "name" IN ('stream', 'analytics')`);
    // Every group has been delivered the stream's last entry and acknowledged all (the groups' "lag" counter is not
    // used: after a restart from the append-only file it can stay above zero for a group that has read everything).
    const lastId = (await redis.xinfo("STREAM", "flick:events").catch(() => null)) as unknown[] | null;
    const streamLast = lastId ? String(lastId[lastId.indexOf("last-generated-id") + 1]) : null;
    const groups = (await redis.xinfo("GROUPS", "flick:events").catch(() => [])) as unknown[][];
    const lag = groups.reduce((sum: number, group) => {
      const fields = new Map<string, unknown>();
      for (let index = 0; index + 1 < group.length; index += 2) fields.set(String(group[index]), group[index + 1]);
      const behindStream = streamLast !== null && String(fields.get("last-delivered-id")) !== streamLast ? 1 : 0;
      return sum + behindStream + Number(fields.get("pending") ?? 0);
    }, 0);
    const row = behind.rows[0]!;
    if (Number(cursors.rows[0]!.n) === 2 && Number(row.relay) === 0 && Number(row.analytics) === 0 && lag === 0) return (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return null;
}

export function randomSuffix(): string {
  return randomBytes(4).toString("hex");
}
