// The transcode queue: turns a video's source file into its published HLS ladder, poster, covers and sprite.
// Web code imports this module only to enqueue; the processor lives in lib/videos/pipeline.ts.
import { Queue } from "bullmq";
import { z } from "zod";
import { getQueueConnection, QUEUE_PREFIX } from "./connection";

export const TRANSCODE_QUEUE = "transcode";

export const transcodePayload = z.object({
  videoId: z.string().min(1),
  /** The video's processing attempt; a creator's retry bumps it so the retry gets a job of its own. */
  attempt: z.number().int().positive(),
  /** "cover" only regenerates the poster from a new cover time; "transcode" does everything. */
  kind: z.enum(["transcode", "cover"]).default("transcode"),
});
export type TranscodePayload = z.infer<typeof transcodePayload>;

export const transcodeJobOptions = {
  // A crash or a killed worker gets two more tries; bad input fails at once (UnrecoverableError).
  attempts: 3,
  // 10 s, 20 s, 40 s: long enough for a restarted worker or a freed disk to come back.
  backoff: { type: "exponential", delay: 10_000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 5000 },
} as const;

let queue: Queue<TranscodePayload> | undefined;

export function getTranscodeQueue(): Queue<TranscodePayload> {
  queue ??= new Queue<TranscodePayload>(TRANSCODE_QUEUE, {
    connection: getQueueConnection(),
    prefix: QUEUE_PREFIX,
    defaultJobOptions: transcodeJobOptions,
  });
  return queue;
}

/** Deterministic id: enqueueing the same attempt twice is a no-op, so callers may retry freely. */
export function transcodeJobId(payload: Pick<TranscodePayload, "videoId" | "attempt" | "kind">): string {
  return `${payload.kind}:${payload.videoId}:${payload.attempt}`;
}

export async function enqueueTranscode(input: z.input<typeof transcodePayload>): Promise<string> {
  const payload = transcodePayload.parse(input);
  await getTranscodeQueue().add(payload.kind, payload, { jobId: transcodeJobId(payload) });
  return transcodeJobId(payload);
}

export async function closeTranscodeQueue(): Promise<void> {
  await queue?.close();
  queue = undefined;
}
