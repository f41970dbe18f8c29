// Prisma CLI configuration. The CLI's native schema engine cannot be fetched here, so migrations run through
// Prisma's bundled wasm schema engine over the pg driver adapter (see docs/DEVELOPERS.md).
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaPg({ connectionString: requireDatabaseUrl(), Client: CatalogClient }),
});

function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: the Prisma CLI needs a database to migrate.");
  return url;
}

// The wasm schema engine (6.19) reads pg_catalog columns of the internal type "char" (OID 18) when it describes a
// database, and adapter-pg 7 refuses to map that type. Its values arrive as plain strings, so reporting them as
// text (OID 25) is exact. Only the CLI uses this client; the app never selects such columns.
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

function retypeCharFields<T>(result: T): T {
  for (const r of Array.isArray(result) ? result : [result]) {
    for (const field of (r as pg.QueryResult | undefined)?.fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
  }
  return result;
}

class CatalogClient extends pg.Client {
  // pg-pool calls query(text, values, callback); direct callers get a promise. Both paths are retyped.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const callbackIndex = args.findIndex((arg) => typeof arg === "function");
    if (callbackIndex >= 0) {
      const callback = args[callbackIndex];
      args[callbackIndex] = (error: Error | null, result: unknown) => callback(error, result && retypeCharFields(result));
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    const pending = (super.query as (...a: unknown[]) => unknown)(...args);
    return pending instanceof Promise ? pending.then(retypeCharFields) : pending;
  }
}
