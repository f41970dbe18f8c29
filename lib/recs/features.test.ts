// The feature vector: what the ranker sees of a viewer, a video and a candidate, in FEATURE_NAMES order.
import { describe, expect, it } from "vitest";
import { emptyUserState, type UserState } from "../events/user-state";
import { FEATURE_COUNT, FEATURE_NAMES, featureIndex, featurize, featurizeBatch } from "./features";
import { EMPTY_SESSION, sessionProfile } from "./session";
import { EMBEDDING_DIM, type FeatureInput, type VideoSignals } from "./types";

const emptyState = (overrides: Partial<UserState> = {}): UserState => emptyUserState("u:1", overrides);

const video = (overrides: Partial<VideoSignals> = {}): VideoSignals => ({
  videoId: "v1",
  authorId: "a1",
  hashtags: ["cooking", "pasta"],
  durationSec: 12,
  ageHours: 2,
  content: null,
  stats: { impressions: 0, plays: 0, completes: 0, skips: 0, likes: 0, shares: 0, comments: 0, follows: 0, meanWatchFraction: 0 },
  embedding: null,
  ...overrides,
});

const input = (state: UserState, videoSignals = video(), extra: Partial<FeatureInput["viewer"]> = {}): FeatureInput => ({
  viewer: { viewerKey: "u:1", state, session: EMPTY_SESSION, embedding: null, followsAuthorIds: new Set(), device: "mobile", hour: 6, ...extra },
  video: videoSignals,
  candidate: { videoId: videoSignals.videoId, source: "hashtag", sourceScore: 40 },
});

const value = (row: Float32Array, name: string) => row[featureIndex(name)]!;

