// Brings up what an instance needs before web or worker start: validated config, the auth secret, PostgreSQL and
// Redis (the configured ones, or private ones under DATA_DIR), and migrations. Used by `npm start` and the CLI.
import { existsSync } from "node:fs";
import path from "node:path";
import { ConfigError, parseConfig, type Config } from "../lib/env";
import {
  isPortOpen,
  migrateDatabase,
  readOrCreateSecret,
  requireBinaries,
  startEmbeddedPostgres,
  startPrivateRedis,
  type RunningService,
} from "./local-services";

export type Instance = {
  config: Config;
  /** The environment for child processes: every key the app needs, filled in. */
  env: NodeJS.ProcessEnv;
  stop: () => Promise<void>;
};

type Needs = { redis: boolean; binaries: string[]; log: (line: string) => void };

/** Reads ./.env into process.env (variables already set win), as Next does for the web role, so every role agrees. */
export function loadDotEnv(file = ".env"): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

export async function prepareInstance(needs: Needs): Promise<Instance> {
  loadDotEnv();
  const config = parseConfig(process.env);
  requireBinaries([...needs.binaries, ...(needs.redis && !config.REDIS_URL ? ["redis-server"] : [])]);
  const dataDir = path.resolve(config.DATA_DIR);
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PUBLIC_URL: config.PUBLIC_URL };
  env.AUTH_SECRET = config.AUTH_SECRET ?? readOrCreateSecret(path.join(dataDir, "auth-secret"));
  const started: RunningService[] = [];
  const stop = async () => {
    for (const service of started.reverse()) await service.stop().catch(() => undefined);
  };
  try {
    if (!config.DATABASE_URL) {
      needs.log(`Starting the embedded PostgreSQL (data in ${path.join(dataDir, "postgres")})…`);
      const postgres = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), port: config.EMBEDDED_POSTGRES_PORT });
      started.push(postgres);
      env.DATABASE_URL = postgres.url;
    }
    if (needs.redis && !config.REDIS_URL) {
      needs.log(`Starting a private redis-server (data in ${path.join(dataDir, "redis")})…`);
      const redis = await startPrivateRedis({ dataDir: path.join(dataDir, "redis"), port: config.EMBEDDED_REDIS_PORT, persist: true });
      started.push(redis);
      env.REDIS_URL = redis.url;
    }
    await migrateDatabase(env.DATABASE_URL!);
  } catch (error) {
    await stop();
    throw error;
  }
  return { config: parseConfig(env), env, stop };
}

/** For the CLI: reuse the embedded PostgreSQL of a running instance, or start it just for this command. */
export async function connectToInstanceDatabase(log: (line: string) => void): Promise<Instance> {
  loadDotEnv();
  const config = parseConfig(process.env);
  if (config.DATABASE_URL || !(await isPortOpen(config.EMBEDDED_POSTGRES_PORT))) {
    return prepareInstance({ redis: false, binaries: [], log });
  }
  const dataDir = path.resolve(config.DATA_DIR);
  const password = readOrCreateSecret(path.join(dataDir, "postgres-password"), 24);
  const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${config.EMBEDDED_POSTGRES_PORT}/flick`;
  const env = { ...process.env, DATABASE_URL: url, DATA_DIR: dataDir };
  env.AUTH_SECRET = config.AUTH_SECRET ?? readOrCreateSecret(path.join(dataDir, "auth-secret"));
  return { config: parseConfig(env), env, stop: async () => undefined };
}

export function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  if (error instanceof Error && error.name === "SetupError") return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
