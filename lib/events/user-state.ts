// A viewer's short-term state in Redis, kept up to date from the event stream within a second of each event, and
// read by the recommender (getUserState). Keyed by viewer: "u:<userId>" for accounts, "d:<deviceId>" for signed-out
// browsers (merged into the account when that browser signs in).
//
// Keys, all under flick:user:{<viewer>}: (one hash slot per viewer, so a Redis Cluster can run the one script that
// updates them) and expiring after USER_STATE_TTL_SECONDS without activity:
//   :watches   list, newest first, of finished views {v: videoId, t: ms, ms: watched, l: loops, c: 1 if completed}
//   :skips     list, newest first, of {v, t, ms}
//   :likes     sorted set videoId → time liked (an unlike removes it)
//   :tags      hash hashtag → "score:updatedAtMs", a time-decayed affinity (half-life AFFINITY_HALF_LIFE_MS)
//   :creators  hash authorId → "score:updatedAtMs", likewise
//   :counts    hash event type → how many, all time
//   :applied   sorted set eventId → when applied: the viewer's latest events already in the state (below)
// A score decays as score·2^(−Δt/half-life). Adding weight w at time t to (s, t₀) gives s·2^(−(t−t₀)/h) + w when
// t ≥ t₀, else s + w·2^(−(t₀−t)/h): order does not matter, so late events and merges add up exactly.
// The stream delivers at least once (the relay resends a batch it could not mark as sent; a batch read but not
// acknowledged before a crash or a Redis restart is read again), so each event is applied once: the script that applies
// a viewer's events first looks their ids up in :applied and, if any is there, applies nothing and names them; the
// caller drops those and tries again. Marking and applying are one script, so a crash cannot do one without the other.
import type { Redis } from "ioredis";
import type { EventType } from "./types";
import type { StreamEvent } from "./stream";
import type { VideoFacts } from "./videos";

// Three days: what someone watched this week still counts, what they liked a month ago hardly does (~0.1 %).
export const AFFINITY_HALF_LIFE_MS = 3 * 24 * 3600 * 1000;
// Per viewer and kind: enough for the recommender's candidate generation; beyond it the weakest are dropped.
const MAX_AFFINITIES = 200;
const PRUNED_AFFINITIES = 150;
const MAX_WATCHES = 100;
const MAX_SKIPS = 50;
const MAX_LIKES = 100;
// Redeliveries come within seconds (a relay retry, a claim after 30 s) or right after Redis restarts with what it had
// saved: remembering each viewer's latest 256 event ids for six hours covers both without keeping a second copy of the
// events table (a person sends a few a minute). A batch larger than that (one viewer's share of a 500-entry read, after
// an outage) is kept whole until the viewer's next batch.
const MAX_APPLIED_IDS = 256;
const APPLIED_TTL_SECONDS = 6 * 3600;
// A month without any signal and the state goes; an account's long-term taste lives in PostgreSQL.
export const USER_STATE_TTL_SECONDS = 30 * 24 * 3600;
// A replay says more than a first pass; capped so a muted tab looping all night does not dominate.
const REPLAY_WEIGHT = 0.5;
const MAX_REPLAYS_COUNTED = 3;

// How much each signal moves the creator's and the hashtags' affinity. Explicit actions outweigh passive watching,
// sharing outweighs liking, and "not interested" is the strongest negative.
const ACTION_WEIGHTS: Partial<Record<EventType, number>> = {
  complete: 1,
  skip: -1,
  like: 2,
  unlike: -2,
  bookmark: 2,
  unbookmark: -2,
  comment: 2,
  share: 3,
  not_interested: -4,
};
// Following is about the creator, not the topic.
const CREATOR_ONLY_WEIGHTS: Partial<Record<EventType, number>> = { follow: 4, unfollow: -4 };

export type UserStatePart = "watches" | "skips" | "likes" | "tags" | "creators" | "counts" | "applied";
const PARTS: UserStatePart[] = ["tags", "creators", "watches", "skips", "likes", "counts"];

/** The Redis key of one part of a viewer's state. */
export function userStateKey(viewer: string, part: UserStatePart): string {
  return `flick:user:{${viewer}}:${part}`;
}
const stateKey = userStateKey;

