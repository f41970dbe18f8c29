// Worker for the features queue.
import { Worker } from "bullmq";
import { featuresPayload, FEATURES_QUEUE } from "@/lib/jobs/features";
import { createWorkerConnection, QUEUE_PREFIX } from "@/lib/jobs/connection";
import { processFeaturesJob } from "@/lib/videos/features";
import { instrument } from "./instrument";

export function startFeaturesWorker(): Worker {
  return instrument(
    new Worker(FEATURES_QUEUE, (job) => processFeaturesJob(featuresPayload.parse(job.data)), {
      connection: createWorkerConnection(),
      prefix: QUEUE_PREFIX,
      // Analysis runs at low resolution; one at a time keeps it from starving transcodes of CPU.
      concurrency: 1,
      lockDuration: 30_000, // renewed while running; lapses 30 s after a crash so another worker takes over
    }),
  );
}
