// The Prisma client over the pg driver adapter: one per process, reused across Next's hot reloads.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { requireSetting } from "./env";

export { Prisma } from "./generated/prisma/client";
export type * from "./generated/prisma/client";

const globalForDb = globalThis as unknown as { flickDb?: PrismaClient };

function createDb(): PrismaClient {
  const adapter = new PrismaPg({ connectionString: requireSetting("DATABASE_URL") });
  return new PrismaClient({ adapter });
}

export function getDb(): PrismaClient {
  globalForDb.flickDb ??= createDb();
  return globalForDb.flickDb;
}

/** Closes the pool; for the CLI, workers and tests that must exit cleanly. */
export async function closeDb(): Promise<void> {
  await globalForDb.flickDb?.$disconnect();
  globalForDb.flickDb = undefined;
}

/** Prisma's unique-constraint violation, so callers can turn it into a 409 without reading message text. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
