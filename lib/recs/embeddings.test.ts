// The embedding fit alone (no database): it separates two tastes, and it lets the worker's event loop run meanwhile.
import { describe, expect, it } from "vitest";
import { fitVectors, type Interaction } from "./embeddings";
import { EMBEDDING_DIM } from "./types";

// 40 viewers, 80 videos: the first half of the viewers finish the first half of the videos and skip the others.
function twoTastes(): Interaction[] {
  const out: Interaction[] = [];
  for (let viewer = 0; viewer < 40; viewer++) {
    for (let video = 0; video < 80; video++) {
      const likes = viewer < 20 === video < 40;
      out.push({ viewer, video, label: likes ? 1 : 0, weight: 1 });
    }
  }
  return out; // 3,200 pairs: fewer than one yield interval (4,096 steps) per epoch, so it must count across epochs
}

const dot = (a: Float32Array, i: number, b: Float32Array, j: number) => {
  let sum = 0;
  for (let d = 0; d < EMBEDDING_DIM; d++) sum += a[i * EMBEDDING_DIM + d]! * b[j * EMBEDDING_DIM + d]!;
  return sum;
};

describe("fitVectors", () => {
  it("puts each viewer nearer the videos of their taste than the others", async () => {
    const { viewers, videos } = await fitVectors(twoTastes(), 40, 80);
    for (const viewer of [0, 7, 25, 39]) {
      const mean = (from: number) => Array.from({ length: 40 }, (_, k) => dot(viewers, viewer, videos, from + k)).reduce((a, b) => a + b, 0) / 40;
      const [own, other] = viewer < 20 ? [mean(0), mean(40)] : [mean(40), mean(0)];
      expect(own).toBeGreaterThan(other);
    }
  });

  it("lets the event loop run while it fits (the worker's other queues and lock renewals share the process)", async () => {
    let done = false;
    let ranDuring = false;
    const fitting = fitVectors(twoTastes(), 40, 80).then(() => {
      done = true;
    });
    // A macrotask queued now runs before the fit ends only if the fit hands the event loop back on the way.
    setImmediate(() => {
      ranDuring = !done;
    });
    await fitting;
    expect(ranDuring).toBe(true);
  });
});
