// Bulk synthetic data for an instance, without transcoding: hashtags (one per topic), accounts (viewers and
// creators) with follows, listed videos (READY, PUBLIC, APPROVED, with a mediaVersion and VideoFeatures, so the feed
// lists and hydrates them; their media files do not exist), likes, comments and shares, and Event rows of plausible
// watching driven by the viewers' latent topic interests (bench/sim/world.ts), spread over recent days.
//
// Everything goes in with multi-row INSERT … SELECT FROM unnest(…) statements of tens of thousands of rows (the same
// shape as event ingestion), two in flight, so generation in Node and inserting in PostgreSQL overlap. Used by
// `npm run seed:scale` (scripts/seed-scale.ts) and by the benchmarks (bench/recs.ts, bench/feed.ts), which keep the
// returned world to know the ground truth of every video.
import { createHash, randomBytes } from "node:crypto";
import type pg from "pg";
import { createUuidv7 } from "../../lib/events/uuid7";
import {
  createRng,
  makeCreators,
  makeUsers,
  makeVideos,
  pickWeighted,
  simulateView,
  TOPICS,
  type Rng,
  type SimCreator,
  type SimUser,
  type SimVideo,
} from "./world";

export type SeedOptions = {
  videos: number;
  users: number;
  events: number;
  /** Creators; default one per 40 videos (at least 20). */
  creators?: number;
  /** Events are spread over the last `days` days; videos over the last 4 × `days`. */
  days: number;
  seed: number;
  /** No video younger than this (hours); default 0. */
  minVideoAgeHours?: number;
  /** Prefix of every handle and id this run creates (lower-case letters and digits), so runs can be told apart. */
  tag: string;
  log: (line: string) => void;
};

export type SeededWorld = {
  tag: string;
  creators: Array<SimCreator & { userId: string }>;
  videos: Array<SimVideo & { id: string }>;
  users: Array<SimUser & { userId: string }>;
  counts: { users: number; follows: number; videos: number; events: number; likes: number; comments: number; shares: number };
};

// Rows per statement: ~2–4 MB of parameters, where a statement's fixed costs stop mattering and memory stays small.
const ROWS_PER_INSERT = 20_000;
// Two statements in flight: one being generated and sent while PostgreSQL works through the other.
const IN_FLIGHT = 2;
// A week in 1,000 slices is ~10 minutes: how far from time order the seeded events may be (skipOldHistoryForRelay's
// cut is that precise).
const TIME_SLICES = 1_000;
// Share of views that are not interest-driven (a feed's exploration, a shared link): they produce the skips.
const RANDOM_VIEW_SHARE = 0.25;
// Viewers follow up to this many creators, mostly of topics they love.
const MAX_FOLLOWS = 12;

/** Accounts and videos earlier seeding runs created (their e-mails end in @sim.invalid, their videos' mediaVersion is "sim"). */
export async function countSeeded(pool: pg.Pool): Promise<{ users: number; videos: number }> {
  const result = await pool.query<{ users: string; videos: string }>(`
    SELECT (SELECT count(*) FROM "User" WHERE "email" LIKE '%@sim.invalid') AS users,
           (SELECT count(*) FROM "Video" WHERE "mediaVersion" = 'sim') AS videos`);
  const row = result.rows[0]!;
  return { users: Number(row.users), videos: Number(row.videos) };
}

/** A tag for a new run: "sim" + five base-36 characters of the clock (unique per 60 ms, plenty for runs). */
export function newTag(): string {
  return `sim${Math.floor(Date.now() / 60).toString(36).slice(-5)}`;
}

class Inserter {
  private inFlight: Array<Promise<unknown>> = [];
  rows = 0;
  /** Seconds generation waited for PostgreSQL: where the time goes. */
  waitedSeconds = 0;
  constructor(private readonly pool: pg.Pool) {}