describe("featurize", () => {
  it("has one named column per value and stays finite and small for an empty viewer and a new video", () => {
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_COUNT);
    const row = featurize(input(emptyState()));
    expect(row.length).toBe(FEATURE_COUNT);
    for (const v of row) {
      expect(Number.isFinite(v)).toBe(true);
      expect(Math.abs(v)).toBeLessThanOrEqual(5);
    }
    // A new video's rates are the priors, not 0 or 1.
    expect(value(row, "video_completion_rate")).toBeCloseTo(0.3, 5);
    expect(value(row, "video_watch_fraction")).toBeCloseTo(0.45, 5);
    expect(value(row, "video_is_new")).toBe(1);
    expect(value(row, "viewer_is_new")).toBe(1);
    expect(value(row, "source_hashtag")).toBe(1);
    expect(value(row, "source_trending")).toBe(0);
    expect(value(row, "device_mobile")).toBe(1);
    expect(value(row, "hour_sin")).toBeCloseTo(1, 5); // 6 am is a quarter of the day
    expect(value(row, "embedding_present")).toBe(0);
  });

  it("reads the viewer's affinity with the video's hashtags and creator, follows and recent skips", () => {
    const state = emptyState({
      hashtags: [{ name: "cooking", score: 8 }, { name: "pasta", score: -2 }, { name: "cars", score: 20 }],
      creators: [{ userId: "a1", score: -3 }],
      recentSkips: [{ videoId: "v1", at: 1, watchedMs: 500 }],
    });
    const row = featurize(input(state, video(), { followsAuthorIds: new Set(["a1"]) }));
    expect(value(row, "tag_affinity_max")).toBeGreaterThan(0.5);
    expect(value(row, "tag_affinity_min")).toBeLessThan(0);
    expect(value(row, "tag_disliked")).toBe(1);
    expect(value(row, "creator_affinity")).toBeLessThan(0);
    expect(value(row, "creator_disliked")).toBe(1);
    expect(value(row, "follows_author")).toBe(1);
    expect(value(row, "video_skipped_recently")).toBe(1);
    // A stronger affinity gives a larger feature.
    const liked = featurize(input(emptyState({ hashtags: [{ name: "cooking", score: 30 }] })));
    expect(value(liked, "tag_affinity_max")).toBeGreaterThan(value(row, "tag_affinity_max"));
  });

  it("reads this session: the video's hashtags and creator as skipped or finished in the last views, and novelty", () => {
    // Finished three #cooking videos by a2, skipped two #cars videos by a3: a session of five views.
    const state = emptyState({
      recentWatches: [
        { videoId: "s1", at: 5, watchedMs: 12_000, loops: 0, completed: true },
        { videoId: "s2", at: 4, watchedMs: 300, loops: 0, completed: false },
        { videoId: "s3", at: 3, watchedMs: 12_000, loops: 1, completed: true },
        { videoId: "s4", at: 2, watchedMs: 400, loops: 0, completed: false },
        { videoId: "s5", at: 1, watchedMs: 12_000, loops: 0, completed: true },
      ],
      recentSkips: [{ videoId: "s2", at: 4, watchedMs: 300 }, { videoId: "s4", at: 2, watchedMs: 400 }],
    });
    const known = new Map([
      ["s1", { authorId: "a2", hashtags: ["cooking"], durationSec: 12 }],
      ["s2", { authorId: "a3", hashtags: ["cars"], durationSec: 12 }],
      ["s3", { authorId: "a2", hashtags: ["cooking"], durationSec: 12 }],
      ["s4", { authorId: "a3", hashtags: ["cars"], durationSec: 12 }],
      ["s5", { authorId: "a2", hashtags: ["cooking"], durationSec: 12 }],
    ]);
    const session = sessionProfile(state, known);
    const row = (signals: VideoSignals) => featurize(input(state, signals, { session }));
    const cooking = row(video({ hashtags: ["cooking"], authorId: "a2" }));
    const cars = row(video({ hashtags: ["cars"], authorId: "a3" }));
    const fresh = row(video({ hashtags: ["gardening"], authorId: "a9" }));
    expect(value(cooking, "session_active")).toBe(1);
    expect(value(cooking, "session_tag_max")).toBeGreaterThan(0.5);
    expect(value(cooking, "session_creator")).toBeGreaterThan(0.5);
    expect(value(cars, "session_tag_min")).toBeLessThan(-0.5);
    expect(value(cars, "session_creator")).toBeLessThan(-0.5);
    expect(value(cooking, "session_novel")).toBe(0);
    expect(value(fresh, "session_novel")).toBe(1);
    expect(value(fresh, "session_tag_max")).toBe(0);
    // Without a session every session feature is 0.
    const none = featurize(input(state, video({ hashtags: ["cooking"], authorId: "a2" })));
    for (const name of ["session_active", "session_tag_max", "session_tag_min", "session_creator", "session_novel"]) expect(value(none, name)).toBe(0);
  });

  it("smooths a video's rates by its number of views", () => {
    const few = featurize(input(emptyState(), video({ stats: { ...video().stats, plays: 2, completes: 2, meanWatchFraction: 1 } })));
    const many = featurize(input(emptyState(), video({ stats: { ...video().stats, plays: 500, completes: 500, meanWatchFraction: 1 } })));
    expect(value(few, "video_completion_rate")).toBeLessThan(0.5);
    expect(value(many, "video_completion_rate")).toBeGreaterThan(0.95);
  });

  it("gives the embedding dot product, cosine and elementwise product when both vectors exist", () => {
    const a = new Float32Array(EMBEDDING_DIM).fill(0.5);
    const b = new Float32Array(EMBEDDING_DIM).fill(0.25);
    const row = featurize({ ...input(emptyState(), video({ embedding: b })), viewer: { ...input(emptyState()).viewer, embedding: a } });
    expect(value(row, "embedding_present")).toBe(1);
    expect(value(row, "embedding_dot")).toBeCloseTo(EMBEDDING_DIM * 0.125, 5);
    expect(value(row, "embedding_cosine")).toBeCloseTo(1, 5);
    expect(value(row, "embedding_product_3")).toBeCloseTo(0.125, 5);
    // Serving passes the video's vector beside the shared signals: the same row either way, and it wins over video.embedding.
    const viewer = { ...input(emptyState()).viewer, embedding: a };
    const beside = featurize({ ...input(emptyState(), video({ embedding: null })), viewer, videoEmbedding: b });
    expect(Array.from(beside)).toEqual(Array.from(row));
    const none = featurize({ ...input(emptyState(), video({ embedding: b })), viewer, videoEmbedding: null });
    expect(value(none, "embedding_present")).toBe(0);
  });

  it("gives the viewer's activity, the hour and the device in every row of a batch", () => {
    const state = emptyState({ counts: { impression: 100, play: 80, complete: 40, skip: 20, like: 5 } });
    const viewer = input(state, video(), { device: "desktop", hour: 12 }).viewer;
    const batch = featurizeBatch([video(), video({ videoId: "v2" })].map((signals) => ({ ...input(state, signals), viewer })));
    for (const row of [batch.subarray(0, FEATURE_COUNT), batch.subarray(FEATURE_COUNT)]) {
      expect(value(row, "viewer_impressions")).toBeCloseTo(Math.log1p(100) / Math.log1p(10_000), 5);
      expect(value(row, "viewer_completion_rate")).toBeCloseTo((40 + 0.3 * 10) / (80 + 10), 5);
      expect(value(row, "viewer_is_new")).toBe(0);
      expect(value(row, "hour_cos")).toBeCloseTo(-1, 5); // noon
      expect(value(row, "device_desktop")).toBe(1);
      expect(value(row, "device_mobile")).toBe(0);
    }
  });

  it("lays a batch out row-major, each row equal to featurize of its input", () => {
    const inputs = [input(emptyState({ hashtags: [{ name: "cooking", score: 5 }] })), input(emptyState(), video({ videoId: "v2", hashtags: [] }))];
    const batch = featurizeBatch(inputs);
    expect(batch.length).toBe(2 * FEATURE_COUNT);
    expect(Array.from(batch.subarray(FEATURE_COUNT))).toEqual(Array.from(featurize(inputs[1]!)));
    expect(Array.from(batch.subarray(0, FEATURE_COUNT))).toEqual(Array.from(featurize(inputs[0]!)));
  });
});