// One call applies a batch's changes to one viewer: affinities, recent lists, likes and counts, then the expiries.
// It returns 1, or, applying nothing, the ids of the batch's events that are already applied.
// KEYS: tags, creators, watches, skips, likes, counts (userStateKey order in PARTS), applied.
// ARGV: half-life ms, now ms, max affinities, kept affinities, ttl s, max watches, max skips, max likes, max applied
// ids, applied ttl s, then sections, each a count followed by its items: event ids, tag (field, weight, at ms) triples,
// creator triples, watch entries (oldest first), skip entries, liked (at ms, videoId) pairs, unliked videoIds, count
// (type, n) pairs.
const APPLY_VIEWER_CHANGES = `
local h = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local ttl = tonumber(ARGV[5])
local pos = 11
local function take()
  local value = ARGV[pos]
  pos = pos + 1
  return value
end
local ids = {}
for _ = 1, tonumber(take()) do table.insert(ids, take()) end
if #ids > 0 then
  -- One ZMSCORE and one ZADD per 500 ids (unpack's stack limit), not one call per event.
  local already = {}
  for i = 1, #ids, 500 do
    local chunk = { unpack(ids, i, math.min(i + 499, #ids)) }
    local scores = redis.call('ZMSCORE', KEYS[7], unpack(chunk))
    for j, score in ipairs(scores) do
      if score then table.insert(already, chunk[j]) end
    end
  end
  if #already > 0 then return already end
  for i = 1, #ids, 500 do
    local args = {}
    for j = i, math.min(i + 499, #ids) do
      table.insert(args, now)
      table.insert(args, ids[j])
    end
    redis.call('ZADD', KEYS[7], unpack(args))
  end
  -- The latest max applied ids, or this whole batch if it is larger (one viewer's share of a read can be up to the
  -- read's 500): all of it must be recognised if it comes again.
  redis.call('ZREMRANGEBYRANK', KEYS[7], 0, -math.max(tonumber(ARGV[9]), #ids) - 1)
  redis.call('EXPIRE', KEYS[7], tonumber(ARGV[10]))
end
local function affinities(key)
  local n = tonumber(take())
  if n == 0 then return end
  for _ = 1, n do
    local field, w, t = take(), tonumber(take()), tonumber(take())
    local s, t0 = 0, t
    local current = redis.call('HGET', key, field)
    if current then
      local sep = string.find(current, ':', 1, true)
      s = tonumber(string.sub(current, 1, sep - 1))
      t0 = tonumber(string.sub(current, sep + 1))
    end
    if t >= t0 then
      s = s * math.pow(2, -(t - t0) / h) + w
      t0 = t
    else
      s = s + w * math.pow(2, -(t0 - t) / h)
    end
    redis.call('HSET', key, field, string.format('%.6g:%.0f', s, t0))
  end
  if redis.call('HLEN', key) > tonumber(ARGV[3]) then
    local all = redis.call('HGETALL', key)
    local ranked = {}
    for i = 1, #all, 2 do
      local sep = string.find(all[i + 1], ':', 1, true)
      local s = tonumber(string.sub(all[i + 1], 1, sep - 1))
      local t0 = tonumber(string.sub(all[i + 1], sep + 1))
      table.insert(ranked, { all[i], math.abs(s * math.pow(2, -(now - t0) / h)) })
    end
    table.sort(ranked, function(a, b) return a[2] > b[2] end)
    for i = tonumber(ARGV[4]) + 1, #ranked do redis.call('HDEL', key, ranked[i][1]) end
  end
  redis.call('EXPIRE', key, ttl)
end
local function recent(key, max)
  local n = tonumber(take())
  if n == 0 then return end
  for _ = 1, n do redis.call('LPUSH', key, take()) end
  redis.call('LTRIM', key, 0, max - 1)
  redis.call('EXPIRE', key, ttl)
end
affinities(KEYS[1])
affinities(KEYS[2])
recent(KEYS[3], tonumber(ARGV[6]))
recent(KEYS[4], tonumber(ARGV[7]))
local liked = tonumber(take())
for _ = 1, liked do
  local at = take()
  redis.call('ZADD', KEYS[5], at, take())
end
local unliked = tonumber(take())
for _ = 1, unliked do redis.call('ZREM', KEYS[5], take()) end
if liked + unliked > 0 then
  redis.call('ZREMRANGEBYRANK', KEYS[5], 0, -tonumber(ARGV[8]) - 1)
  redis.call('EXPIRE', KEYS[5], ttl)
end
local counted = tonumber(take())
for _ = 1, counted do
  local field = take()
  redis.call('HINCRBY', KEYS[6], field, take())
end
if counted > 0 then redis.call('EXPIRE', KEYS[6], ttl) end
return 1
`;