  async add(sql: string, columns: unknown[][]): Promise<void> {
    const count = columns[0]?.length ?? 0;
    if (count === 0) return;
    if (this.inFlight.length >= IN_FLIGHT) {
      const waitFrom = performance.now();
      await this.inFlight.shift();
      this.waitedSeconds += (performance.now() - waitFrom) / 1000;
    }
    const pending = this.pool.query(sql, columns).then(() => {
      this.rows += count;
    });
    // A failed statement is reported by drain() (and by the await above), never left unhandled.
    pending.catch(() => undefined);
    this.inFlight.push(pending);
  }

  async drain(): Promise<void> {
    const pending = this.inFlight;
    this.inFlight = [];
    await Promise.all(pending);
  }
}

const SQL = {
  hashtags: `INSERT INTO "Hashtag" ("id", "name") SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT ("name") DO NOTHING`,
  users: `INSERT INTO "User" ("id", "handle", "email", "passwordHash", "name", "updatedAt", "createdAt")
    SELECT id, handle, email, '!', name, now(), now() - interval '60 days' FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(id, handle, email, name)`,
  follows: `INSERT INTO "Follow" ("followerId", "followeeId") SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
  videos: `INSERT INTO "Video" ("id", "authorId", "caption", "status", "visibility", "moderation", "progress", "durationMs", "width", "height",
      "fps", "mediaVersion", "playableAt", "publishedAt", "createdAt", "updatedAt")
    SELECT id, author, caption, 'READY', 'PUBLIC', 'APPROVED', 1, duration, 1080, 1920, 30, 'sim', at, at, at, now()
    FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::timestamp[]) AS t(id, author, caption, duration, at)`,
  videoHashtags: `INSERT INTO "VideoHashtag" ("videoId", "hashtagId") SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
  features: `INSERT INTO "VideoFeatures" ("videoId", "durationMs", "aspect", "fps", "loudnessLufs", "sceneCutRate", "motion", "brightness",
      "colorfulness", "phash", "textTokens", "embedding", "updatedAt")
    SELECT id, duration, 0.5625, 30, loudness, cuts, motion, brightness, colorfulness, phash, '{}', '{}', now()
    FROM unnest($1::text[], $2::int[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::bigint[])
      AS t(id, duration, loudness, cuts, motion, brightness, colorfulness, phash)`,
  // txid: the inserting transaction's id, the consumers' reading order (lib/events/store.ts does the same).
  events: `INSERT INTO "Event" ("id", "txid", "at", "receivedAt", "type", "source", "videoId", "userId", "watchedMs", "loops")
    SELECT e.id, (SELECT pg_current_xact_id()::text::bigint), e.at, e.at, e.type::"EventType", e.source::"EventSource", e.video_id, e.user_id, e.watched_ms, e.loops
    FROM unnest($1::uuid[], $2::timestamp[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[])
      AS e(id, at, type, source, video_id, user_id, watched_ms, loops)
    ON CONFLICT ("id") DO NOTHING`,
  likes: `INSERT INTO "Like" ("userId", "videoId", "createdAt") SELECT * FROM unnest($1::text[], $2::text[], $3::timestamp[]) ON CONFLICT DO NOTHING`,
  shares: `INSERT INTO "Share" ("id", "videoId", "userId", "createdAt") SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamp[])`,
  comments: `INSERT INTO "Comment" ("id", "videoId", "authorId", "body", "createdAt") SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamp[])`,
};

// The latest view starts this long before now, so all of its events (up to two passes of 90 s, a like) are past.
const VIEW_END_MARGIN_MS = 10 * 60_000;

/** Timestamps go in as UTC ISO strings cast to timestamp, the UTC wall time Prisma stores, whatever the host's zone. */
const iso = (ms: number) => new Date(ms).toISOString();

const COMMENTS = ["love this", "so good", "again!", "how did you do that", "saving this", "best one yet", "haha", "wow"];

