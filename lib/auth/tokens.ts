// Personal API tokens: `flk_` + 40 random base62 characters. Only a SHA-256 of the secret is stored (a fast hash is
// right here: the secret has ~238 bits of entropy, so it cannot be guessed, and every API request verifies one).
import { createHash, randomBytes } from "node:crypto";
import { getDb } from "../db";
import { AppError } from "../errors";
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
  const row = await getDb().apiToken.findUnique({ where: { tokenHash: hashToken(secret) }, include: { user: true } });
  if (!row || row.revokedAt || row.user.status !== "ACTIVE") return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
    await getDb().apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  const { id, handle, name, role } = row.user;
  return { id, handle, name, role, via: "token", tokenId: row.id };
}

function toSummary(row: ApiTokenSummary): ApiTokenSummary {
  return { id: row.id, name: row.name, prefix: row.prefix, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt };
}
