// The one typed configuration of Flick, shared by web, workers, the CLI and the launcher. Read from process.env once,
// on first use (not at import, so `next build` works without a running instance). A wrong value stops start-up with
// a message naming the key. Every key is documented in .env.example.
import { z } from "zod";

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const flag = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "true" || value === "1" || value === "yes");

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: port.default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  ADMIN_HANDLE: z.string().optional(),
  TRUST_PROXY: flag.default(false),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  WORKER_METRICS_PORT: port.default(9464),
  EMBEDDED_POSTGRES_PORT: port.default(54329),
  EMBEDDED_REDIS_PORT: port.default(63790),
  // Sign-up: open to anyone, open but approved by an admin before first sign-in, or closed (accounts from the CLI).
  // The instance Setting "signup.mode" (PUT /api/admin/signup-mode) overrides this without a restart.
  SIGNUP_MODE: z.enum(["open", "approval", "closed"]).default("open"),
  // Abuse limits (lib/ratelimit.ts LIMITS). Per user (or account) and per client IP, so neither one account nor one
  // address with many accounts can flood. The per-IP figures are higher: a household or an office shares an address.
  SIGNIN_RATE_LIMIT: positiveInt.default(10),
  SIGNIN_ACCOUNT_RATE_LIMIT: positiveInt.default(20),
  SIGNUP_RATE_LIMIT: positiveInt.default(5),
  API_RATE_LIMIT: positiveInt.default(600),
  COMMENT_RATE_LIMIT: positiveInt.default(10),
  COMMENT_IP_RATE_LIMIT: positiveInt.default(60),
  LIKE_RATE_LIMIT: positiveInt.default(60),
  LIKE_IP_RATE_LIMIT: positiveInt.default(300),
  FOLLOW_RATE_LIMIT: positiveInt.default(30),
  FOLLOW_IP_RATE_LIMIT: positiveInt.default(150),
  REPORT_RATE_LIMIT: positiveInt.default(30),
  REPORT_IP_RATE_LIMIT: positiveInt.default(100),
  EVENTS_RATE_LIMIT: positiveInt.default(120),
  EVENTS_IP_RATE_LIMIT: positiveInt.default(3000),
  SESSION_MAX_AGE_DAYS: positiveInt.default(30),
  UPLOAD_MAX_BYTES: positiveInt.default(500 * 1024 * 1024),
  UPLOAD_MAX_DURATION_SECONDS: positiveInt.default(600),
  UPLOAD_RATE_LIMIT: positiveInt.default(30),
  UPLOAD_IP_RATE_LIMIT: positiveInt.default(60),
  STORAGE_QUOTA_BYTES: positiveInt.default(10 * 1024 * 1024 * 1024),
  EMBEDDING_MODEL_PATH: z.string().optional(),
  TRANSCODE_CONCURRENCY: positiveInt.default(1),
  SEED_DEMO: flag.default(true),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]+$/, "may use letters, digits, ':', '_' and '-'").default("flick:bull"),
  // Media storage (lib/storage): files on disk under DATA_DIR/media, or an S3-compatible bucket.
  STORAGE_DRIVER: z.enum(["local", "s3"]).default("local"),
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: flag.default(false),
  MEDIA_PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  // --- For You recommender, serving (lib/recs/config.ts) ---
  // A/B cohorts as name:strategy:weight, comma-separated; a viewer's cohort is a stable hash of their viewer key.
  RECS_COHORTS: z.string().regex(/^[a-z0-9_-]+:[a-z]+:\d+(,[a-z0-9_-]+:[a-z]+:\d+)*$/, "must look like main:full:90,control:trending:10").default("main:full:100"),
  // Who may pick a strategy with ?strategy= on GET /api/feed: staff (admins and moderators) or anyone (benchmarks).
  RECS_STRATEGY_PARAM: z.enum(["staff", "any"]).default("staff"),
  // Impressions every new video is guaranteed before its first viewers decide whether it reaches more (pool 0).
  RECS_EXPLORATION_BATCH: positiveInt.default(24),
  // For You positions per page reserved for the fresh-video exploration pools.
  RECS_EXPLORATION_SLOTS: z.coerce.number().int().min(0).max(5).default(1),
  // How often the worker rebuilds the global indexes (trending, per-hashtag, per-creator, signals), in seconds.
  RECS_INDEX_INTERVAL_SECONDS: positiveInt.default(30),
  // Recommender training: minutes between scheduled runs of vectors + ranker; 0 turns the schedule off
  // (training then runs only from `npm run flick -- recs:train`). Ten minutes: the loop learns from fresh watch
  // signals within minutes while a run (seconds on a small instance) never overlaps the next.
  RECS_TRAIN_INTERVAL_MINUTES: z.coerce.number().int().min(0).default(10),
}).superRefine((config, context) => {
  if (config.STORAGE_DRIVER === "s3" && !config.S3_BUCKET) {
    context.addIssue({ code: "custom", path: ["S3_BUCKET"], message: "is required when STORAGE_DRIVER=s3" });
  }
  if (!config.S3_ACCESS_KEY_ID !== !config.S3_SECRET_ACCESS_KEY) {
    const missing = config.S3_ACCESS_KEY_ID ? "S3_SECRET_ACCESS_KEY" : "S3_ACCESS_KEY_ID";
    context.addIssue({ code: "custom", path: [missing], message: "set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY together" });
  }
});

export type Config = z.infer<typeof schema> & { PUBLIC_URL: string };

export class ConfigError extends Error {}

let cached: Config | undefined;

/** Parses process.env (or the given source) and reports every wrong key by name. */
export function parseConfig(source: Record<string, string | undefined> = process.env): Config {
  const emptyAsUnset = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = schema.safeParse(emptyAsUnset);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration — ${problems.join("; ")}. See .env.example.`);
  }
  const config = result.data;
  return { ...config, PUBLIC_URL: (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, "") };
}

/** The configuration, read once per process. */
export function getConfig(): Config {
  cached ??= parseConfig();
  return cached;
}

/** A key the running app cannot do without (the launcher fills these in for the embedded default). */
export function requireSetting<K extends "DATABASE_URL" | "REDIS_URL" | "AUTH_SECRET">(key: K): string {
  const value = getConfig()[key];
  if (!value) throw new ConfigError(`${key} is not set. Start Flick with \`npm start\`, or set ${key} (see .env.example).`);
  return value;
}
