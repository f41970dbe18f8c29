// Starts what the whole suite shares: a throwaway PostgreSQL database, Redis, the built web app (`next start`) and a
// worker, all on free ports, and hands their addresses to the tests through environment variables.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  dropDatabase,
  ensureDatabase,
  findFreePort,
  migrateDatabase,
  shutdownRedisOnPort,
  startEmbeddedPostgres,
  startNodeProcess,
  startPrivateRedis,
  stopNodeProcess,
  waitFor,
  type RunningService,
} from "../scripts/local-services";
import { buildTinyImageModel } from "./fixtures/onnx";


export default async function setup(): Promise<() => Promise<void>> {
  const scratch = mkdtempSync(path.join(tmpdir(), "flick-test-"));
  const cleanups: Array<() => Promise<void>> = [];
  const logDir = path.resolve("test-results");
  mkdirSync(logDir, { recursive: true });

  let databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const url = new URL(databaseUrl);
    url.pathname = `/flick_test_${randomBytes(5).toString("hex")}`;
    databaseUrl = url.toString();
    await ensureDatabase(databaseUrl);
    const created = databaseUrl;
    cleanups.push(() => dropDatabase(created));
  } else {
    const postgres: RunningService = await startEmbeddedPostgres({ dataDir: path.join(scratch, "postgres"), port: await findFreePort() });
    databaseUrl = postgres.url;
    cleanups.push(postgres.stop);
  }
  await migrateDatabase(databaseUrl);

  let redisUrl = process.env.REDIS_URL;
  // Set only for a Redis the suite owns: a test may then stop it and start it again on the same port and directory.
  let redisDir: string | undefined;
  if (!redisUrl) {
    redisDir = path.join(scratch, "redis");
    const redisPort = await findFreePort();
    const redis = await startPrivateRedis({ dataDir: redisDir, port: redisPort, persist: false });
    redisUrl = redis.url;
    cleanups.push(async () => {
      await redis.stop();
      // The one a test restarted is not our child process; stop it by its port.
      await shutdownRedisOnPort(redisPort);
    });
  }

  // A tiny real ONNX model, so the features job runs the embedding step end to end.
  const embeddingModel = path.join(scratch, "tiny-embedding.onnx");
  await buildTinyImageModel(embeddingModel, {});
  // The same mean-colour model as the moderation classifier: its first output is a frame's mean red, so an all-red
  // clip scores ~1 and is held at the default 0.9 threshold, while the test pattern clips score far below.
  const classifierModel = path.join(scratch, "tiny-classifier.onnx");
  await buildTinyImageModel(classifierModel, {});

  const port = await findFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    PUBLIC_URL: baseUrl,
    NEXTAUTH_URL: baseUrl,
    // Tests pick their client address with X-Forwarded-For so rate limits can be exercised without tripping others.
    TRUST_PROXY: "true",
    DATA_DIR: path.join(scratch, "data"),
    WORKER_METRICS_PORT: String(await findFreePort()),
    LOG_LEVEL: "warn",
    // Small limits so "too long" and "too large" can be tested with small generated files.
    UPLOAD_MAX_BYTES: String(200 * 1024 * 1024),
    UPLOAD_MAX_DURATION_SECONDS: "10",
    SEED_DEMO: "false",
    // No scheduled training: a model promoted in the background mid-suite would change other tests' For You order.
    // Tests that need training run it themselves.
    RECS_TRAIN_INTERVAL_MINUTES: "0",
    EMBEDDING_MODEL_PATH: embeddingModel,
    MODERATION_MODEL_PATH: classifierModel,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  Object.assign(process.env, env, { TEST_BASE_URL: baseUrl }, redisDir ? { TEST_REDIS_DIR: redisDir } : {});

  const processes = [
    startNodeProcess("web", ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"], env, logDir),
    startNodeProcess("worker", ["--import", "tsx", "workers/index.ts"], env, logDir),
  ];
  await waitFor("the test web server", async () => (await fetch(`${baseUrl}/api/health`)).status === 200, 90_000);

  return async () => {
    await Promise.all(processes.map(stopNodeProcess));
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  };
}

