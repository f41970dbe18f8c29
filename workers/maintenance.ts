// Worker for the maintenance queue.
import { Worker } from "bullmq";
import { createWorkerConnection, QUEUE_PREFIX } from "@/lib/jobs/connection";
import { MAINTENANCE_QUEUE, scheduleMaintenance } from "@/lib/jobs/maintenance";
import { runMaintenanceTask } from "@/lib/jobs/maintenance-tasks";
import { instrument } from "./instrument";

export async function startMaintenanceWorker(): Promise<Worker> {
  await scheduleMaintenance();
  return instrument(
    new Worker(MAINTENANCE_QUEUE, (job) => runMaintenanceTask(job.data), {
      connection: createWorkerConnection(),
      prefix: QUEUE_PREFIX,
      // Housekeeping is light and rare; one at a time leaves the cores to transcodes.
      concurrency: 1,
    }),
  );
}