/** Seeds the world; returns it with the database ids of everything created. */
export async function seedWorld(pool: pg.Pool, options: SeedOptions): Promise<SeededWorld> {
  const { tag, log } = options;
  const rng = createRng(options.seed);
  const now = Date.now();
  const started = performance.now();
  const inserter = new Inserter(pool);
  const phase = async (name: string, run: () => Promise<number>) => {
    const at = performance.now();
    const rows = await run();
    await inserter.drain();
    const seconds = (performance.now() - at) / 1000;
    log(`  ${name}: ${rows.toLocaleString("en")} rows in ${seconds.toFixed(1)} s (${Math.round(rows / Math.max(seconds, 0.001)).toLocaleString("en")} rows/s)`);
  };

  // Hashtags: one per topic, shared with any other run (ON CONFLICT keeps the existing row).
  await pool.query(SQL.hashtags, [TOPICS.map(() => `h${randomBytes(10).toString("hex")}`), [...TOPICS]]);
  const hashtagRows = await pool.query<{ id: string; name: string }>(`SELECT "id", "name" FROM "Hashtag" WHERE "name" = ANY($1::text[])`, [[...TOPICS]]);
  const hashtagIdOf = new Map(hashtagRows.rows.map((row) => [row.name, row.id]));

  const creatorCount = options.creators ?? Math.max(20, Math.round(options.videos / 40));
  const creators = makeCreators(rng, creatorCount).map((creator) => ({ ...creator, userId: `${tag}c${creator.index}` }));
  const users = makeUsers(rng, options.users).map((user) => ({ ...user, userId: `${tag}u${user.index}` }));
  const videos = makeVideos(rng, creators, options.videos, options.days * 24 * 4, 0, options.minVideoAgeHours ?? 0).map((video) => ({ ...video, id: `${tag}v${video.index}` }));

  await phase("accounts", async () => {
    const all = [...creators.map((creator) => ({ id: creator.userId, handle: `${tag}_c${creator.index}`, name: `${TOPICS[creator.topic]} creator ${creator.index}` })),
      ...users.map((user) => ({ id: user.userId, handle: `${tag}_u${user.index}`, name: `viewer ${user.index}` }))];
    for (let start = 0; start < all.length; start += ROWS_PER_INSERT) {
      const chunk = all.slice(start, start + ROWS_PER_INSERT);
      await inserter.add(SQL.users, [chunk.map((row) => row.id), chunk.map((row) => row.handle), chunk.map((row) => `${row.handle}@sim.invalid`), chunk.map((row) => row.name)]);
    }
    return all.length;
  });

  const creatorsByTopic = TOPICS.map((_, topic) => creators.filter((creator) => creator.topic === topic));
  let followCount = 0;
  await phase("follows", async () => {
    let followers: string[] = [];
    let followees: string[] = [];
    const flush = async () => {
      await inserter.add(SQL.follows, [followers, followees]);
      followers = [];
      followees = [];
    };
    for (const user of users) {
      const wanted = Math.floor(rng() * (MAX_FOLLOWS + 1));
      const chosen = new Set<string>();
      for (let attempt = 0; attempt < wanted * 2 && chosen.size < wanted; attempt += 1) {
        const topic = pickWeighted(rng, user.interests);
        const pool = creatorsByTopic[topic]!;
        if (pool.length > 0) chosen.add(pool[Math.floor(rng() * pool.length)]!.userId);
      }
      for (const followee of chosen) {
        followers.push(user.userId);
        followees.push(followee);
      }
      followCount += chosen.size;
      if (followers.length >= ROWS_PER_INSERT) await flush();
    }
    await flush();
    return followCount;
  });

  await phase("videos (+ hashtags, features)", async () => {
    for (let start = 0; start < videos.length; start += ROWS_PER_INSERT) {
      const chunk = videos.slice(start, start + ROWS_PER_INSERT);
      const ids = chunk.map((video) => video.id);
      await inserter.add(SQL.videos, [
        ids,
        chunk.map((video) => creators[video.creator]!.userId),
        chunk.map((video) => `${TOPICS[video.topic]} clip ${video.index} #${TOPICS[video.topic]}`),
        chunk.map((video) => video.durationSec * 1000),
        chunk.map((video) => iso(now - video.ageHours * 3600_000)),
      ]);
      await inserter.drain(); // hashtags and features reference the video rows
      await inserter.add(SQL.videoHashtags, [ids, chunk.map((video) => hashtagIdOf.get(TOPICS[video.topic]!)!)]);
      await inserter.add(SQL.features, [
        ids,
        chunk.map((video) => video.durationSec * 1000),
        chunk.map(() => -14 - 6 * rng()),
        chunk.map(() => 0.05 + 0.5 * rng()),
        chunk.map(() => rng()),
        chunk.map(() => 0.2 + 0.6 * rng()),
        chunk.map(() => 0.2 + 0.6 * rng()),
        chunk.map(() => String(BigInt.asIntN(64, BigInt(`0x${randomBytes(8).toString("hex")}`)))),
      ]);
    }
    return videos.length * 3;
  });

  const counts = { users: creators.length + users.length, follows: followCount, videos: videos.length, events: 0, likes: 0, comments: 0, shares: 0 };
  await phase("events (+ likes, comments, shares)", async () => {
    const generated = await seedEvents(inserter, rng, { users, videos, creators, now, days: options.days, events: options.events, log });
    Object.assign(counts, generated);
    return generated.events + generated.likes + generated.comments + generated.shares;
  });
  log(`seeded ${counts.videos.toLocaleString("en")} videos, ${counts.users.toLocaleString("en")} accounts, ${counts.events.toLocaleString("en")} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { tag, creators, videos, users, counts };
}

/** The first index whose cumulative weight reaches `target`. */
function searchCumulative(cumulative: ArrayLike<number>, target: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (cumulative[mid]! < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Random bytes for event ids from a refilled 64 KB buffer: one getRandomValues call per ~4,000 ids, not per id. */
function fastRandom(): (bytes: Uint8Array) => Uint8Array {
  let buffer = randomBytes(65_536);
  let offset = 0;
  return (bytes) => {
    if (offset + bytes.length > buffer.length) {
      buffer = randomBytes(65_536);
      offset = 0;
    }
    bytes.set(buffer.subarray(offset, offset + bytes.length));
    offset += bytes.length;
    return bytes;
  };
}

/**
 * Publishes videos now, as a finished upload would be (READY, PUBLIC, APPROVED, playable, with its hashtag and
 * features): the new-video check of bench:recs. Returns their ids in order.
 */
export async function publishVideos(pool: pg.Pool, tag: string, videos: Array<SimVideo & { creatorId: string }>, rng: Rng): Promise<string[]> {
  const ids = videos.map((video) => `${tag}n${video.index}`);
  const now = Date.now();
  await pool.query(SQL.videos, [ids, videos.map((video) => video.creatorId), videos.map((video) => `${TOPICS[video.topic]} new clip ${video.index} #${TOPICS[video.topic]}`), videos.map((video) => video.durationSec * 1000), videos.map(() => iso(now))]);
  const hashtags = await pool.query<{ id: string; name: string }>(`SELECT "id", "name" FROM "Hashtag" WHERE "name" = ANY($1::text[])`, [[...TOPICS]]);
  const hashtagIdOf = new Map(hashtags.rows.map((row) => [row.name, row.id]));
  await pool.query(SQL.videoHashtags, [ids, videos.map((video) => hashtagIdOf.get(TOPICS[video.topic]!)!)]);
  await pool.query(SQL.features, [
    ids,
    videos.map((video) => video.durationSec * 1000),
    videos.map(() => -14 - 6 * rng()),
    videos.map(() => 0.05 + 0.5 * rng()),
    videos.map(() => rng()),
    videos.map(() => 0.2 + 0.6 * rng()),
    videos.map(() => 0.2 + 0.6 * rng()),
    videos.map(() => String(BigInt.asIntN(64, BigInt(`0x${randomBytes(8).toString("hex")}`)))),
  ]);
  return ids;
}

/** Accounts for simulated viewers, each with a personal API token (the same format and hash as lib/auth/tokens). */
export async function createViewerAccounts(pool: pg.Pool, tag: string, count: number): Promise<Array<{ userId: string; token: string }>> {
  const accounts = Array.from({ length: count }, (_, index) => ({ userId: `${tag}s${index}`, handle: `${tag}_s${index}`, token: newTokenSecret() }));
  for (let start = 0; start < accounts.length; start += ROWS_PER_INSERT) {
    const chunk = accounts.slice(start, start + ROWS_PER_INSERT);
    await pool.query(SQL.users, [chunk.map((row) => row.userId), chunk.map((row) => row.handle), chunk.map((row) => `${row.handle}@sim.invalid`), chunk.map((row) => row.handle)]);
    await pool.query(
      `INSERT INTO "ApiToken" ("id", "userId", "name", "prefix", "tokenHash") SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
      [chunk.map((row) => `${row.userId}t`), chunk.map((row) => row.userId), chunk.map(() => "bench"), chunk.map((row) => row.token.slice(0, 10)), chunk.map((row) => createHash("sha256").update(row.token).digest("hex"))],
    );
  }
  return accounts.map(({ userId, token }) => ({ userId, token }));
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `flk_` + 40 base-62 characters, as lib/auth/tokens makes them (so the API authenticates it like any token). */
function newTokenSecret(): string {
  let body = "";
  for (const byte of randomBytes(80)) if (byte < 248 && body.length < 40) body += BASE62[byte % 62];
  return body.length === 40 ? `flk_${body}` : newTokenSecret();
}

type EventColumns = { id: string[]; at: string[]; type: string[]; source: string[]; videoId: string[]; userId: string[]; watchedMs: Array<number | null>; loops: Array<number | null> };

function emptyEvents(): EventColumns {
  return { id: [], at: [], type: [], source: [], videoId: [], userId: [], watchedMs: [], loops: [] };
}

/**
 * Views in time order: the window of `days` is cut into slices, each slice's views are generated and inserted
 * before the next, so the Event table fills in time order (as it does live: its BRIN index on `at` stays tight).
 */
async function seedEvents(
  inserter: Inserter,
  rng: Rng,
  world: { users: Array<SimUser & { userId: string }>; videos: Array<SimVideo & { id: string }>; creators: SimCreator[]; now: number; days: number; events: number; log: (line: string) => void },
): Promise<{ events: number; likes: number; comments: number; shares: number }> {
  const { users, videos, now } = world;
  if (users.length === 0 || videos.length === 0 || world.events === 0) return { events: 0, likes: 0, comments: 0, shares: 0 };
  const uuid = createUuidv7(fastRandom());
  const windowMs = world.days * 24 * 3600_000;
  // Per topic, the videos and their cumulative popularity (quality squared: good videos get most of the views).
  const byTopic = TOPICS.map((_, topic) => {
    const list = videos.filter((video) => video.topic === topic);
    let sum = 0;
    const cumulative = list.map((video) => (sum += 0.05 + video.quality * video.quality));
    return { list, cumulative, sum };
  });
  const pickInTopic = (topic: number): (SimVideo & { id: string }) | null => {
    const entry = byTopic[topic]!;
    if (entry.list.length === 0) return null;
    return entry.list[searchCumulative(entry.cumulative, rng() * entry.sum)]!;
  };
  // Some viewers are much more active than others (Zipf-like); drawn by binary search over the cumulative weights.
  let activityTotal = 0;
  const activity = Float64Array.from(users, (_, index) => (activityTotal += 1 / Math.pow(index + 1, 0.5)));
  const pickUser = () => users[searchCumulative(activity, rng() * activityTotal)]!;
  const squaredInterests = users.map((user) => user.interests.map((value) => value * value));

  let events = emptyEvents();
  const totals = { events: 0, likes: 0, comments: 0, shares: 0 };
  const liked = new Set<string>();
  let likes: [string[], string[], string[]] = [[], [], []];
  let shares: [string[], string[], string[], string[]] = [[], [], [], []];
  let comments: [string[], string[], string[], string[], string[]] = [[], [], [], [], []];
  const flush = async () => {
    await inserter.add(SQL.events, [events.id, events.at, events.type, events.source, events.videoId, events.userId, events.watchedMs, events.loops]);
    totals.events += events.id.length;
    events = emptyEvents();
    await inserter.add(SQL.likes, likes);
    await inserter.add(SQL.shares, shares);
    await inserter.add(SQL.comments, comments);
    likes = [[], [], []];
    shares = [[], [], [], []];
    comments = [[], [], [], [], []];
  };
  let generated = 0;
  const push = (at: number, type: string, source: string, videoId: string, userId: string, watchedMs: number | null = null, loops: number | null = null) => {
    events.id.push(uuid(at));
    events.at.push(iso(at));
    generated += 1;
    events.type.push(type);
    events.source.push(source);
    events.videoId.push(videoId);
    events.userId.push(userId);
    events.watchedMs.push(watchedMs);
    events.loops.push(loops);
  };

  // Time slices of the window: views are drawn slice by slice, so ids (UUIDv7, made in generation order) and txids
  // follow time to within one slice; statements still carry ROWS_PER_INSERT rows each.
  const slices = TIME_SLICES;
  // Views end before now (a long video watched twice, then liked, still lands in the past).
  const sliceMs = (windowMs - VIEW_END_MARGIN_MS) / slices;
  const reportEvery = Math.max(1, Math.floor(slices / 10));
  const started = performance.now();
  for (let slice = 0; slice < slices && generated < world.events; slice += 1) {
    const sliceStart = now - windowMs + slice * sliceMs;
    const target = Math.min(world.events, Math.round(((slice + 1) * world.events) / slices));
    while (generated < target) {
      const user = pickUser();
      const at = Math.floor(sliceStart + rng() * sliceMs);
      let video = rng() < RANDOM_VIEW_SHARE ? videos[Math.floor(rng() * videos.length)]! : pickInTopic(pickWeighted(rng, squaredInterests[user.index]!));
      // Only videos already published at the time of the view.
      if (!video || now - video.ageHours * 3600_000 > at) video = videos[Math.floor(rng() * videos.length)]!;
      if (now - video.ageHours * 3600_000 > at) continue;
      const view = simulateView(rng, user, video);
      const source = rng() < 0.85 ? "FOR_YOU" : "FOLLOWING";
      const durationMs = video.durationSec * 1000;
      push(at, "IMPRESSION", source, video.id, user.userId);
      push(at + 300, "PLAY", source, video.id, user.userId);
      if (view.completed) push(at + 300 + durationMs, "COMPLETE", source, video.id, user.userId);
      const end = at + 300 + view.watchedMs;
      push(end, "PROGRESS", source, video.id, user.userId, view.watchedMs, view.loops);
      if (view.skipped) push(end, "SKIP", source, video.id, user.userId, view.watchedMs);
      const key = `${user.index}|${video.index}`;
      if (view.liked && !liked.has(key)) {
        liked.add(key);
        push(end + 500, "LIKE", source, video.id, user.userId);
        likes[0].push(user.userId);
        likes[1].push(video.id);
        likes[2].push(iso(end + 500));
        totals.likes += 1;
      }
      if (view.shared) {
        push(end + 800, "SHARE", source, video.id, user.userId);
        shares[0].push(`${uuid(at)}`.replaceAll("-", ""));
        shares[1].push(video.id);
        shares[2].push(user.userId);
        shares[3].push(iso(end + 800));
        totals.shares += 1;
      }
      if (view.commented) {
        push(end + 1500, "COMMENT", source, video.id, user.userId);
        comments[0].push(`${uuid(at)}`.replaceAll("-", ""));
        comments[1].push(video.id);
        comments[2].push(user.userId);
        comments[3].push(COMMENTS[Math.floor(rng() * COMMENTS.length)]!);
        comments[4].push(iso(end + 1500));
        totals.comments += 1;
      }
    }
    if (events.id.length >= ROWS_PER_INSERT || slice === slices - 1 || generated >= world.events) await flush();
    if ((slice + 1) % reportEvery === 0 || slice === slices - 1) {
      const seconds = (performance.now() - started) / 1000;
      world.log(
        `    events ${generated.toLocaleString("en")} / ${world.events.toLocaleString("en")} (${Math.round(generated / seconds).toLocaleString("en")} events/s; ` +
          `${inserter.waitedSeconds.toFixed(1)} of ${seconds.toFixed(1)} s waiting for PostgreSQL)`,
      );
    }
  }
  await inserter.drain();
  return totals;
}

/**
 * Lets the worker relay only the last `days` of the seeded history to the real-time viewer state (Redis): the
 * stream consumer's cursor is moved past the older seeded events. The state is short-term by design (affinities halve
 * every 3 days, lists keep the last 100 watches), and relaying millions of events takes the worker many minutes.
 * Done only when every event the relay has not read yet is one of the `seeded` just inserted (so no live event is
 * ever skipped); returns how many events were left out, or null when it did nothing.
 */
export async function skipOldHistoryForRelay(pool: pg.Pool, seeded: number, days: number): Promise<number | null> {
  await pool.query(`INSERT INTO "EventCursor" ("name", "eventId") VALUES ('stream', '00000000-0000-0000-0000-000000000000') ON CONFLICT ("name") DO NOTHING`);
  const behind = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM "Event" e, "EventCursor" c WHERE c."name" = 'stream' AND (e."txid", e."id") > (c."txid", c."eventId")`,
  );
  if (Number(behind.rows[0]!.n) !== seeded) return null;
  const cutoff = iso(Date.now() - days * 24 * 3600_000);
  // The last older event in the relay's reading order (the seeded history went in in time order).
  const last = await pool.query<{ txid: string; id: string }>(
    `SELECT e."txid"::text AS txid, e."id"::text AS id FROM "Event" e, "EventCursor" c
     WHERE c."name" = 'stream' AND (e."txid", e."id") > (c."txid", c."eventId") AND e."at" < $1::timestamp
     ORDER BY e."txid" DESC, e."id" DESC LIMIT 1`,
    [cutoff],
  );
  const row = last.rows[0];
  if (!row) return 0;
  await pool.query(`UPDATE "EventCursor" SET "txid" = $1::bigint, "eventId" = $2::uuid, "updatedAt" = now() AT TIME ZONE 'UTC' WHERE "name" = 'stream'`, [row.txid, row.id]);
  const after = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM "Event" e, "EventCursor" c WHERE c."name" = 'stream' AND (e."txid", e."id") > (c."txid", c."eventId")`,
  );
  return seeded - Number(after.rows[0]!.n);
}

/**
 * Folds every event not yet folded into the analytics aggregates through the analytics consumer's own code
 * (foldNextBatch, the worker's path), so counts, trending stats and the studio agree with the events.
 */
export async function foldAnalytics(connect: () => Promise<pg.Client>, log: (line: string) => void): Promise<{ events: number; seconds: number }> {
  const { foldNextBatch } = await import("../../lib/analytics/consumer");
  const client = await connect();
  const started = performance.now();
  let events = 0;
  let lastReport = started;
  try {
    for (;;) {
      const read = await foldNextBatch(client);
      if (read === 0) break;
      events += read;
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        log(`    folded ${events.toLocaleString("en")} events (${Math.round(events / ((lastReport - started) / 1000)).toLocaleString("en")} events/s)`);
      }
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return { events, seconds: (performance.now() - started) / 1000 };
}
