// `npm run seed:scale -- --videos 100000 --users 10000 --events 5000000`: fills this instance's database with
// synthetic metadata and events for benchmarks, without transcoding (bench/sim/seed.ts): accounts with follows,
// creators, one hashtag per topic, listed videos with VideoFeatures (their media files do not exist, so they list and
// hydrate but do not play), likes, comments, shares, and Event rows of plausible watching over the last days. Then it
// folds the new events into the analytics aggregates through the analytics consumer's code, so view counts and
// trending exist at once; the worker relays them to the real-time user state when it next runs.
//
// Refuses when an earlier run's data is there, unless --add is given, which adds another independent batch
// (new accounts, creators and videos under a new tag) beside it. Never deletes anything.
import { parseArgs } from "node:util";
import pg from "pg";
import { connectToInstanceDatabase, describeStartupError } from "./instance";

const USAGE = `Usage: npm run seed:scale -- [--videos N] [--users N] [--events N] [--creators N] [--days D] [--seed S] [--add]

  --videos    listed videos to create (default 100000)
  --users     viewer accounts to create (default 10000); creators are extra accounts, one per 40 videos by default
  --events    Event rows to create (default 5000000), spread over the last --days days (default 7)
  --seed      random seed (default 1): the same seed makes the same world
  --relay-days  the worker relays only the last D days of the new history to the real-time viewer state (default 1;
              0 relays everything, which takes the worker many minutes for millions of events)
  --add       add another batch when seeded data already exists (otherwise the command refuses)
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function count(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const parsed = Number(value.replaceAll("_", ""));
  if (!Number.isInteger(parsed) || parsed < min) fail(`--${name} must be a whole number ≥ ${min} (got "${value}").\n\n${USAGE}`);
  return parsed;
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      options: {
        videos: { type: "string" },
        users: { type: "string" },
        events: { type: "string" },
        creators: { type: "string" },
        days: { type: "string" },
        seed: { type: "string" },
        "relay-days": { type: "string" },
        add: { type: "boolean" },
        help: { type: "boolean" },
      },
      strict: true,
    });
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const videos = count(values.videos, "videos", 100_000, 1);
  const users = count(values.users, "users", 10_000, 1);
  const events = count(values.events, "events", 5_000_000);
  const creators = values.creators === undefined ? undefined : count(values.creators, "creators", 0, 1);
  const days = count(values.days, "days", 7, 1);
  const seed = count(values.seed, "seed", 1);
  const relayDays = count(values["relay-days"], "relay-days", 1);

  const log = (line: string) => process.stdout.write(`${line}\n`);
  const instance = await connectToInstanceDatabase((line) => process.stderr.write(`${line}\n`));
  Object.assign(process.env, instance.env);
  const { countSeeded, foldAnalytics, newTag, seedWorld, skipOldHistoryForRelay } = await import("../bench/sim/seed");
  // Bulk loading: commits need not wait for their WAL flush. A crash can lose the last statements, never corrupt
  // anything; a run cut short is then completed with --add.
  const pool = new pg.Pool({ connectionString: instance.env.DATABASE_URL, max: 3, options: "-c synchronous_commit=off" });
  try {
    const existing = await countSeeded(pool);
    if (existing.users > 0 || existing.videos > 0) {
      if (!values.add) {
        process.stderr.write(
          `This instance already has seeded data (${existing.users.toLocaleString("en")} accounts, ${existing.videos.toLocaleString("en")} videos from seed:scale). ` +
            `Nothing was changed.\nRun again with --add to add another batch beside it (new accounts and videos), or use a fresh DATA_DIR / database.\n`,
        );
        process.exitCode = 2;
        return;
      }
      log(`Adding a batch beside the existing seeded data (${existing.users.toLocaleString("en")} accounts, ${existing.videos.toLocaleString("en")} videos).`);
    }
    const tag = newTag();
    log(`Seeding ${videos.toLocaleString("en")} videos, ${users.toLocaleString("en")} viewers, ${events.toLocaleString("en")} events over ${days} days (tag ${tag}, seed ${seed}) …`);
    const world = await seedWorld(pool, { videos, users, events, creators, days, seed, tag, log });
    log("Folding the new events into the analytics aggregates (the analytics consumer's code) …");
    const { connectEventsSession } = await import("../lib/events/pg");
    const folded = await foldAnalytics(connectEventsSession, log);
    log(`Folded ${folded.events.toLocaleString("en")} events in ${folded.seconds.toFixed(1)} s (${Math.round(folded.events / Math.max(folded.seconds, 0.001)).toLocaleString("en")} events/s).`);
    if (relayDays > 0 && relayDays < days) {
      const skipped = await skipOldHistoryForRelay(pool, world.counts.events, relayDays);
      if (skipped === null) log("Events the worker had not relayed yet were already there, so the whole new history will be relayed to the real-time viewer state.");
      else log(`The real-time viewer state (Redis) gets the last ${relayDays} day(s) of the new history: ${skipped.toLocaleString("en")} older events are left out of the relay (they stay in PostgreSQL and in the aggregates).`);
    }
    log(`The worker relays ${relayDays > 0 && relayDays < days ? "them" : "the new events"} to the real-time viewer state when it next runs (minutes for millions of events).`);
  } finally {
    await pool.end();
    await instance.stop();
  }
  process.exit(process.exitCode ?? 0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${describeStartupError(error)}\n`);
  process.exit(1);
});
