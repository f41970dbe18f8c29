// Worker for the moderation queue.
import { Worker } from "bullmq";
import { createWorkerConnection, QUEUE_PREFIX } from "@/lib/jobs/connection";
import { moderationPayload, MODERATION_QUEUE } from "@/lib/jobs/moderation";
import { processModerationJob } from "@/lib/moderation/stage";
import { instrument } from "./instrument";

export function startModerationWorker(): Worker {
  return instrument(
    new Worker(MODERATION_QUEUE, (job) => processModerationJob(moderationPayload.parse(job.data)), {
      connection: createWorkerConnection(),
      prefix: QUEUE_PREFIX,
      // Mostly database look-ups; with a classifier configured a few frames are decoded, so two at a time is plenty.
      concurrency: 2,
      lockDuration: 30_000, // renewed while running; lapses 30 s after a crash so another worker takes over
    }),
  );
}
