// Worker for the recs-train queue.
import { Worker } from "bullmq";
import { createWorkerConnection, QUEUE_PREFIX } from "@/lib/jobs/connection";
import { recsTrainPayload, RECS_TRAIN_QUEUE, scheduleRecsTrain } from "@/lib/jobs/recs-train";
import { processRecsTrainJob } from "@/lib/recs/training/job";
import { instrument } from "./instrument";

export async function startRecsTrainWorker(): Promise<Worker> {
  await scheduleRecsTrain();
  return instrument(
    new Worker(RECS_TRAIN_QUEUE, (job) => processRecsTrainJob(recsTrainPayload.parse(job.data)), {
      connection: createWorkerConnection(),
      prefix: QUEUE_PREFIX,
      // One run at a time (training also takes a PostgreSQL advisory lock, so the CLI and this never overlap).
      concurrency: 1,
      // Training takes seconds to minutes; the lock is renewed while it runs and lapses 2 min after a crash.
      lockDuration: 120_000,
    }),
  );
}
