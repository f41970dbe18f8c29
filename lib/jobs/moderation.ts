// The moderation queue: the pipeline's last stage, after feature extraction. It decides whether a ready video reaches
// other viewers (APPROVED) or waits in the review queue (HELD, with the reason). Processor: lib/moderation/stage.ts.
import { Queue } from "bullmq";
import { z } from "zod";
import { getQueueConnection, QUEUE_PREFIX } from "./connection";

export const MODERATION_QUEUE = "moderation";

export const moderationPayload = z.object({ videoId: z.string().min(1), attempt: z.number().int().positive() });
export type ModerationPayload = z.infer<typeof moderationPayload>;

export const moderationJobOptions = {
  // The decision is idempotent (it only moves a PENDING video); retries cover a restart or a briefly missing database.
  attempts: 5,
  backoff: { type: "exponential", delay: 5_000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 5000 },
} as const;

let queue: Queue<ModerationPayload> | undefined;

export function getModerationQueue(): Queue<ModerationPayload> {
  queue ??= new Queue<ModerationPayload>(MODERATION_QUEUE, {
    connection: getQueueConnection(),
    prefix: QUEUE_PREFIX,
    defaultJobOptions: moderationJobOptions,
  });
  return queue;
}

/** One decision per processing run of a video: the id makes a repeated enqueue (a retried features job) a no-op. */
export async function enqueueModeration(payload: ModerationPayload): Promise<void> {
  const data = moderationPayload.parse(payload);
  await getModerationQueue().add("moderation", data, { jobId: `moderation:${data.videoId}:${data.attempt}` });
}

export async function closeModerationQueue(): Promise<void> {
  await queue?.close();
  queue = undefined;
}