type ViewerScript = { flickApplyViewerChanges(...args: Array<string | number>): unknown };

function withViewerCommand(redis: Redis): Redis & ViewerScript {
  const typed = redis as Redis & ViewerScript;
  if (typeof typed.flickApplyViewerChanges !== "function") {
    redis.defineCommand("flickApplyViewerChanges", { numberOfKeys: PARTS.length + 1, lua: APPLY_VIEWER_CHANGES });
  }
  return typed;
}

type Delta = [field: string, weight: number, at: number];

type ViewerChanges = {
  /** The events these changes come from (none for a merge). */
  eventIds: string[];
  tags: Delta[];
  creators: Delta[];
  watches: string[];
  skips: string[];
  liked: Array<[at: number, videoId: string]>;
  unliked: string[];
  counts: Map<string, number>;
};

/** The creator and hashtag weights of one event (empty when it says nothing about taste). */
export function affinityWeights(event: Pick<StreamEvent, "type" | "watchedMs" | "loops">, video: Pick<VideoFacts, "durationMs" | "hashtags">) {
  let weight = ACTION_WEIGHTS[event.type] ?? 0;
  if (event.type === "progress" && video.durationMs) {
    const firstPass = Math.min((event.watchedMs ?? 0) / video.durationMs, 1);
    weight = firstPass + REPLAY_WEIGHT * Math.min(event.loops ?? 0, MAX_REPLAYS_COUNTED);
  }
  const creatorOnly = CREATOR_ONLY_WEIGHTS[event.type] ?? 0;
  // A video with many hashtags spreads its weight over them (by √n, so each still counts).
  const perTag = video.hashtags.length > 0 ? weight / Math.sqrt(video.hashtags.length) : 0;
  return { creator: weight + creatorOnly, perTag };
}

function changesFor(map: Map<string, ViewerChanges>, viewer: string): ViewerChanges {
  let changes = map.get(viewer);
  if (!changes) {
    changes = { eventIds: [], tags: [], creators: [], watches: [], skips: [], liked: [], unliked: [], counts: new Map() };
    map.set(viewer, changes);
  }
  return changes;
}

/** Each viewer's changes from a batch of events, each event once, leaving out those in `skip`. */
function collectChanges(events: StreamEvent[], videos: Map<string, VideoFacts>, skip: Set<string>): Map<string, ViewerChanges> {
  const byViewer = new Map<string, ViewerChanges>();
  const taken = new Set<string>();
  for (const event of events) {
    const video = videos.get(event.videoId);
    if (!event.viewer || !video || skip.has(event.id) || taken.has(event.id)) continue;
    taken.add(event.id);
    const changes = changesFor(byViewer, event.viewer);
    changes.eventIds.push(event.id);
    changes.counts.set(event.type, (changes.counts.get(event.type) ?? 0) + 1);
    const weights = affinityWeights(event, video);
    if (weights.creator !== 0) changes.creators.push([video.authorId, weights.creator, event.at]);
    if (weights.perTag !== 0) for (const tag of video.hashtags) changes.tags.push([tag, weights.perTag, event.at]);
    if (event.type === "progress") {
      const completed = (event.loops ?? 0) > 0 || (video.durationMs !== null && (event.watchedMs ?? 0) >= video.durationMs);
      changes.watches.push(JSON.stringify({ v: event.videoId, t: event.at, ms: event.watchedMs ?? 0, l: event.loops ?? 0, c: completed ? 1 : 0 }));
    } else if (event.type === "skip") {
      changes.skips.push(JSON.stringify({ v: event.videoId, t: event.at, ms: event.watchedMs ?? 0 }));
    } else if (event.type === "like") {
      changes.liked.push([event.at, event.videoId]);
    } else if (event.type === "unlike") {
      changes.unliked.push(event.videoId);
    }
  }
  // Lists are newest first: push each viewer's entries oldest to newest (a batch may mix devices and late beacons).
  for (const changes of byViewer.values()) {
    const time = (entry: string) => (JSON.parse(entry) as { t: number }).t;
    changes.watches.sort((a, b) => time(a) - time(b));
    changes.skips.sort((a, b) => time(a) - time(b));
  }
  return byViewer;
}

