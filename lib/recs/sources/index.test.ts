import { describe, expect, it } from "vitest";
import { CANDIDATES, SERVING } from "../config";
import type { Candidate } from "../types";
import { interleaveBySource } from "./index";

const candidate = (videoId: string, source: Candidate["source"], sourceScore: number): Candidate => ({ videoId, source, sourceScore });

describe("interleaveBySource", () => {
  it("takes each source's best in turn, by source priority, so a big source cannot crowd out a small one", () => {
    const candidates = [
      candidate("t1", "trending", 9),
      candidate("t2", "trending", 8),
      candidate("t3", "trending", 7),
      candidate("t4", "trending", 6),
      candidate("h2", "hashtag", 1),
      candidate("h1", "hashtag", 2),
      candidate("f1", "following", 0.5),
    ];
    expect(interleaveBySource(candidates, 5).map((item) => item.videoId)).toEqual(["f1", "h1", "t1", "h2", "t2"]);
    expect(interleaveBySource(candidates, 100).map((item) => item.videoId)).toEqual(["f1", "h1", "t1", "h2", "t2", "t3", "t4"]);
  });

  it("a stored list cut at CANDIDATES.max still holds everything a request's shortlist can take from it", () => {
    expect(CANDIDATES.max).toBeGreaterThanOrEqual(SERVING.rankPerRequest + SERVING.seenMargin);
    // A viewer's refresh: a thousand hashtag candidates and a few hundred from each other source.
    const sources: Candidate["source"][] = ["hashtag", "creator", "coengagement", "embedding", "trending"];
    const all = sources.flatMap((source, s) => Array.from({ length: s === 0 ? 1_000 : 300 }, (_, i) => candidate(`${source}${i}`, source, 1_000 - i)));
    const stored = interleaveBySource(all, CANDIDATES.max);
    const shortlist = interleaveBySource(all, SERVING.rankPerRequest + SERVING.seenMargin);
    const storedIds = new Set(stored.map((item) => item.videoId));
    for (const item of shortlist) expect(storedIds.has(item.videoId)).toBe(true);
  });
});
