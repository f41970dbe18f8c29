// Redis connections. The shared client serves commands (rate limits, heartbeats, caches); BullMQ gets connections
// of its own because blocking commands must not share a socket with anything else.
import { Redis, type RedisOptions } from "ioredis";
import { requireSetting } from "./env";

const globalForRedis = globalThis as unknown as { flickRedis?: Redis };

/** A new connection. BullMQ workers need `maxRetriesPerRequest: null` so blocking reads are never cut short. */
export function createRedis(options: RedisOptions = {}): Redis {
  return new Redis(requireSetting("REDIS_URL"), {
    // Give up a single command after 2 retries so a request fails fast (and /api/health reports it) when Redis is down.
    maxRetriesPerRequest: 2,
    // Connect on first command, so importing this module never opens sockets (next build, CLI commands without Redis).
    lazyConnect: true,
    ...options,
  });
}

export function getRedis(): Redis {
  globalForRedis.flickRedis ??= createRedis();
  return globalForRedis.flickRedis;
}

export async function closeRedis(): Promise<void> {
  const client = globalForRedis.flickRedis;
  globalForRedis.flickRedis = undefined;
  if (client) await client.quit().catch(() => client.disconnect());
}