/**
 * Applies a batch of stream events (in stream order) to the viewers' states, in one pipelined round trip, each event
 * once however often it is delivered. A viewer some of whose events were applied before (a redelivery) gets the rest
 * in another round trip.
 */
export async function applyToUserState(redis: Redis, events: StreamEvent[], videos: Map<string, VideoFacts>): Promise<void> {
  const applied = new Set<string>();
  let remaining = events;
  // Each round either applies a viewer's events or learns at least one more of them was applied: it ends.
  while (remaining.length > 0) {
    const byViewer = collectChanges(remaining, videos, applied);
    if (byViewer.size === 0) return;
    const viewers = [...byViewer.keys()];
    const pipeline = withViewerCommand(redis).pipeline() as ReturnType<Redis["pipeline"]> & ViewerScript;
    for (const viewer of viewers) pipeline.flickApplyViewerChanges(...viewerScriptArgs(viewer, byViewer.get(viewer)!));
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
    const retry = new Set<string>();
    results.forEach(([, result], index) => {
      if (!Array.isArray(result)) return;
      for (const id of result as string[]) applied.add(id);
      retry.add(viewers[index]!);
    });
    remaining = remaining.filter((event) => retry.has(event.viewer));
  }
}

/** Keys and arguments of APPLY_VIEWER_CHANGES for one viewer. */
function viewerScriptArgs(viewer: string, changes: ViewerChanges): Array<string | number> {
  return [
    ...PARTS.map((part) => stateKey(viewer, part)),
    stateKey(viewer, "applied"),
    AFFINITY_HALF_LIFE_MS,
    Date.now(),
    MAX_AFFINITIES,
    PRUNED_AFFINITIES,
    USER_STATE_TTL_SECONDS,
    MAX_WATCHES,
    MAX_SKIPS,
    MAX_LIKES,
    MAX_APPLIED_IDS,
    APPLIED_TTL_SECONDS,
    changes.eventIds.length,
    ...changes.eventIds,
    changes.tags.length,
    ...changes.tags.flat(),
    changes.creators.length,
    ...changes.creators.flat(),
    changes.watches.length,
    ...changes.watches,
    changes.skips.length,
    ...changes.skips,
    changes.liked.length,
    ...changes.liked.flat(),
    changes.unliked.length,
    ...changes.unliked,
    changes.counts.size,
    ...[...changes.counts].flat(),
  ];
}

export type Affinity = { score: number; updatedAt: number };

/** What the recommender reads about a viewer. Scores are decayed to the moment of reading; strongest first. */
export type UserState = {
  viewer: string;
  recentWatches: Array<{ videoId: string; at: number; watchedMs: number; loops: number; completed: boolean }>;
  recentSkips: Array<{ videoId: string; at: number; watchedMs: number }>;
  recentLikes: Array<{ videoId: string; at: number }>;
  hashtags: Array<{ name: string; score: number }>;
  creators: Array<{ userId: string; score: number }>;
  counts: Partial<Record<EventType, number>>;
};

/** A viewer Redis knows nothing about (yet), with any parts given. */
export function emptyUserState(viewer: string, parts: Partial<Omit<UserState, "viewer">> = {}): UserState {
  return { viewer, recentWatches: [], recentSkips: [], recentLikes: [], hashtags: [], creators: [], counts: {}, ...parts };
}

function parseAffinities(hash: Record<string, string>, now: number): Array<[string, number]> {
  return Object.entries(hash)
    .map(([field, value]): [string, number] => {
      const [score, at] = value.split(":").map(Number);
      return [field, (score ?? 0) * Math.pow(2, -(now - (at ?? now)) / AFFINITY_HALF_LIFE_MS)];
    })
    .sort((a, b) => b[1] - a[1]);
}

function parseList<T>(entries: string[]): T[] {
  return entries.flatMap((entry) => {
    try {
      return [JSON.parse(entry) as T];
    } catch {
      return [];
    }
  });
}

