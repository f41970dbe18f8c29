// The benchmark simulator's own arithmetic: what bench:recs reports is only as good as its metrics and its viewers'
// plausibility, so these pin the metric definitions (Gini, curves, swipes to 80 %) and check that simulated views obey
// the same rules the server applies to a real player's events.
import { describe, expect, it } from "vitest";
import { gini, meanCurve, runExplorerSession, runOracleSession, smooth, swipesToReach, type Catalogue, type CatalogueVideo, type SimViewer } from "@/bench/sim/population";
import { createRng, drawInterests, expectedWatchFraction, lovedTopics, makeCreators, makeVideos, shiftInterests, simulateView, utility } from "@/bench/sim/world";
import { checkAgainstVideo, parseEvent } from "@/lib/events/validate";
import type { VideoFacts } from "@/lib/events/videos";

describe("bench:recs metrics", () => {
  it("Gini is 0 for equal exposure and (n − 1)/n when one creator gets everything", () => {
    expect(gini([5, 5, 5, 5])).toBeCloseTo(0, 10);
    expect(gini([0, 0, 0, 12])).toBeCloseTo(0.75, 10);
    expect(gini([1, 2, 3, 4])).toBeCloseTo(0.25, 10);
  });

  it("curves average viewers per swipe index, and swipes-to-80 % finds the first smoothed swipe at 80 % of the final level", () => {
    expect(meanCurve([[1, 2, 3], [3, 4]])).toEqual([2, 3, 3]);
    expect(smooth([0, 0, 10, 0, 0], 5)).toEqual([10 / 3, 2.5, 2, 2.5, 10 / 3]);
    const rising = Array.from({ length: 40 }, (_, index) => Math.min(1, index / 20));
    const { swipes, final } = swipesToReach(rising, 0.8, 10);
    expect(final).toBe(1);
    // Smoothing with a centred window of 5 reaches 0.8 at index 16 (values 14–18 / 20 average 0.8): swipe 17.
    expect(swipes).toBe(17);
    expect(swipesToReach([0.1, 0.1, 0.1], 0.8, 3).swipes).toBe(1);
  });
});

describe("bench:recs world", () => {
  it("a loved topic's good video is watched far longer than an ignored topic's", () => {
    const rng = createRng(3);
    const user = { index: 0, interests: drawInterests(rng) };
    const loved = lovedTopics(user.interests)[0]!;
    const ignored = [...user.interests.keys()].find((topic) => user.interests[topic]! < 0.1)!;
    const video = (topic: number) => ({ index: 0, creator: 0, topic, quality: 0.8, durationSec: 20, ageHours: 1 });
    expect(expectedWatchFraction(utility(user, video(loved)), 20)).toBeGreaterThan(0.9);
    expect(expectedWatchFraction(utility(user, video(ignored)), 20)).toBeLessThan(0.1);
    const shifted = shiftInterests(rng, user.interests);
    for (const topic of lovedTopics(user.interests)) expect(shifted[topic]).toBeLessThanOrEqual(0.15);
    expect(lovedTopics(shifted).length).toBeGreaterThanOrEqual(2);
  });

  it("every simulated view produces events the server accepts, with the player's skip and completion rules", () => {
    const rng = createRng(11);
    const creators = makeCreators(rng, 20);
    const videos = makeVideos(rng, creators, 200, 48);
    const now = Date.now();
    let completed = 0;
    let skipped = 0;
    for (let index = 0; index < 2_000; index += 1) {
      const user = { index, interests: drawInterests(rng) };
      const video = videos[index % videos.length]!;
      const view = simulateView(rng, user, video);
      const durationMs = video.durationSec * 1000;
      expect(view.skipped && view.completed).toBe(false);
      if (view.skipped) expect(view.watchedMs < 2000 || view.watchedMs < durationMs / 4).toBe(true);
      if (view.liked) expect(view.completed).toBe(true);
      completed += view.completed ? 1 : 0;
      skipped += view.skipped ? 1 : 0;
      const parsed = parseEvent(
        { id: "0190a000-0000-7000-8000-000000000000", type: "progress", videoId: "v1", at: now, source: "foryou", watchedMs: view.watchedMs, loops: view.loops },
        { now, signedIn: true },
      );
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) continue;
      const facts: VideoFacts = { id: "v1", authorId: "a", durationMs, status: "READY", visibility: "PUBLIC", moderation: "APPROVED", hashtags: [] };
      expect(checkAgainstVideo(parsed.value, facts, null)).toBeNull();
    }
    // Random pairings are mostly poor matches: many skips, some completions, both present.
    expect(skipped).toBeGreaterThan(200);
    expect(completed).toBeGreaterThan(20);
  });
});

describe("bench:recs explorer (the recovery bound)", () => {
  const rng = createRng(21);
  const creators = makeCreators(rng, 60);
  const videos: CatalogueVideo[] = makeVideos(rng, creators, 1_500, 48).map((video, index) => ({ ...video, id: `v${index}`, creatorId: `c${video.creator}`, publishedAtMs: 0 }));
  const catalogue: Catalogue = { byId: new Map(videos.map((video) => [video.id, video])), all: videos };
  const viewer = (strategy: string, index: number): SimViewer => {
    const interests = drawInterests(createRng(100 + index));
    return { strategy, user: { index, interests }, userId: `${strategy}${index}`, token: "", shiftAt: 30, shiftTo: shiftInterests(createRng(200 + index), interests), swipes: [], failures: 0 };
  };

  it("serves what the oracle serves until the shift, then finds the new loved topics from views alone", () => {
    const after: number[][] = [];
    for (let index = 0; index < 12; index += 1) {
      const oracle = viewer("oracle", index);
      const explorer = viewer("explorer", index);
      runOracleSession(oracle, catalogue, createRng(index), 60, () => {});
      runExplorerSession(explorer, catalogue, createRng(index), 60, () => {});
      expect(explorer.swipes).toHaveLength(60);
      // Same picks before the shift (the same interests known, noise aside: the oracle's pick is noise-free).
      expect(explorer.swipes.slice(0, 20).map((swipe) => swipe.videoId)).toEqual(oracle.swipes.slice(0, 20).map((swipe) => swipe.videoId));
      const loved = new Set(lovedTopics(explorer.user.interests));
      after.push(explorer.swipes.filter((swipe) => swipe.afterShift).map((swipe) => (loved.has(catalogue.byId.get(swipe.videoId)!.topic) ? 1 : 0)));
    }
    // Right after the shift it cannot know; by the end of the session it serves the new loved topics almost only.
    const share = meanCurve(after);
    expect(share.slice(0, 2).reduce((sum, value) => sum + value, 0) / 2).toBeLessThan(0.3);
    expect(share.slice(-10).reduce((sum, value) => sum + value, 0) / 10).toBeGreaterThan(0.8);
  });
});
