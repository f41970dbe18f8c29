// The maintenance queue: periodic housekeeping of the instance (ended sessions today; abandoned uploads and stale
// caches join it as those features land). Web and CLI import this module only to enqueue.
import { Queue } from "bullmq";
import { z } from "zod";
import { getQueueConnection, QUEUE_PREFIX } from "./connection";

export const MAINTENANCE_QUEUE = "maintenance";

export const maintenancePayload = z.object({
  task: z.enum(["purge-sessions", "purge-uploads", "requeue-videos", "seed-demo"]),
});
export type MaintenancePayload = z.infer<typeof maintenancePayload>;

export const maintenanceJobOptions = {
  // Housekeeping is safe to retry: each task is idempotent.
  attempts: 3,
  // Back off 30 s, 60 s, 120 s so a database restart has time to finish.
  backoff: { type: "exponential", delay: 30_000 },
  // Keep a short history for the admin dashboard without letting Redis grow.
  removeOnComplete: { count: 100 },
  removeOnFail: { count: 500 },
} as const;

/** How often each task runs on its own. */
export const maintenanceSchedule: Partial<Record<MaintenancePayload["task"], number>> = {
  // Ended sessions only cost disk; hourly keeps the table small without churn.
  "purge-sessions": 60 * 60 * 1000,
  // Abandoned uploads hold disk and quota; checking every 15 minutes frees them soon after they expire.
  "purge-uploads": 15 * 60 * 1000,
  // Videos whose job was lost (Redis down at publish) get going again within a couple of minutes.
  "requeue-videos": 2 * 60 * 1000,
};

let queue: Queue<MaintenancePayload> | undefined;

export function getMaintenanceQueue(): Queue<MaintenancePayload> {
  queue ??= new Queue<MaintenancePayload>(MAINTENANCE_QUEUE, {
    connection: getQueueConnection(),
    prefix: QUEUE_PREFIX,
    defaultJobOptions: maintenanceJobOptions,
  });
  return queue;
}

/** Runs a task now. The job id makes a second request while one is waiting a no-op. */
export async function enqueueMaintenance(payload: MaintenancePayload): Promise<string> {
  const data = maintenancePayload.parse(payload);
  const job = await getMaintenanceQueue().add(data.task, data, { jobId: `maintenance:${data.task}:now` });
  return job.id ?? "";
}

/** Installs (or updates) the repeating schedule; idempotent, called at worker start. */
export async function scheduleMaintenance(): Promise<void> {
  for (const [task, every] of Object.entries(maintenanceSchedule)) {
    if (every === undefined) continue;
    await getMaintenanceQueue().upsertJobScheduler(`maintenance:${task}`, { every }, {
      name: task,
      data: { task: task as MaintenancePayload["task"] },
      opts: maintenanceJobOptions,
    });
  }
}

export async function closeMaintenanceQueue(): Promise<void> {
  await queue?.close();
  queue = undefined;
}
