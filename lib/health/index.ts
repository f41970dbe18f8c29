// Instance health for /api/health: database, Redis and the worker's last heartbeat.
import { getDb } from "../db";
import { HEARTBEAT_STALE_MS, readHeartbeat } from "../jobs/heartbeat";
import { getRedis } from "../redis";

const CHECK_TIMEOUT_MS = 2_000; // a health probe must answer quickly even when a dependency hangs

export type HealthReport = {
  ok: boolean;
  db: { ok: boolean; error?: string };
  redis: { ok: boolean; error?: string };
  worker: { ok: boolean; lastHeartbeat: string | null; ageMs: number | null };
};

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)),
  ]);
}

async function check(what: string, probe: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  try {
    await withTimeout(probe(), what);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export async function checkHealth(): Promise<HealthReport> {
  const [db, redis] = await Promise.all([
    check("database", () => getDb().$executeRaw`SELECT 1`),
    check("redis", () => getRedis().ping()),
  ]);
  const beat = redis.ok ? await withTimeout(readHeartbeat(), "redis").catch(() => null) : null;
  const ageMs = beat ? Date.now() - Date.parse(beat.at) : null;
  const worker = { ok: ageMs !== null && ageMs < HEARTBEAT_STALE_MS, lastHeartbeat: beat?.at ?? null, ageMs };
  return { ok: db.ok && redis.ok && worker.ok, db, redis, worker };
}
