// The recs-train queue: the learned part of the recommender's loop, on a schedule (every RECS_TRAIN_INTERVAL_MINUTES)
// and on demand: learn viewer/video vectors from the events, then train the ranker on the served-features log and
// promote it unless it regresses. Processor: lib/recs/training/job.ts. Web and CLI import this module only to enqueue.
import { Queue } from "bullmq";
import { z } from "zod";
import { getConfig } from "../env";
import { getQueueConnection, QUEUE_PREFIX } from "./connection";

export const RECS_TRAIN_QUEUE = "recs-train";

export const recsTrainPayload = z.object({
  task: z.enum(["all", "ranker", "embeddings"]),
  /** Ranker from scratch instead of warm-starting from the promoted model. */
  full: z.boolean().optional(),
});
export type RecsTrainPayload = z.infer<typeof recsTrainPayload>;

export const recsTrainJobOptions = {
  // A failed run is simply the next scheduled one; one retry covers a worker restart mid-run.
  attempts: 2,
  backoff: { type: "fixed", delay: 60_000 }, // a minute: long enough for a database restart
  removeOnComplete: { count: 100 },
  removeOnFail: { count: 100 },
} as const;

let queue: Queue<RecsTrainPayload> | undefined;

export function getRecsTrainQueue(): Queue<RecsTrainPayload> {
  queue ??= new Queue<RecsTrainPayload>(RECS_TRAIN_QUEUE, {
    connection: getQueueConnection(),
    prefix: QUEUE_PREFIX,
    defaultJobOptions: recsTrainJobOptions,
  });
  return queue;
}

/** Runs a training task now; while one with the same task is waiting, a second request is a no-op (deterministic id). */
export async function enqueueRecsTrain(payload: RecsTrainPayload): Promise<string> {
  const data = recsTrainPayload.parse(payload);
  const job = await getRecsTrainQueue().add(data.task, data, { jobId: `recs-train:${data.task}:now` });
  return job.id ?? "";
}

/** Installs the repeating schedule (or removes it when the interval is 0); idempotent, called at worker start. */
export async function scheduleRecsTrain(): Promise<void> {
  const minutes = getConfig().RECS_TRAIN_INTERVAL_MINUTES;
  if (minutes === 0) {
    await getRecsTrainQueue().removeJobScheduler("recs-train:all");
    return;
  }
  const every = minutes * 60_000;
  await getRecsTrainQueue().upsertJobScheduler(
    "recs-train:all",
    // The first run waits one interval: a worker start (or a restart loop) never trains back to back.
    { every, startDate: new Date(Date.now() + every) },
    { name: "all", data: { task: "all" }, opts: recsTrainJobOptions },
  );
}

export async function closeRecsTrainQueue(): Promise<void> {
  await queue?.close();
  queue = undefined;
}
