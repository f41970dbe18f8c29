// Personal API tokens: `flk_` + 40 random base62 characters. Only a SHA-256 of the secret is stored (a fast hash is
// right here: the secret has ~238 bits of entropy, so it cannot be guessed, and every API request verifies one).
import { createHash, randomBytes } from "node:crypto";
import { getDb, Prisma, queryRows } from "../db";
import { AppError } from "../errors";
import type { Role } from "../generated/prisma/enums";
import type { AuthUser } from "./types";

const TOKEN_PREFIX = "flk_";
const TOKEN_BODY_LENGTH = 40;
const SHOWN_PREFIX_LENGTH = 10; // "flk_" + 6 characters: enough to tell tokens apart in a list, useless to an attacker
const LAST_USED_GRANULARITY_MS = 60_000;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export type ApiTokenSummary = {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
};

function generateSecret(): string {
  let body = "";
  while (body.length < TOKEN_BODY_LENGTH) {
    for (const byte of randomBytes(64)) {
      // 248 = 4 × 62: dropping bytes above it keeps every character equally likely.
      if (byte < 248 && body.length < TOKEN_BODY_LENGTH) body += BASE62[byte % 62];
    }
  }
  return TOKEN_PREFIX + body;
}

export function hashToken(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** Creates a token and returns its secret: the only moment the secret exists outside the caller's hands. */
export async function createApiToken(userId: string, name: string): Promise<{ token: string; summary: ApiTokenSummary }> {
  const token = generateSecret();
  const row = await getDb().apiToken.create({
    data: { userId, name, prefix: token.slice(0, SHOWN_PREFIX_LENGTH), tokenHash: hashToken(token) },
  });
  return { token, summary: toSummary(row) };
}

export async function listApiTokens(userId: string): Promise<ApiTokenSummary[]> {
  const rows = await getDb().apiToken.findMany({
    where: { userId, revokedAt: null },
    orderBy: { createdAt: "desc" },
  });
  return rows.map(toSummary);
}

export async function revokeApiToken(userId: string, tokenId: string): Promise<void> {
  const result = await getDb().apiToken.updateMany({
    where: { id: tokenId, userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (result.count === 0) throw new AppError("not_found", "No such token.");
}

/** The user a bearer secret belongs to, or null for an unknown, revoked or banned one. */
export async function authenticateApiToken(secret: string): Promise<AuthUser | null> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length !== TOKEN_PREFIX.length + TOKEN_BODY_LENGTH) return null;
  // Every API request asks this: one plain statement (lib/db.ts queryRows), the checks in SQL.
  const [row] = await queryRows<{ tokenId: string; stale: boolean; id: string; handle: string; name: string; role: Role }>(Prisma.sql`
    SELECT t."id" AS "tokenId", u."id", u."handle", u."name", u."role"::text AS "role",
      (t."lastUsedAt" IS NULL OR t."lastUsedAt" < (now() AT TIME ZONE 'UTC') - ${LAST_USED_GRANULARITY_MS}::int * interval '1 millisecond') AS "stale"
    FROM "ApiToken" t JOIN "User" u ON u."id" = t."userId"
    WHERE t."tokenHash" = ${hashToken(secret)} AND t."revokedAt" IS NULL AND u."status" = 'ACTIVE'`);
  if (!row) return null;
  if (row.stale) await queryRows(Prisma.sql`UPDATE "ApiToken" SET "lastUsedAt" = now() AT TIME ZONE 'UTC' WHERE "id" = ${row.tokenId}`);
  const { id, handle, name, role } = row;
  return { id, handle, name, role, via: "token", tokenId: row.tokenId };
}

function toSummary(row: ApiTokenSummary): ApiTokenSummary {
  return { id: row.id, name: row.name, prefix: row.prefix, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt };
}
