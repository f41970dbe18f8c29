// The session profile: the last few dozen views by hashtag and creator, newest weighing most.
import { describe, expect, it } from "vitest";
import { emptyUserState } from "../events/user-state";
import { SESSION, sessionProfile, sessionTopTags, sessionVideoIds, sessionViews } from "./session";

type Watch = { videoId: string; at: number; watchedMs: number; loops: number; completed: boolean };
const watch = (videoId: string, at: number, share: number, loops = 0): Watch => ({ videoId, at, watchedMs: share * 10_000, loops, completed: share >= 1 });
const videos = (entries: Array<[id: string, tag: string, author: string]>) => new Map(entries.map(([id, tag, author]) => [id, { authorId: author, hashtags: [tag], durationSec: 10 }]));

describe("sessionViews", () => {
  it("maps a view to −1 (skipped) … +1 (finished), replays a little more, one entry per video, newest first", () => {
    const state = emptyUserState("u:1", {
      recentWatches: [watch("a", 5, 1, 2), watch("b", 4, 0.5), watch("c", 3, 0.1), watch("a", 2, 0.2)],
      recentSkips: [{ videoId: "c", at: 3, watchedMs: 1_000 }, { videoId: "d", at: 1, watchedMs: 200 }],
    });
    const views = sessionViews(state, new Map([["a", 10], ["b", 10], ["c", 10], ["d", 10]]));
    expect(views.map((view) => view.videoId)).toEqual(["a", "b", "c", "d"]);
    expect(views[0]!.value).toBeCloseTo(1 + 2 * SESSION.replayBonus, 5); // the latest view of "a", finished twice more
    expect(views[1]!.value).toBeCloseTo(0, 5);
    expect(views[2]!.value).toBe(-1); // watched a tenth and skipped
    expect(views[3]!.value).toBe(-1); // a skip without its progress event still counts
  });

  it("keeps only the last SESSION.window views", () => {
    const recentWatches = Array.from({ length: 100 }, (_, i) => watch(`v${i}`, 1_000 - i, 1));
    expect(sessionViews(emptyUserState("u:1", { recentWatches }), new Map()).length).toBe(SESSION.window);
    expect(sessionVideoIds(emptyUserState("u:1", { recentWatches })).length).toBe(SESSION.window);
  });
});

describe("sessionProfile", () => {
  it("says nothing before SESSION.minViews views", () => {
    const state = emptyUserState("u:1", { recentWatches: [watch("a", 2, 1), watch("b", 1, 1)] });
    const profile = sessionProfile(state, videos([["a", "cooking", "x"], ["b", "cooking", "x"]]));
    expect(profile.views).toBe(2);
    expect(profile.tags.size).toBe(0);
  });

  it("follows a change of interest within a page: the newest views outweigh many older ones", () => {
    // Twenty finished #cooking views, then the last six: #cooking skipped three times, #cars finished three times.
    const older = Array.from({ length: 20 }, (_, i) => watch(`old${i}`, 100 - i, 1));
    const latest = [watch("k1", 206, 0.05), watch("c1", 205, 1), watch("k2", 204, 0.05), watch("c2", 203, 1), watch("k3", 202, 0.05), watch("c3", 201, 1)];
    const state = emptyUserState("u:1", { recentWatches: [...latest, ...older] });
    const known = videos([
      ...older.map((view): [string, string, string] => [view.videoId, "cooking", "chef"]),
      ["k1", "cooking", "chef"],
      ["k2", "cooking", "chef"],
      ["k3", "cooking", "chef"],
      ["c1", "cars", "driver"],
      ["c2", "cars", "driver"],
      ["c3", "cars", "driver"],
    ]);
    const profile = sessionProfile(state, known);
    expect(profile.tags.get("cars")!).toBeGreaterThan(profile.tags.get("cooking")!);
    expect(sessionTopTags(profile, 1)[0]!.name).toBe("cars");
  });

  it("turns against a topic after four skips in a row, however long it was finished before, and keeps the latest views", () => {
    const older = Array.from({ length: 26 }, (_, i) => watch(`old${i}`, 100 - i, 1));
    const skips = [watch("s1", 204, 0.05), watch("s2", 203, 0.05), watch("s3", 202, 0.05), watch("s4", 201, 0.05)];
    const state = emptyUserState("u:1", { recentWatches: [...skips, ...older] });
    const known = videos([...[...skips, ...older].map((view): [string, string, string] => [view.videoId, "cooking", "chef"])]);
    const profile = sessionProfile(state, known);
    expect(profile.tags.get("cooking")!).toBeLessThan(0);
    expect(profile.latest).toHaveLength(SESSION.latest);
    expect(profile.latest.every((value) => value < 0)).toBe(true);
  });

  it("names what a missing page missed: the skipped views' hashtags and creators, less those of the good view among them", () => {
    const older = Array.from({ length: 8 }, (_, i) => watch(`old${i}`, 100 - i, 1));
    const latest = [watch("s1", 204, 0.05), watch("g1", 203, 1), watch("s2", 202, 0.05), watch("s3", 201, 0.05)];
    const state = emptyUserState("u:1", { recentWatches: [...latest, ...older] });
    const known = new Map([
      ...older.map((view): [string, { authorId: string; hashtags: string[]; durationSec: number }] => [view.videoId, { authorId: "chef", hashtags: ["cooking", "fyp"], durationSec: 10 }]),
      ["s1", { authorId: "chef", hashtags: ["cooking", "fyp"], durationSec: 10 }],
      ["s2", { authorId: "chef", hashtags: ["cooking", "fyp"], durationSec: 10 }],
      ["s3", { authorId: "baker", hashtags: ["baking"], durationSec: 10 }],
      ["g1", { authorId: "driver", hashtags: ["cars", "fyp"], durationSec: 10 }],
    ]);
    const profile = sessionProfile(state, known);
    expect([...profile.missed.tags].sort()).toEqual(["baking", "cooking"]);
    expect([...profile.missed.creators].sort()).toEqual(["baker", "chef"]);
    // Two skips in the latest four is not a missing page.
    const fine = sessionProfile(emptyUserState("u:1", { recentWatches: [watch("s1", 204, 0.05), watch("g1", 203, 1), watch("s2", 202, 0.05), ...older] }), known);
    expect(fine.missed.tags.size).toBe(0);
  });

  it("leaves out views of videos it knows nothing about", () => {
    const state = emptyUserState("u:1", { recentWatches: [watch("a", 4, 1), watch("gone", 3, 1), watch("b", 2, 1), watch("c", 1, 1)] });
    const profile = sessionProfile(state, videos([["a", "cooking", "x"], ["b", "cooking", "x"], ["c", "cars", "y"]]));
    expect(profile.views).toBe(3);
    expect([...profile.tags.keys()].sort()).toEqual(["cars", "cooking"]);
  });
});
