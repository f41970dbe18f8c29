// Sign-in limits: attempts per client IP (LIMITS.signin) and failed attempts per account from anywhere
// (LIMITS.signinFailures). They are checked in front of next-auth (app/api/auth/[...nextauth]/route.ts), so a refused
// attempt is a real 429 with Retry-After rather than one more "wrong password"; failures are counted after next-auth
// has checked the password (lib/auth/options.ts).
import { getConfig } from "../env";
import { isAppError, type AppError } from "../errors";
import { assertRateLimitLeft, consumeRateLimits, LIMITS, rateLimitKey, recordRateLimitHit, resetRateLimit } from "../ratelimit";
import { clientIp } from "../request-ip";
import { findAccountIdByLogin } from "../users/accounts";

const CREDENTIALS_CALLBACK = "/api/auth/callback/credentials";

/** Whose failures an attempt counts against: the account the login names, or the login itself when none does. */
async function accountKey(login: string): Promise<string> {
  const normalized = login.trim().toLowerCase();
  const userId = await findAccountIdByLogin(normalized);
  const [limit] = LIMITS.signinFailures();
  return userId ? rateLimitKey(limit!, { userId, ip: "" }) : `login:${normalized}`;
}

async function readLogin(request: Request): Promise<string> {
  try {
    const form = await request.clone().formData();
    const login = form.get("login");
    return typeof login === "string" ? login.slice(0, 300) : "";
  } catch {
    return "";
  }
}

/**
 * A 429 for a sign-in attempt over a limit, or null to let next-auth handle it. The answer also carries next-auth's
 * `url` (with the sentence as `error`), which is what next-auth's signIn() in the browser reads.
 */
export async function refuseSignInAttempt(request: Request): Promise<Response | null> {
  if (request.method !== "POST" || new URL(request.url).pathname !== CREDENTIALS_CALLBACK) return null;
  const [failures] = LIMITS.signinFailures();
  try {
    await consumeRateLimits(LIMITS.signin(), { userId: null, ip: clientIp(request.headers) });
    const login = await readLogin(request);
    if (login) await assertRateLimitLeft(failures!, await accountKey(login));
    return null;
  } catch (error) {
    if (isAppError(error) && error.code === "rate_limited") return refusal(error);
    throw error;
  }
}

function refusal(error: AppError): Response {
  const url = `${getConfig().PUBLIC_URL}/sign-in?error=${encodeURIComponent(error.message)}`;
  const retryAfter = String(error.details?.retryAfter ?? 60);
  return Response.json({ error: { code: error.code, message: error.message, ...error.details }, url }, { status: 429, headers: { "Retry-After": retryAfter } });
}

/** A wrong password (or an unknown login) counts against the account's failure budget. */
export async function recordSignInFailure(login: string): Promise<void> {
  const [failures] = LIMITS.signinFailures();
  await recordRateLimitHit(failures!, await accountKey(login));
}

/** A correct password clears the account's failures, so its owner starts each sign-in with the full budget. */
export async function clearSignInFailures(login: string): Promise<void> {
  const [failures] = LIMITS.signinFailures();
  await resetRateLimit(failures!, await accountKey(login));
}
