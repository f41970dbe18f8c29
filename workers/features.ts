// Worker for the features queue.
import { Worker } from "bullmq";
import { featuresJobOptions, featuresPayload, FEATURES_QUEUE } from "@/lib/jobs/features";
import { enqueueModeration } from "@/lib/jobs/moderation";
import { getLogger } from "@/lib/logger";
import { createWorkerConnection, QUEUE_PREFIX } from "@/lib/jobs/connection";
import { processFeaturesJob } from "@/lib/videos/features";
import { instrument } from "./instrument";

export function startFeaturesWorker(): Worker {
  const worker = instrument(
    new Worker(FEATURES_QUEUE, (job) => processFeaturesJob(featuresPayload.parse(job.data)), {
      connection: createWorkerConnection(),
      prefix: QUEUE_PREFIX,
      // Analysis runs at low resolution; one at a time keeps it from starving transcodes of CPU.
      concurrency: 1,
      lockDuration: 30_000, // renewed while running; lapses 30 s after a crash so another worker takes over
    }),
  );
  // Out of retries: the video goes to the moderation stage without features (no hash check) rather than wait forever.
  worker.on("failed", (job) => {
    if (!job || job.attemptsMade < featuresJobOptions.attempts) return;
    const payload = featuresPayload.safeParse(job.data);
    if (payload.success) {
      enqueueModeration(payload.data).catch((error) => getLogger().error({ err: error, videoId: payload.data.videoId }, "moderation not queued"));
    }
  });
  return worker;
}
