// Logs and metrics for every worker, so each queue file only wires its processor.
import type { Worker } from "bullmq";
import { getLogger } from "@/lib/logger";
import { getMetrics } from "@/lib/metrics";

export function instrument(worker: Worker): Worker {
  const log = getLogger().child({ queue: worker.name });
  worker.on("completed", (job, result) => {
    const seconds = (Date.now() - (job.processedOn ?? Date.now())) / 1000;
    getMetrics().jobDuration.labels(worker.name, "completed").observe(seconds);
    log.info({ jobId: job.id, result }, "job completed");
  });
  worker.on("failed", (job, error) => {
    const seconds = job ? (Date.now() - (job.processedOn ?? Date.now())) / 1000 : 0;
    getMetrics().jobDuration.labels(worker.name, "failed").observe(seconds);
    log.error({ jobId: job?.id, attempts: job?.attemptsMade, err: error }, "job failed");
  });
  worker.on("error", (error) => log.error({ err: error }, "worker error"));
  return worker;
}
