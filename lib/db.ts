// The Prisma client over the pg driver adapter: one per process, reused across Next's hot reloads. Beside it, a
// plain pg pool for the few statements every request runs (queryRows).
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient, type Prisma } from "./generated/prisma/client";
import { requireSetting } from "./env";
import { getLogger } from "./logger";

export { Prisma } from "./generated/prisma/client";
export type * from "./generated/prisma/client";

const globalForDb = globalThis as unknown as { flickDb?: PrismaClient; flickSqlPool?: pg.Pool };

// Connections of the plain pool: its statements take a millisecond or two, so a few serve 50 concurrent requests
// (Prisma's own pool, pg's default of 10, stays for everything else).
const SQL_POOL_SIZE = 6;
// pg's type id of `timestamp` (without time zone), the column type of Prisma's DateTime.
const TIMESTAMP_OID = 1114;
// Prisma stores DateTime in UTC in a column without a zone; pg alone would read it as local time.
const UTC_TYPES = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID ? (value: string) => new Date(`${value.replace(" ", "T")}Z`) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

// The worker's connections run each statement on one core: PostgreSQL would otherwise split a big scan (the index
// builds' scans of a week of events, training's reads) over parallel workers, on a two-core machine both cores, for
// little gain (the co-engagement build at 100k videos: 5.4 s parallel, 5.6 s serial) while the web serves from the
// same cores. The web's statements are small and never planned parallel.
const WORKER_SESSION = "-c max_parallel_workers_per_gather=0";

/** Session settings for this process's connections (FLICK_ROLE names its role: web or worker). */
function sessionOptions(): string | undefined {
  return process.env.FLICK_ROLE === "worker" ? WORKER_SESSION : undefined;
}

function createDb(): PrismaClient {
  const adapter = new PrismaPg({ connectionString: requireSetting("DATABASE_URL"), options: sessionOptions() });
  return new PrismaClient({ adapter });
}

export function getDb(): PrismaClient {
  globalForDb.flickDb ??= createDb();
  return globalForDb.flickDb;
}

function getSqlPool(): pg.Pool {
  if (!globalForDb.flickSqlPool) {
    const pool = new pg.Pool({ connectionString: requireSetting("DATABASE_URL"), max: SQL_POOL_SIZE, options: sessionOptions() });
    // An idle client that loses its server (a restart) emits here; without a listener the process would crash. Only
    // the message: the error carries the whole pg client, which filled a screen per connection.
    pool.on("error", (error) => getLogger().warn({ reason: error.message }, "db: idle database connection lost"));
    globalForDb.flickSqlPool = pool;
  }
  return globalForDb.flickSqlPool;
}

/**
 * The rows of one statement, run without Prisma: for the few statements on every request's path (who is asking, For
 * You's lists and its page's items). Prisma's per-call work (its query compiler runs in WebAssembly, raw SQL included)
 * costs 0.8–2 ms of CPU a call against 0.2 ms for the same statement here (measured on the bench:feed instance), more
 * than the statements themselves. Takes a `Prisma.sql` template, so statements compose and stay parameterised; pass
 * no Date values (pg would send them in local time): do time arithmetic in SQL. Timestamps come back as the UTC
 * Dates Prisma gives.
 */
export async function queryRows<T extends object>(query: Prisma.Sql): Promise<T[]> {
  const result = await getSqlPool().query<T>({ text: query.text, values: query.values, types: UTC_TYPES });
  return result.rows;
}

/** Closes the pools; for the CLI, workers and tests that must exit cleanly. */
export async function closeDb(): Promise<void> {
  await globalForDb.flickDb?.$disconnect();
  globalForDb.flickDb = undefined;
  const pool = globalForDb.flickSqlPool;
  globalForDb.flickSqlPool = undefined;
  await pool?.end();
}

/** Prisma's unique-constraint violation, so callers can turn it into a 409 without reading message text. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
