// Learned viewer and video vectors from the events table: viewers who watch one topic's videos to the end and swipe
// past another's end up nearest their own topic, a viewer never learned gets there from their recent watches, and For
// You ranks with both vectors.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { getDb, type Prisma } from "@/lib/db";
import { emptyUserState, type UserState } from "@/lib/events/user-state";
import { closeQueueConnection } from "@/lib/jobs/connection";
import { closeRecsTrainQueue, enqueueRecsTrain } from "@/lib/jobs/recs-train";
import { flushServed, getForYou } from "@/lib/recs";
import { embeddingCandidates, loadVideoVectors, loadViewerVector, trainEmbeddings } from "@/lib/recs/embeddings";
import { featureIndex } from "@/lib/recs/features";
import { seededRandom } from "@/lib/recs/training/mlp";
import { EMBEDDING_DIM } from "@/lib/recs/types";
import { signUp } from "../helpers";
import { createVideoRow } from "./video-rows";

const DURATION_MS = 8000;
const emptyState = (viewer: string, overrides: Partial<UserState> = {}): UserState => emptyUserState(viewer, overrides);

describe("learned embeddings", () => {
  const topics: string[][] = [[], []];
  const viewers: Array<{ deviceId: string; topic: number }> = [];

  it("puts a viewer's nearest videos in the topic they watch to the end, and folds in a viewer not learned yet", async () => {
    const random = seededRandom(11);
    const author = await signUp();
    for (const topic of topics) for (let i = 0; i < 15; i++) topic.push(await createVideoRow(author.id, { data: { durationMs: DURATION_MS } }));
    const events: Prisma.EventCreateManyInput[] = [];
    const at = new Date(Date.now() - 60_000);
    const pick = (list: string[], count: number) => [...list].sort(() => random() - 0.5).slice(0, count);
    for (let v = 0; v < 40; v++) {
      const deviceId = randomUUID();
      const topic = v % 2;
      viewers.push({ deviceId, topic });
      for (const videoId of pick(topics[topic]!, 8)) {
        events.push({ id: randomUUID(), txid: 0n, at, type: "PROGRESS", source: "FOR_YOU", videoId, deviceId, watchedMs: DURATION_MS });
        events.push({ id: randomUUID(), txid: 0n, at, type: "COMPLETE", source: "FOR_YOU", videoId, deviceId });
      }
      for (const videoId of pick(topics[1 - topic]!, 6)) {
        events.push({ id: randomUUID(), txid: 0n, at, type: "SKIP", source: "FOR_YOU", videoId, deviceId, watchedMs: 600 });
      }
    }
    await getDb().event.createMany({ data: events });

    const result = await trainEmbeddings();
    expect(result.version).not.toBeNull();
    expect(result.videos).toBeGreaterThanOrEqual(30);

    const vectors = await loadVideoVectors([...topics[0]!, ...topics[1]!, "not-a-video"]);
    expect(vectors.size).toBe(30);
    expect(vectors.get(topics[0]![0]!)!.length).toBe(EMBEDDING_DIM);

    for (const { deviceId, topic } of viewers.slice(0, 6)) {
      const key = `d:${deviceId}`;
      const nearest = await embeddingCandidates(key, emptyState(key), 5, new Set());
      expect(nearest).toHaveLength(5);
      expect(nearest.every((candidate) => candidate.source === "embedding" && candidate.sourceScore >= 0)).toBe(true);
      const own = nearest.filter((candidate) => topics[topic]!.includes(candidate.videoId)).length;
      expect(own).toBeGreaterThanOrEqual(4);
    }

    // A viewer the training never saw, who just finished two videos of topic 1: folded in from UserState.
    const newcomer = `d:${randomUUID()}`;
    const state = emptyState(newcomer, {
      recentWatches: topics[1]!.slice(0, 2).map((videoId, i) => ({ videoId, at: Date.now() - i * 1000, watchedMs: DURATION_MS, loops: 0, completed: true })),
    });
    expect(await loadViewerVector(newcomer, emptyState(newcomer))).toBeNull();
    expect(await loadViewerVector(newcomer, state)).not.toBeNull();
    const exclude = new Set(topics[1]!.slice(0, 2));
    const nearest = await embeddingCandidates(newcomer, state, 5, exclude);
    expect(nearest.some((candidate) => exclude.has(candidate.videoId))).toBe(false);
    expect(nearest.filter((candidate) => topics[1]!.includes(candidate.videoId)).length).toBeGreaterThanOrEqual(4);
  });

  it("ranks a For You page with each learned video's vector beside the viewer's (the served log's features say so)", async () => {
    const learned = new Set(topics.flat());
    const viewer = viewers[0]!;
    const page = await getForYou({ user: null, deviceId: viewer.deviceId }, { limit: 8, requestId: randomUUID() });
    await flushServed();
    const rows = await getDb().recServed.findMany({ where: { feedRequestId: page.feedRequestId }, select: { videoId: true, features: true } });
    const ofLearned = rows.filter((row) => learned.has(row.videoId));
    expect(ofLearned.length, JSON.stringify(rows.map((row) => row.videoId))).toBeGreaterThan(0);
    for (const row of ofLearned) expect(row.features[featureIndex("embedding_present")]).toBe(1);
  });

  it("runs as a recs-train job in the worker, storing a new version", async () => {
    const before = await getDb().recEmbedding.findFirst({ orderBy: { createdAt: "desc" }, select: { version: true } });
    await enqueueRecsTrain({ task: "embeddings" });
    const deadline = Date.now() + 60_000;
    let latest = before;
    while (Date.now() < deadline) {
      latest = await getDb().recEmbedding.findFirst({ orderBy: { createdAt: "desc" }, select: { version: true } });
      if (latest && latest.version !== before?.version) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(latest?.version).toBeDefined();
    expect(latest?.version).not.toBe(before?.version);
  });

  afterAll(async () => {
    await closeRecsTrainQueue();
    await closeQueueConnection();
  });
});
