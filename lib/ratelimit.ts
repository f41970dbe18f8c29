// Fixed-window rate limits in Redis (rate-limiter-flexible), shared by every web replica, and LIMITS: every abuse
// limit of the instance by name, so each one is found, configured (lib/env.ts) and tested in one place.
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { getConfig } from "./env";
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
  /**
   * Whom the window counts: "actor" is the signed-in account (the client IP when anonymous), "ip" is always the client
   * IP, so many accounts from one address share it, and "viewer" is the account, else the browser's anonymous device
   * id (flick_device), else the IP: signed-out viewers behind one address each get their own. Defaults to "actor".
   */
  per?: "actor" | "ip" | "viewer";
};

/** Who is asking, as the limits count them. */
export type RateLimitSubject = { userId: string | null; ip: string; deviceId?: string | null };

const MINUTE = 60;
const HOUR = 3600;

/**
 * Every abuse limit, by action. Read per request (not at import, so `next build` needs no configuration). Each action
 * that other people feel (comments, likes, follows, reports, uploads) is counted per account and per IP: one account
 * cannot flood, and neither can one address with a handful of accounts.
 */
export const LIMITS = {
  /** Every API request without a limit of its own: a ceiling no person reaches by hand. */
  api: () => [{ name: "api", points: getConfig().API_RATE_LIMIT, windowSeconds: MINUTE }],
  /** Account creation, per address: sign-up is anonymous, so the address is all there is to count. */
  signup: () => [{ name: "signup", per: "ip", points: getConfig().SIGNUP_RATE_LIMIT, windowSeconds: HOUR }],
  /** Sign-in attempts per address (password guessing from one place). */
  signin: () => [{ name: "signin", per: "ip", points: getConfig().SIGNIN_RATE_LIMIT, windowSeconds: MINUTE }],
  /**
   * Failed sign-ins per account, from anywhere (guessing one person's password from many addresses). Only failures
   * count and a success clears the count, so the owner is never locked out by their own correct sign-ins.
   */
  signinFailures: () => [{ name: "signin-account", points: getConfig().SIGNIN_ACCOUNT_RATE_LIMIT, windowSeconds: HOUR }],
  /** Uploads started (tus creations): each one reserves disk and, once published, a transcode. */
  upload: () => [
    { name: "upload", points: getConfig().UPLOAD_RATE_LIMIT, windowSeconds: HOUR },
    { name: "upload-ip", per: "ip", points: getConfig().UPLOAD_IP_RATE_LIMIT, windowSeconds: HOUR },
  ],
  /** Comments and replies: a burst window, as spam arrives in bursts. */
  comment: () => [
    { name: "comment", points: getConfig().COMMENT_RATE_LIMIT, windowSeconds: MINUTE },
    { name: "comment-ip", per: "ip", points: getConfig().COMMENT_IP_RATE_LIMIT, windowSeconds: MINUTE },
  ],
  /** Likes and unlikes of videos and comments together: toggling re-notifies, so both directions count. */
  like: () => [
    { name: "like", points: getConfig().LIKE_RATE_LIMIT, windowSeconds: MINUTE },
    { name: "like-ip", per: "ip", points: getConfig().LIKE_IP_RATE_LIMIT, windowSeconds: MINUTE },
  ],
  /** Follows and unfollows: follow/unfollow churn is the classic way to farm attention. */
  follow: () => [
    { name: "follow", points: getConfig().FOLLOW_RATE_LIMIT, windowSeconds: MINUTE },
    { name: "follow-ip", per: "ip", points: getConfig().FOLLOW_IP_RATE_LIMIT, windowSeconds: MINUTE },
  ],
  /**
   * Viewer signals (POST /api/events): a player sends a batch every few seconds, so per viewer; and per IP whatever
   * device id a client claims, since inventing a new one per request is free.
   */
  events: () => [
    { name: "events", per: "viewer", points: getConfig().EVENTS_RATE_LIMIT, windowSeconds: MINUTE },
    { name: "events-ip", per: "ip", points: getConfig().EVENTS_IP_RATE_LIMIT, windowSeconds: MINUTE },
  ],
  /** Reports are cheap to send and costly to review: a tight hourly budget keeps the queue for real problems. */
  report: () => [
    { name: "reports", points: getConfig().REPORT_RATE_LIMIT, windowSeconds: HOUR },
    { name: "reports-ip", per: "ip", points: getConfig().REPORT_IP_RATE_LIMIT, windowSeconds: HOUR },
  ],
} satisfies Record<string, () => RateLimit[]>;

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

function rateLimited(msBeforeNext: number): AppError {
  const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError("rate_limited", `Too many requests. Try again in ${retryAfter} seconds.`, { retryAfter });
}

/** The key a limit counts `subject` under. */
export function rateLimitKey(limit: RateLimit, subject: RateLimitSubject): string {
  if (limit.per !== "ip" && subject.userId) return `user:${subject.userId}`;
  if (limit.per === "viewer" && subject.deviceId) return `device:${subject.deviceId}`;
  return `ip:${subject.ip}`;
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
    if (error instanceof RateLimiterRes) throw rateLimited(error.msBeforeNext);
    getLogger().warn({ err: error, limit: limit.name }, "rate limiter unavailable; request allowed");
  }
}

/** Counts one request against each limit, under the key each one counts by; the first spent one answers 429. */
export async function consumeRateLimits(limits: RateLimit[], subject: RateLimitSubject): Promise<void> {
  for (const limit of limits) await consumeRateLimit(limit, rateLimitKey(limit, subject));
}

/** Throws the 429 when `key` has spent `limit` already, without counting this request (for failure-only limits). */
export async function assertRateLimitLeft(limit: RateLimit, key: string): Promise<void> {
  try {
    const state = await getLimiter(limit).get(key);
    if (state && state.consumedPoints >= limit.points) throw rateLimited(state.msBeforeNext);
  } catch (error) {
    if (error instanceof AppError) throw error;
    getLogger().warn({ err: error, limit: limit.name }, "rate limiter unavailable; request allowed");
  }
}

/** Counts one failure against `key` without refusing anything now: the next assertRateLimitLeft does that. */
export async function recordRateLimitHit(limit: RateLimit, key: string): Promise<void> {
  try {
    await getLimiter(limit).penalty(key, 1);
  } catch (error) {
    getLogger().warn({ err: error, limit: limit.name }, "rate limiter unavailable; failure not counted");
  }
}

/** Forgets what `key` has spent (a successful sign-in clears its failures). */
export async function resetRateLimit(limit: RateLimit, key: string): Promise<void> {
  try {
    await getLimiter(limit).delete(key);
  } catch (error) {
    getLogger().warn({ err: error, limit: limit.name }, "rate limiter unavailable; count not reset");
  }
}
