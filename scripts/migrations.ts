// Authoring migrations from prisma/schema.prisma, and checking that the two agree. Prisma's wasm schema engine (the
// only one that runs here) replays the migrations into the database named by DATABASE_URL to compare them with the
// schema, so this always hands it a throwaway database and drops it afterwards.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { dropDatabase, ensureDatabase, findFreePort, startEmbeddedPostgres } from "./local-services";

export type SchemaDiff = { changed: boolean; sql: string };

/** A fresh, empty database for the duration of `use`: on DATABASE_URL's server when set, else an embedded one. */
export async function withThrowawayDatabase<T>(use: (url: string) => Promise<T>): Promise<T> {
  const base = process.env.DATABASE_URL;
  if (base) {
    const url = new URL(base);
    url.pathname = `/flick_scratch_${randomBytes(6).toString("hex")}`;
    await ensureDatabase(url.toString());
    try {
      return await use(url.toString());
    } finally {
      await dropDatabase(url.toString());
    }
  }
  const dir = mkdtempSync(path.join(tmpdir(), "flick-scratch-"));
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(dir, "postgres"), port: await findFreePort() });
  try {
    return await use(postgres.url);
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** SQL that would bring a database built from `migrationsDir` up to `schemaPath`; empty when they agree. */
export async function diffMigrationsToSchema(options: { schemaPath?: string; migrationsDir?: string } = {}): Promise<SchemaDiff> {
  const schemaPath = options.schemaPath ?? "prisma/schema.prisma";
  const migrationsDir = options.migrationsDir ?? "prisma/migrations";
  return withThrowawayDatabase(async (url) => {
    const args = ["node_modules/prisma/build/index.js", "migrate", "diff", "--from-migrations", migrationsDir];
    args.push("--to-schema-datamodel", schemaPath, "--script", "--exit-code");
    const result = spawnSync(process.execPath, args, {
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    });
    // --exit-code: 0 = no difference, 2 = difference, anything else = failure.
    if (result.status === 0) return { changed: false, sql: "" };
    if (result.status === 2) return { changed: true, sql: result.stdout };
    throw new Error(`prisma migrate diff failed (exit ${result.status}):\n${result.stderr || result.stdout}`);
  });
}
