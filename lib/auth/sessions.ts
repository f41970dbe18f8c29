// Browser sessions. The next-auth cookie holds a signed JWT whose `sid` names a row here; a session is valid only
// while that row is unexpired and unrevoked and its user is active. That makes sign-out, "end all sessions" and bans
// take effect on the very next request, which a bare JWT cannot do.
import { getDb, Prisma, queryRows } from "../db";
import { getConfig } from "../env";
import { AppError } from "../errors";
import type { Role } from "../generated/prisma/enums";
import type { AuthUser } from "./types";

const LAST_SEEN_GRANULARITY_MS = 60_000; // write lastSeenAt at most once a minute per session, not on every request

export async function createSession(userId: string, client: { userAgent?: string; ip?: string }): Promise<string> {
  const maxAgeMs = getConfig().SESSION_MAX_AGE_DAYS * 86_400_000;
  const session = await getDb().session.create({
    data: {
      userId,
      userAgent: (client.userAgent ?? "").slice(0, 300),
      ip: (client.ip ?? "").slice(0, 64),
      expiresAt: new Date(Date.now() + maxAgeMs),
    },
  });
  return session.id;
}

/** The signed-in user behind a session id, or null when the session ended or the account may not sign in. */
export async function findSessionUser(sessionId: string): Promise<AuthUser | null> {
  // Every signed-in request asks this: one plain statement (lib/db.ts queryRows), the checks in SQL.
  const [row] = await queryRows<{ stale: boolean; id: string; handle: string; name: string; role: Role }>(Prisma.sql`
    SELECT u."id", u."handle", u."name", u."role"::text AS "role",
      s."lastSeenAt" < (now() AT TIME ZONE 'UTC') - ${LAST_SEEN_GRANULARITY_MS}::int * interval '1 millisecond' AS "stale"
    FROM "Session" s JOIN "User" u ON u."id" = s."userId"
    WHERE s."id" = ${sessionId} AND s."revokedAt" IS NULL AND s."expiresAt" > (now() AT TIME ZONE 'UTC') AND u."status" = 'ACTIVE'`);
  if (!row) return null;
  if (row.stale) await queryRows(Prisma.sql`UPDATE "Session" SET "lastSeenAt" = now() AT TIME ZONE 'UTC' WHERE "id" = ${sessionId}`);
  const { id, handle, name, role } = row;
  return { id, handle, name, role, via: "session", sessionId };
}

export async function revokeSession(sessionId: string): Promise<void> {
  await getDb().session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}

export async function revokeUserSessions(userId: string): Promise<number> {
  const result = await getDb().session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  return result.count;
}

/**
 * Ends every session of the account except `keepSessionId` (the caller's own browser, when it asks through one; an
 * API-token caller has none, so every session ends). Used by "sign out everywhere else" and by password changes.
 */
export async function revokeOtherSessions(userId: string, keepSessionId: string | undefined): Promise<number> {
  const result = await getDb().session.updateMany({
    where: { userId, revokedAt: null, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
    data: { revokedAt: new Date() },
  });
  return result.count;
}

export type SessionSummary = {
  id: string;
  userAgent: string;
  ip: string;
  createdAt: string;
  lastSeenAt: string;
  /** The session this request came through ("this device"). */
  current: boolean;
};

/** The account's signed-in browsers (unexpired, unrevoked), most recently seen first. */
export async function listActiveSessions(userId: string, currentSessionId: string | undefined): Promise<SessionSummary[]> {
  const rows = await getDb().session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
  });
  return rows.map((row) => ({
    id: row.id,
    userAgent: row.userAgent,
    ip: row.ip,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    current: row.id === currentSessionId,
  }));
}

/** Ends one of the account's own sessions; someone else's, or one already ended, is a 404 like an unknown id. */
export async function revokeOwnSession(userId: string, sessionId: string): Promise<void> {
  const result = await getDb().session.updateMany({
    where: { id: sessionId, userId, revokedAt: null, expiresAt: { gt: new Date() } },
    data: { revokedAt: new Date() },
  });
  if (result.count === 0) throw new AppError("not_found", "No such session: it may have ended already.");
}

/** Deletes sessions that ended more than a day ago; run by the maintenance queue. */
export async function deleteEndedSessions(now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - 86_400_000);
  const result = await getDb().session.deleteMany({
    where: { OR: [{ expiresAt: { lt: cutoff } }, { revokedAt: { lt: cutoff } }] },
  });
  return result.count;
}
