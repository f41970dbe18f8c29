// The features queue: content features (loudness, motion, scene cuts, colour, perceptual hash, text tokens, optional
// ONNX image embedding) for the recommender, extracted after a video is published. Processor: lib/videos/features.ts.
import { Queue } from "bullmq";
import { z } from "zod";
import { getQueueConnection, QUEUE_PREFIX } from "./connection";

export const FEATURES_QUEUE = "features";

export const featuresPayload = z.object({ videoId: z.string().min(1), attempt: z.number().int().positive() });
export type FeaturesPayload = z.infer<typeof featuresPayload>;

export const featuresJobOptions = {
  // Analysis is idempotent (an upsert per video); a few retries cover restarts.
  attempts: 3,
  backoff: { type: "exponential", delay: 10_000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 5000 },
} as const;

let queue: Queue<FeaturesPayload> | undefined;

export function getFeaturesQueue(): Queue<FeaturesPayload> {
  queue ??= new Queue<FeaturesPayload>(FEATURES_QUEUE, {
    connection: getQueueConnection(),
    prefix: QUEUE_PREFIX,
    defaultJobOptions: featuresJobOptions,
  });
  return queue;
}

export async function enqueueFeatures(payload: FeaturesPayload): Promise<void> {
  const data = featuresPayload.parse(payload);
  await getFeaturesQueue().add("features", data, { jobId: `features:${data.videoId}:${data.attempt}` });
}

export async function closeFeaturesQueue(): Promise<void> {
  await queue?.close();
  queue = undefined;
}
