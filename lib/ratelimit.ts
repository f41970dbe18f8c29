// Fixed-window rate limits in Redis (rate-limiter-flexible), shared by every web replica.
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "./errors";
import { getLogger } from "./logger";
import { getRedis } from "./redis";

export type RateLimit = {
  /** Names the limit in Redis keys and logs, e.g. "signin". */
  name: string;
  /** Requests allowed per window. */
  points: number;
  /** Window length in seconds. */
  windowSeconds: number;
};

const limiters = new Map<string, RateLimiterRedis>();
// ioredis connection states in which Redis is known to be unreachable (after a first connection was attempted).
const REDIS_DOWN = new Set(["reconnecting", "close", "end"]);
// One warning per limit and interval while Redis is down, not one per request.
const DOWN_WARNING_INTERVAL_MS = 10_000;
const lastDownWarning = new Map<string, number>();

function warnLimiterDown(name: string): void {
  const now = Date.now();
  if (now - (lastDownWarning.get(name) ?? 0) < DOWN_WARNING_INTERVAL_MS) return;
  lastDownWarning.set(name, now);
  getLogger().warn({ limit: name }, "rate limiter unavailable (Redis is down); requests allowed");
}

function getLimiter(limit: RateLimit): RateLimiterRedis {
  const id = `${limit.name}:${limit.points}:${limit.windowSeconds}`;
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = new RateLimiterRedis({
      storeClient: getRedis(),
      keyPrefix: `flick:rl:${limit.name}`,
      points: limit.points,
      duration: limit.windowSeconds,
    });
    limiters.set(id, limiter);
  }
  return limiter;
}

/**
 * Counts one request against `key` (an IP, a user id) and throws a 429 AppError with `retryAfter` seconds once the
 * window is spent. When Redis itself fails the request is let through and the failure logged: an outage of the limiter
 * must not lock every person out (/api/health reports Redis as down meanwhile).
 */
export async function consumeRateLimit(limit: RateLimit, key: string): Promise<void> {
  // While the connection is down, a command would wait in ioredis's queue for its retries (seconds, once the
  // reconnect back-off has grown) before failing: let the request through at once instead.
  if (REDIS_DOWN.has(getRedis().status)) {
    warnLimiterDown(limit.name);
    return;
  }
  try {
    await getLimiter(limit).consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      const retryAfter = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      throw new AppError("rate_limited", `Too many requests. Try again in ${retryAfter} seconds.`, { retryAfter });
    }
    getLogger().warn({ err: error, limit: limit.name }, "rate limiter unavailable; request allowed");
  }
}
