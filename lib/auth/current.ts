// Who is asking: from an `Authorization: Bearer` API token, or from the session cookie. Used by the route wrapper and
// by server components alike.
import { decode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { requireSetting } from "../env";
import { AppError } from "../errors";
import { SESSION_COOKIE } from "./options";
import { findSessionUser } from "./sessions";
import { authenticateApiToken } from "./tokens";
import type { AuthUser } from "./types";

async function userFromSessionCookie(cookieValue: string | undefined): Promise<AuthUser | null> {
  if (!cookieValue) return null;
  const token = await decode({ token: cookieValue, secret: requireSetting("AUTH_SECRET") }).catch(() => null);
  if (!token || typeof token.sid !== "string") return null;
  return findSessionUser(token.sid);
}

/** The signed-in user of the current page render, or null. */
export async function getSessionUser(): Promise<AuthUser | null> {
  const store = await cookies();
  return userFromSessionCookie(store.get(SESSION_COOKIE)?.value);
}

/**
 * The user behind a request. A request that presents a bearer token must present a valid one (401 otherwise), even
 * on routes that also serve anonymous callers: a script with a revoked token should learn so, not get anonymous data.
 */
export async function authenticateRequest(request: Request): Promise<AuthUser | null> {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw new AppError("unauthorized", "The Authorization header must be `Bearer <token>`.");
    const user = await authenticateApiToken(match[1]);
    if (!user) throw new AppError("unauthorized", "That API token is not valid (unknown, revoked, or its account is suspended).");
    return user;
  }
  const store = await cookies();
  return userFromSessionCookie(store.get(SESSION_COOKIE)?.value);
}
