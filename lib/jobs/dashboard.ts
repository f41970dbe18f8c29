// A read-only view of the job queues for /admin: how many jobs wait, run, are delayed or failed per queue, and the
// latest failures with their reason. Built on BullMQ's own Queue APIs rather than mounting bull-board: bull-board needs
// a server adapter (Express, Fastify, Hono…) and serves its own UI bundle, neither of which fits a Next route handler
// without a second web framework in the web process; and /admin needs to look, not to retry or delete jobs.
import { FEATURES_QUEUE, getFeaturesQueue } from "./features";
import { getMaintenanceQueue, MAINTENANCE_QUEUE } from "./maintenance";
import { getModerationQueue, MODERATION_QUEUE } from "./moderation";
import { getTranscodeQueue, TRANSCODE_QUEUE } from "./transcode";

const FAILED_SHOWN = 10; // the latest failures per queue; enough to see a pattern, the worker log has the rest
const FAILED_REASON_LENGTH = 300; // the first line or two of a stack trace says what went wrong

export type QueueOverview = {
  name: string;
  counts: { waiting: number; active: number; delayed: number; failed: number; completed: number };
  failed: Array<{ id: string; name: string; reason: string; attempts: number; failedAt: string | null; data: unknown }>;
};

export async function getQueueOverview(): Promise<QueueOverview[]> {
  const queues = [
    [TRANSCODE_QUEUE, getTranscodeQueue()],
    [FEATURES_QUEUE, getFeaturesQueue()],
    [MODERATION_QUEUE, getModerationQueue()],
    [MAINTENANCE_QUEUE, getMaintenanceQueue()],
  ] as const;
  return Promise.all(
    queues.map(async ([name, queue]) => {
      const [counts, failed] = await Promise.all([
        queue.getJobCounts("waiting", "active", "delayed", "failed", "completed"),
        queue.getFailed(0, FAILED_SHOWN - 1),
      ]);
      return {
        name,
        counts: { waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, failed: counts.failed ?? 0, completed: counts.completed ?? 0 },
        failed: failed.filter(Boolean).map((job) => ({
          id: String(job.id),
          name: job.name,
          reason: (job.failedReason ?? "").slice(0, FAILED_REASON_LENGTH),
          attempts: job.attemptsMade,
          failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
          data: job.data,
        })),
      };
    }),
  );
}
