// The admin CLI for self-hosters and scripts: `npm run flick -- <command> [options]`.
// Works whether or not the instance is running (it reuses or briefly starts the embedded PostgreSQL).
import { parseArgs } from "node:util";
import { z } from "zod";
import { connectToInstanceDatabase, describeStartupError } from "./instance";
import { isPortOpen } from "./local-services";

const USAGE = `Usage: npm run flick -- <command> [options]

Commands:
  user:create --handle H --email E --password P [--name N] [--role user|moderator|admin]
  user:role   --handle H --role user|moderator|admin
  token:create --handle H [--name N]     prints the new API token alone on the last line
  analytics:rebuild [--video ID]         recomputes creator analytics from the stored events: one video now
                                         (a full pass over the events table), or all of them in the background
  recs:cohorts [--hours N]               For You metrics per A/B cohort and strategy over the last N hours (24):
                                         impressions, mean watch fraction, completion, like and fast-skip rates
  recs:refresh                           rebuilds the recommender's indexes and active viewers' candidates now
                                         (needs the instance's Redis)
  recs:train [--full]                    trains the For You ranker now, prints its evaluation and whether it was
                                         promoted (--full: from scratch instead of from the promoted model)
  recs:rollback                          re-promotes the ranker version that served before the current one
  recs:embeddings                        learns viewer and video vectors from the events now
`;

const COMMANDS = ["user:create", "user:role", "token:create", "analytics:rebuild", "recs:cohorts", "recs:refresh", "recs:train", "recs:rollback", "recs:embeddings"];

