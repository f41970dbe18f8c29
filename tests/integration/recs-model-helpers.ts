// Synthetic served-features logs for the ranker's tests: RecServed rows (the vector featurize gave at serving) and the
// Event rows of what each viewer then did, written straight to the database as the serving path and POST /api/events
// would. Outcomes follow planted rules, so a model that learns can be told from one that does not.
import { EMPTY_SESSION } from "../../lib/recs/session";
import { randomUUID } from "node:crypto";
import { getDb, type Prisma } from "@/lib/db";
import type { EventType } from "@/lib/generated/prisma/enums";
import { featurize } from "@/lib/recs/features";
import { seededRandom } from "@/lib/recs/training/mlp";
import type { FeatureInput } from "@/lib/recs/types";
import { signUp } from "../helpers";
import { createVideoRow } from "./video-rows";

export const DURATION_MS = 10_000;

export type PlantedItem = { input: FeatureInput; affinity: number; motion: number };

/** A FeatureInput whose viewer has `affinity` with the video's hashtag, at `hour`, for a video with `motion`. */
export function plantedInput(videoId: string, affinity: number, hour: number, motion: number): FeatureInput {
  return {
    viewer: {
      viewerKey: "d:test",
      state: { viewer: "d:test", recentWatches: [], recentSkips: [], recentLikes: [], hashtags: [{ name: "topic", score: affinity }], creators: [], counts: { impression: 50, play: 40, complete: 15 } },
      session: EMPTY_SESSION,
      embedding: null,
      followsAuthorIds: new Set(),
      device: "mobile",
      hour,
    },
    video: {
      videoId,
      authorId: "author",
      hashtags: ["topic"],
      durationSec: DURATION_MS / 1000,
      ageHours: 30,
      content: { loudnessLufs: -16, sceneCutRate: 0.5, motion, brightness: 0.5, colorfulness: 0.5, aspect: 0.5625 },
      stats: { impressions: 100, plays: 80, completes: 30, skips: 30, likes: 5, shares: 1, comments: 0, follows: 0, meanWatchFraction: 0.5 },
      embedding: null,
    },
    candidate: { videoId, source: "hashtag", sourceScore: 10 },
  };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Writes `requests` feed requests of `perRequest` items each, served one second apart from `start`. Planted rules:
 * completion rises with the viewer's hashtag affinity and is higher in the afternoon (an hour feature the prior
 * ignores); likes follow the video's motion (also ignored by the prior).
 */
export async function seedServedLog(requests: number, perRequest: number, seed: number, start = new Date(Date.now() - 3600_000)): Promise<{ videoIds: string[] }> {
  const random = seededRandom(seed);
  const author = await signUp();
  const videoIds: string[] = [];
  for (let i = 0; i < perRequest; i++) videoIds.push(await createVideoRow(author.id, { data: { durationMs: DURATION_MS } }));
  const served: Prisma.RecServedCreateManyInput[] = [];
  const events: Prisma.EventCreateManyInput[] = [];
  for (let r = 0; r < requests; r++) {
    const feedRequestId = randomUUID();
    const deviceId = randomUUID();
    const servedAt = new Date(start.getTime() + r * 1000);
    const hour = Math.floor(random() * 24);
    for (let position = 0; position < perRequest; position++) {
      const videoId = videoIds[position]!;
      const affinity = random() * 30 - 10;
      const motion = random();
      const features = Array.from(featurize(plantedInput(videoId, affinity, hour, motion)));
      served.push({ feedRequestId, videoId, viewerKey: `d:${deviceId}`, servedAt, position, source: "hashtag", reason: "#topic", strategy: "full", cohort: "a", modelVersion: "prior", features, score: 0, heads: [] });
      const at = new Date(servedAt.getTime() + 500 + position * 100);
      const event = (type: EventType, watchedMs?: number) =>
        events.push({ id: randomUUID(), txid: 0n, at, type, source: "FOR_YOU", videoId, deviceId, feedRequestId, ...(watchedMs === undefined ? {} : { watchedMs }) });
      event("IMPRESSION");
      const afternoon = hour >= 12 && hour < 18 ? 1.5 : 0;
      if (random() < sigmoid(0.25 * affinity - 1 + afternoon)) {
        event("PLAY");
        event("PROGRESS", DURATION_MS);
        event("COMPLETE");
      } else if (random() < 0.6) {
        event("SKIP", 700);
      } else {
        event("PLAY");
        event("PROGRESS", Math.round(DURATION_MS * random() * 0.8));
      }
      if (random() < sigmoid(6 * motion - 5)) event("LIKE");
    }
  }
  await getDb().recServed.createMany({ data: served });
  await getDb().event.createMany({ data: events });
  return { videoIds };
}
