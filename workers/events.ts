// The event consumers of the worker role: they are loops over the Event table and the event stream, not BullMQ queues.
//   events:relay       PostgreSQL → Redis stream flick:events (leader only)
//   events:analytics   PostgreSQL → per-video daily aggregates (leader only; needs no Redis)
//   events:user-state  Redis stream → each viewer's real-time state (consumer group; every worker helps)
import type { Redis } from "ioredis";
import { foldNextBatch } from "@/lib/analytics";
import { ensureUserStateGroup, relayEvents, startLeaderLoop, startLoop, UserStateConsumer, type ConsumerLoop, type StreamEvent } from "@/lib/events";
import { enqueueViewerRefresh } from "@/lib/jobs/recs";
import { getLogger } from "@/lib/logger";
import { noteViewerEvents } from "@/lib/recs";
import { createRedis } from "@/lib/redis";

// The relay looks for new events ten times a second when idle: the stream (and the user state behind it) then trails
// the database by ~100 ms, well inside the 1 s the recommender is promised, for one indexed query per 100 ms.
const RELAY_IDLE_MS = 100;
// Aggregates may trail by half a second; the studio refreshes every few seconds.
const ANALYTICS_IDLE_MS = 500;
// The user-state read blocks for new entries by itself; this sleep only applies while Redis is not connected.
const USER_STATE_IDLE_MS = 100;
// After a failure (Redis or PostgreSQL away): retry every second or two, quietly catching up once it is back.
const RELAY_ERROR_MS = 1_000;
const ANALYTICS_ERROR_MS = 2_000;
const USER_STATE_ERROR_MS = 1_000;
// One warning per connection per interval while Redis is away, instead of one per reconnect attempt.
const REDIS_WARNING_INTERVAL_MS = 30_000;

/** A connection of its own that fails commands at once while disconnected, so a loop backs off instead of hanging. */
function consumerRedis(name: string): Redis {
  const redis = createRedis({ lazyConnect: false, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  let lastWarning = 0;
  redis.on("error", (error) => {
    if (Date.now() - lastWarning < REDIS_WARNING_INTERVAL_MS) return;
    lastWarning = Date.now();
    getLogger().warn({ err: error, consumer: name }, "event consumer: Redis unavailable");
  });
  return redis;
}

/**
 * After each applied batch: the recommender notes who was active, and rebuilds the candidates of viewers who have sent
 * a handful of events since their list was built (debounced: one job per viewer at a time).
 */
async function refreshCandidatesAfterEvents(events: StreamEvent[]): Promise<void> {
  const due = await noteViewerEvents(events);
  await Promise.all(due.map((viewer) => enqueueViewerRefresh(viewer)));
}

export type EventConsumers = { names: string[]; stop: () => Promise<void> };

export function startEventConsumers(): EventConsumers {
  const relayRedis = consumerRedis("events:relay");
  const streamRedis = consumerRedis("events:user-state");
  const userState = new UserStateConsumer(streamRedis, refreshCandidatesAfterEvents);
  // The relay waits for lagging groups, but only for groups that exist: make sure ours does before the first entry, so
  // a backlog relayed at start (after an outage, say) is never trimmed before the group could read it.
  let groupReady = false;
  const relay = async (client: Parameters<typeof relayEvents>[0]) => {
    if (!groupReady && relayRedis.status === "ready") {
      await ensureUserStateGroup(relayRedis);
      groupReady = true;
    }
    return groupReady ? relayEvents(client, relayRedis) : 0;
  };
  const loops: ConsumerLoop[] = [
    startLeaderLoop({ name: "events:relay", idleMs: RELAY_IDLE_MS, errorMs: RELAY_ERROR_MS, step: relay }),
    startLeaderLoop({ name: "events:analytics", idleMs: ANALYTICS_IDLE_MS, errorMs: ANALYTICS_ERROR_MS, step: (client) => foldNextBatch(client) }),
    startLoop({ name: "events:user-state", idleMs: USER_STATE_IDLE_MS, errorMs: USER_STATE_ERROR_MS, step: () => userState.step() }),
  ];
  return {
    names: loops.map((loop) => loop.name),
    stop: async () => {
      await Promise.all(loops.map((loop) => loop.stop()));
      relayRedis.disconnect();
      streamRedis.disconnect();
    },
  };
}
