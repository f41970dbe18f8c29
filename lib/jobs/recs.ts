// The recs queue: the recommender's background work. Repeatable tasks rebuild the global indexes (every
// RECS_INDEX_INTERVAL_SECONDS), the slower event-scanning ones, and active viewers' stale candidate lists; a viewer's
// list is also rebuilt shortly after a handful of their events (one debounced job per viewer, deterministic id).
// Processor: lib/recs (runRecsTask in workers/recs.ts).
import { Queue } from "bullmq";
import { z } from "zod";
import { getConfig } from "../env";
import { getQueueConnection, QUEUE_PREFIX } from "./connection";

export const RECS_QUEUE = "recs";

export const recsPayload = z.discriminatedUnion("task", [
  z.object({ task: z.literal("indexes") }),
  z.object({ task: z.literal("slow-indexes") }),
  z.object({ task: z.literal("active-viewers") }),
  z.object({ task: z.literal("viewer"), viewerKey: z.string().regex(/^(u:[A-Za-z0-9_-]+|d:[0-9a-f-]{36})$/) }),
]);
export type RecsPayload = z.infer<typeof recsPayload>;

export const recsJobOptions = {
  // Every task rebuilds from scratch, so a retry is safe; the schedule runs them again soon anyway.
  attempts: 2,
  backoff: { type: "fixed", delay: 5_000 },
  // A short history for the dashboard; these jobs are frequent.
  removeOnComplete: { count: 50 },
  removeOnFail: { count: 200 },
} as const;

/** How often each repeatable task runs. */
export function recsSchedule(): Record<"indexes" | "slow-indexes" | "active-viewers", number> {
  return {
    // Trending and the exploration pools move with every minute of viewing; 30 s by default (RECS_INDEX_INTERVAL_SECONDS).
    indexes: getConfig().RECS_INDEX_INTERVAL_SECONDS * 1000,
    // Co-engagement and newcomers scan a week of events: every five minutes is fresh enough for neighbours.
    "slow-indexes": 5 * 60_000,
    // Active viewers' lists older than 10 minutes are rebuilt; checking every minute keeps them within ~11.
    "active-viewers": 60_000,
  };
}

// A burst of events makes one rebuild: the job waits this long, and more events meanwhile find it already queued.
const VIEWER_DEBOUNCE_MS = 2_000;

let queue: Queue<RecsPayload> | undefined;

export function getRecsQueue(): Queue<RecsPayload> {
  queue ??= new Queue<RecsPayload>(RECS_QUEUE, { connection: getQueueConnection(), prefix: QUEUE_PREFIX, defaultJobOptions: recsJobOptions });
  return queue;
}

/** Installs (or updates) the repeating schedule; idempotent, called at worker start. */
export async function scheduleRecs(): Promise<void> {
  for (const [task, every] of Object.entries(recsSchedule())) {
    await getRecsQueue().upsertJobScheduler(`recs:${task}`, { every }, { name: task, data: { task } as RecsPayload, opts: recsJobOptions });
  }
}

/** Rebuilds one viewer's candidates soon; a no-op while a rebuild for them is already waiting. */
export async function enqueueViewerRefresh(viewerKey: string): Promise<void> {
  const data = recsPayload.parse({ task: "viewer", viewerKey });
  await getRecsQueue().add("viewer", data, {
    jobId: `recs-viewer-${viewerKey.replace(":", "-")}`,
    delay: VIEWER_DEBOUNCE_MS,
    // Gone once done, so the next burst can queue the next rebuild under the same id.
    removeOnComplete: true,
    removeOnFail: true,
  });
}

/** Runs a global task now (CLI, admin), deduplicated while one is waiting. */
export async function enqueueRecsTask(task: "indexes" | "slow-indexes" | "active-viewers"): Promise<void> {
  await getRecsQueue().add(task, { task }, { jobId: `recs-${task}-now` });
}

export async function closeRecsQueue(): Promise<void> {
  await queue?.close();
  queue = undefined;
}