const roleSchema = z
  .enum(["user", "moderator", "admin"], { message: "--role must be user, moderator or admin" })
  .transform((role) => role.toUpperCase() as "USER" | "MODERATOR" | "ADMIN");

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function required(values: Record<string, unknown>, key: string): string {
  const value = values[key];
  if (typeof value !== "string" || value === "") fail(`Missing --${key}.\n\n${USAGE}`);
  return value;
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || command === "help" || command === "--help") {
    process.stdout.write(USAGE);
    return;
  }
  if (!COMMANDS.includes(command)) fail(`Unknown command "${command}".\n\n${USAGE}`);
  const { values } = parseArgs({
    args: rest,
    options: {
      handle: { type: "string" },
      email: { type: "string" },
      password: { type: "string" },
      name: { type: "string" },
      role: { type: "string" },
      video: { type: "string" },
      hours: { type: "string" },
      full: { type: "boolean" }, // recs:train
    },
    strict: true,
  });
  const instance = await connectToInstanceDatabase((line) => process.stderr.write(`${line}\n`));
  Object.assign(process.env, instance.env);
  // Imported only now: these modules read configuration that the line above completed.
  const { signUpSchema, createUser, setUserRole, findUserByHandle } = await import("../lib/users");
  const { createApiToken } = await import("../lib/auth/tokens");
  const { closeDb } = await import("../lib/db");
  try {
    switch (command) {
      case "user:create": {
        const input = signUpSchema.safeParse({
          handle: required(values, "handle"),
          email: required(values, "email"),
          password: required(values, "password"),
          name: values.name,
        });
        if (!input.success) fail(input.error.issues.map((issue) => issue.message).join("\n"));
        const role = values.role === undefined ? undefined : roleSchema.safeParse(values.role);
        if (role && !role.success) fail(role.error.issues[0]?.message ?? "bad role");
        const user = await createUser({ ...input.data, role: role?.data });
        process.stdout.write(`Created @${user.handle} (${user.role.toLowerCase()}).\n`);
        break;
      }
      case "user:role": {
        const role = roleSchema.safeParse(required(values, "role"));
        if (!role.success) fail(role.error.issues[0]?.message ?? "bad role");
        const user = await setUserRole(required(values, "handle"), role.data);
        process.stdout.write(`@${user.handle} is now ${user.role.toLowerCase()}.\n`);
        break;
      }
      case "token:create": {
        const user = await findUserByHandle(required(values, "handle"));
        if (!user) fail(`No user @${values.handle}.`);
        const { token, summary } = await createApiToken(user.id, values.name ?? "CLI token");
        process.stderr.write(`Created token "${summary.name}" for @${user.handle}. It is shown once; keep it safe.\n`);
        process.stdout.write(`${token}\n`);
        break;
      }
      case "analytics:rebuild": {
        const { rebuildAllAnalytics, rebuildVideoAnalytics } = await import("../lib/analytics/rebuild");
        if (values.video) {
          const { events } = await rebuildVideoAnalytics([values.video]);
          process.stdout.write(`Rebuilt the analytics of video ${values.video} from ${events} events.\n`);
        } else {
          await rebuildAllAnalytics();
          process.stdout.write("Analytics cleared; the worker folds every stored event again, oldest first.\n");
        }
        break;
      }
      case "recs:cohorts": {
        const hours = values.hours === undefined ? 24 : Number(values.hours);
        if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 7) fail("--hours must be a number of hours above 0, at most 168 (a week).");
        const { cohortMetrics } = await import("../lib/recs/cohorts");
        const report = await cohortMetrics(hours);
        const percent = (value: number | null) => (value === null ? "-" : `${(value * 100).toFixed(1)} %`);
        process.stdout.write(`For You cohorts, last ${hours} h (since ${report.since}):\n`);
        if (report.cohorts.length === 0) process.stdout.write("  nothing served in this window\n");
        for (const row of report.cohorts) {
          process.stdout.write(
            `  ${row.cohort} (${row.strategy}): ${row.impressions} impressions, ${row.plays} plays, watch ${percent(row.meanWatchFraction)}, ` +
              `complete ${percent(row.completionRate)}, like ${percent(row.likeRate)}, fast skip ${percent(row.fastSkipRate)}\n`,
          );
        }
        break;
      }
      case "recs:refresh": {
        // The instance's Redis: REDIS_URL, or the private redis-server a running instance started.
        if (!process.env.REDIS_URL) {
          const port = instance.config.EMBEDDED_REDIS_PORT;
          if (!(await isPortOpen(port))) fail(`No Redis to refresh: set REDIS_URL, or start the instance (its Redis listens on port ${port}).`);
          process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
        }
        const { refreshIndexes, refreshActiveViewers } = await import("../lib/recs");
        const { closeRedis } = await import("../lib/redis");
        try {
          const report = await refreshIndexes({ slow: true });
          const { viewers } = await refreshActiveViewers();
          process.stdout.write(
            `Indexes rebuilt in ${report.ms} ms: ${report.videos} videos, ${report.hashtags} hashtags, ${report.creators} creators, ` +
              `${report.coengagement ?? 0} videos with neighbours, ${report.newcomer ?? 0} for newcomers; ${viewers} viewers' candidates refreshed.\n`,
          );
        } finally {
          await closeRedis();
        }
        break;
      }
      case "recs:train": {
        const { trainRanker, describeTrainResult } = await import("../lib/recs/training");
        process.stdout.write(describeTrainResult(await trainRanker({ full: values.full === true })));
        break;
      }
      case "recs:rollback": {
        const { rollbackRanker } = await import("../lib/recs/training");
        const { version, rolledBack } = await rollbackRanker();
        process.stdout.write(
          rolledBack
            ? `Rolled back ${rolledBack}; ${version === "prior" ? "the hand-set prior" : version} serves now (web processes reload it within seconds).\n`
            : "No ranker version is promoted; the hand-set prior already serves.\n",
        );
        break;
      }
      case "recs:embeddings": {
        const { trainEmbeddings } = await import("../lib/recs/embeddings");
        const result = await trainEmbeddings();
        process.stdout.write(`${result.version ? `Embeddings ${result.version}: ` : "Embeddings not trained: "}${result.message}.\n`);
        break;
      }
      default:
        fail(`Unknown command "${command}".\n\n${USAGE}`);
    }
  } finally {
    await closeDb();
    await instance.stop();
  }
}

main().catch((error) => {
  const code = (error as { code?: string }).code;
  if (error?.name === "AppError" || code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") fail(error.message);
  process.stderr.write(`${describeStartupError(error)}\n`);
  process.exit(1);
});