/** The viewer's short-term state ("u:<userId>" or "d:<deviceId>"); empty for a viewer Redis knows nothing about. */
export async function readUserState(redis: Redis, viewer: string, now = Date.now()): Promise<UserState> {
  const results = (await redis
    .pipeline()
    .lrange(stateKey(viewer, "watches"), 0, -1)
    .lrange(stateKey(viewer, "skips"), 0, -1)
    .zrevrange(stateKey(viewer, "likes"), 0, -1, "WITHSCORES")
    .hgetall(stateKey(viewer, "tags"))
    .hgetall(stateKey(viewer, "creators"))
    .hgetall(stateKey(viewer, "counts"))
    .exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
  const [watches, skips, likes, tags, creators, counts] = results.map(([, value]) => value) as [
    string[], string[], string[], Record<string, string>, Record<string, string>, Record<string, string>,
  ];
  const recentLikes: UserState["recentLikes"] = [];
  for (let index = 0; index + 1 < likes.length; index += 2) recentLikes.push({ videoId: likes[index]!, at: Number(likes[index + 1]) });
  return {
    viewer,
    recentWatches: parseList<{ v: string; t: number; ms: number; l: number; c: number }>(watches).map((entry) => ({
      videoId: entry.v,
      at: entry.t,
      watchedMs: entry.ms,
      loops: entry.l,
      completed: entry.c === 1,
    })),
    recentSkips: parseList<{ v: string; t: number; ms: number }>(skips).map((entry) => ({ videoId: entry.v, at: entry.t, watchedMs: entry.ms })),
    recentLikes,
    hashtags: parseAffinities(tags, now).map(([name, score]) => ({ name, score })),
    creators: parseAffinities(creators, now).map(([userId, score]) => ({ userId, score })),
    counts: Object.fromEntries(Object.entries(counts).map(([type, count]) => [type, Number(count)])),
  };
}

/**
 * Folds one viewer's state into another's (a signed-out browser's into the account it signed in to) and deletes
 * the source. Affinities add with their decay; recent lists interleave by time.
 */
export async function mergeUserState(redis: Redis, from: string, into: string): Promise<void> {
  if (from === into) return;
  const read = await redis
    .pipeline()
    .hgetall(stateKey(from, "tags"))
    .hgetall(stateKey(from, "creators"))
    .lrange(stateKey(from, "watches"), 0, -1)
    .lrange(stateKey(from, "skips"), 0, -1)
    .lrange(stateKey(into, "watches"), 0, -1)
    .lrange(stateKey(into, "skips"), 0, -1)
    .hgetall(stateKey(from, "counts"))
    .exec();
  const [tags, creators, fromWatches, fromSkips, intoWatches, intoSkips, counts] = (read ?? []).map(([error, value]) => {
    if (error) throw error;
    return value;
  }) as [Record<string, string>, Record<string, string>, string[], string[], string[], string[], Record<string, string>];
  const asDeltas = (hash: Record<string, string>): Delta[] =>
    Object.entries(hash).map(([field, value]) => {
      const [score, at] = value.split(":").map(Number);
      return [field, score ?? 0, at ?? Date.now()];
    });
  // Both lists, oldest first (the script pushes each on top), at most as long as a list may be.
  const interleave = (ours: string[], theirs: string[], max: number) =>
    [...ours, ...theirs]
      .map((entry) => ({ entry, at: parseList<{ t: number }>([entry])[0]?.t ?? 0 }))
      .sort((a, b) => b.at - a.at)
      .slice(0, max)
      .reverse()
      .map(({ entry }) => entry);
  const changes: ViewerChanges = {
    eventIds: [],
    tags: asDeltas(tags),
    creators: asDeltas(creators),
    watches: fromWatches.length > 0 ? interleave(fromWatches, intoWatches, MAX_WATCHES) : [],
    skips: fromSkips.length > 0 ? interleave(fromSkips, intoSkips, MAX_SKIPS) : [],
    liked: [],
    unliked: [],
    counts: new Map(Object.entries(counts).map(([type, count]) => [type, Number(count)])),
  };
  const pipeline = withViewerCommand(redis).multi() as ReturnType<Redis["multi"]> & ViewerScript;
  // The merged lists replace the account's.
  if (changes.watches.length > 0) pipeline.del(stateKey(into, "watches"));
  if (changes.skips.length > 0) pipeline.del(stateKey(into, "skips"));
  pipeline.flickApplyViewerChanges(...viewerScriptArgs(into, changes));
  pipeline
    .zunionstore(stateKey(into, "likes"), 2, stateKey(into, "likes"), stateKey(from, "likes"), "AGGREGATE", "MAX")
    .zremrangebyrank(stateKey(into, "likes"), 0, -MAX_LIKES - 1)
    .expire(stateKey(into, "likes"), USER_STATE_TTL_SECONDS)
    .del(...PARTS.map((part) => stateKey(from, part)));
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
}
