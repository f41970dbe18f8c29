// Re-ranking a scored request into a page: exploration slots, and what the session is skipping pushed back.
import { describe, expect, it } from "vitest";
import { EMPTY_SESSION, type SessionProfile } from "./session";
import { orderExploration, rerank, type Scored } from "./rerank";
import type { VideoSignals } from "./types";

function item(id: string, score: number, tag: string, author = `a-${id}`): Scored {
  const video = { videoId: id, authorId: author, hashtags: [tag] } as unknown as VideoSignals;
  return { candidate: { videoId: id, source: "trending", sourceScore: 0.5, signal: "" }, video, score };
}

const session = (tags: Record<string, number>): SessionProfile => ({ ...EMPTY_SESSION, tags: new Map(Object.entries(tags)), views: 10, latest: [-1, -1, -1, -1] });

describe("rerank", () => {
  it("pushes back videos whose every topic the session is skipping, and leaves other topics in score order", () => {
    const ranked = [item("k1", 2.0, "cooking"), item("k2", 1.9, "cooking"), item("c1", 1.4, "cars"), item("g1", 1.3, "garden"), item("c2", 1.2, "travel")];
    const plain = rerank(ranked, [], { count: 5, pageSize: 5, slots: 0 }).map((entry) => entry.candidate.videoId);
    expect(plain[0]).toBe("k1");
    const skipping = rerank(ranked, [], { count: 5, pageSize: 5, slots: 0, session: session({ cooking: -0.6, cars: 0.4 }) }).map((entry) => entry.candidate.videoId);
    expect(skipping.slice(0, 3)).toEqual(["c1", "g1", "c2"]);
    expect(skipping.slice(3).sort()).toEqual(["k1", "k2"]);
  });

  it("puts a full page's exploration slot inside the page, and a short page's at its end", () => {
    const ranked = Array.from({ length: 12 }, (_, i) => item(`r${i}`, 3 - i * 0.1, `t${i}`));
    const explore = [item("x1", 0, "new")];
    const full = rerank(ranked, [...explore], { count: 8, pageSize: 8, slots: 1 }).map((entry) => entry.candidate.videoId);
    expect(full.indexOf("x1")).toBe(4);
    const short = rerank(ranked, [...explore], { count: 4, pageSize: 4, slots: 1, slotsLast: true }).map((entry) => entry.candidate.videoId);
    expect(short.indexOf("x1")).toBe(3);
    expect(short.slice(0, 3)).toEqual(["r0", "r1", "r2"]);
  });
});

describe("orderExploration", () => {
  const pool = (id: string, level: number, predicted: number, owed: number): Scored => ({
    candidate: { videoId: id, source: "exploration", sourceScore: owed, signal: `pool ${level}` },
    video: { videoId: id, authorId: `a-${id}`, hashtags: [] } as unknown as VideoSignals,
    score: predicted,
  });
  // The page's own picks: the 4th best (a page of 4) scores 1.0.
  const ranked = [2, 1.8, 1.5, 1.0, 0.4, 0.2].map((score, index) => item(`r${index}`, score, `t${index}`));

  it("offers a new video (pool 0) to anyone, a promoted one only to a viewer likely to watch it about as much as the page", () => {
    const order = orderExploration([pool("new-unlikely", 0, 0.1, 0.5), pool("promoted-unlikely", 1, 0.3, 0.9), pool("promoted-likely", 1, 0.9, 0.2)], ranked, 4);
    expect(order.map((entry) => entry.candidate.videoId)).toEqual(["new-unlikely", "promoted-likely"]);
    // Ordered by the predicted score plus three times the owed share of the batch.
    expect(order[0]!.score).toBeCloseTo(0.1 + 3 * 0.5, 9);
    expect(order[1]!.score).toBeCloseTo(0.9 + 3 * 0.2, 9);
  });

  it("holds no promoted video back while the request has fewer candidates than a page", () => {
    const order = orderExploration([pool("promoted-unlikely", 2, 0.05, 0.1)], ranked.slice(0, 3), 4);
    expect(order.map((entry) => entry.candidate.videoId)).toEqual(["promoted-unlikely"]);
  });
});
