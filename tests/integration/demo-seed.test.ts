// First-run demo content: varied generated clips that go through the real pipeline, seeded once per instance.
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { DEMO_VIDEO_COUNT, planDemoClips, seedDemoContent } from "@/lib/demo/seed";
import { closeQueueConnection } from "@/lib/jobs/connection";
import { closeTranscodeQueue } from "@/lib/jobs/transcode";
import { api } from "../helpers";

describe("demo content", () => {
  afterAll(async () => {
    await closeTranscodeQueue();
    await closeQueueConnection();
  });

  it("plans at least 24 varied clips: orientations, scenes, creators and hashtags", () => {
    const clips = planDemoClips();
    expect(clips.length).toBeGreaterThanOrEqual(24);
    expect(DEMO_VIDEO_COUNT).toBeGreaterThanOrEqual(24);
    expect(new Set(clips.map((clip) => `${clip.width}x${clip.height}`)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(clips.map((clip) => clip.source.split("=")[0])).size).toBeGreaterThanOrEqual(5);
    expect(new Set(clips.map((clip) => clip.creator.handle)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(clips.flatMap((clip) => clip.caption.match(/#\w+/g) ?? [])).size).toBeGreaterThanOrEqual(8);
  });

  it("queues the clips through the real pipeline once, resuming a cut-short run, and they become ready, public videos", async () => {
    expect(await seedDemoContent(1)).toBe(1);
    // As if that run had crashed before finishing: a new run queues only what is missing.
    await getDb().setting.delete({ where: { key: "demo.seeded" } });
    expect(await seedDemoContent(2)).toBe(1);
    expect(await seedDemoContent(2)).toBe(0);
    const demo = await getDb().video.findMany({ where: { author: { email: { endsWith: "@demo.flick.invalid" } } }, select: { id: true } });
    expect(demo).toHaveLength(2);
    const deadline = Date.now() + 120_000;
    for (const { id } of demo) {
      let status = "processing";
      while (status === "processing" && Date.now() < deadline) {
        status = (await api(`/api/videos/${id}`)).body.status ?? "processing";
        if (status === "processing") await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(status).toBe("ready");
    }
    // A newcomer's feed serves them (For You, signed out, paged to its end).
    const served: string[] = [];
    let cursor: string | null = null;
    const device = `flick_device=${crypto.randomUUID()}`;
    do {
      const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const page = await api(`/api/feed?tab=foryou&limit=30${suffix}`, { headers: { cookie: device } });
      served.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.cursor;
    } while (cursor);
    expect(served).toEqual(expect.arrayContaining(demo.map((video) => video.id)));
  });
});
