// Plain pg connections for the events path, beside Prisma's pool (lib/db.ts). Two reasons: ingestion is one statement
// with array parameters on the hottest path of the app, where Prisma's raw-query layer only adds per-call work; and
// the consumers hold a session-level advisory lock for leadership, which needs one connection of their own.
import pg from "pg";
import { requireSetting } from "../env";
import { getLogger } from "../logger";

const globalForEvents = globalThis as unknown as { flickEventsPool?: pg.Pool };

// The writer keeps at most two inserts in flight (lib/events/store.ts); one spare for a slow connect.
const POOL_SIZE = 3;

/** The pool ingestion writes through. */
export function getEventsPool(): pg.Pool {
  if (!globalForEvents.flickEventsPool) {
    const pool = new pg.Pool({ connectionString: requireSetting("DATABASE_URL"), max: POOL_SIZE });
    // An idle client that loses its server (a restart) emits here; without a listener the process would crash. Only
    // the message: the error carries the whole pg client, which filled a screen per connection.
    pool.on("error", (error) => getLogger().warn({ reason: error.message }, "events: idle database connection lost"));
    globalForEvents.flickEventsPool = pool;
  }
  return globalForEvents.flickEventsPool;
}

/** A dedicated session, for a consumer that holds an advisory lock while it runs. */
export async function connectEventsSession(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: requireSetting("DATABASE_URL") });
  client.on("error", (error) => getLogger().warn({ reason: error.message }, "events: consumer database connection lost"));
  await client.connect();
  return client;
}

export async function closeEventsPool(): Promise<void> {
  const pool = globalForEvents.flickEventsPool;
  globalForEvents.flickEventsPool = undefined;
  await pool?.end();
}
