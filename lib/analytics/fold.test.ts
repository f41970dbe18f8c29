import { describe, expect, it } from "vitest";
import { dayOf, foldEvents, reachSecond, type FoldEvent } from "./fold";
import { retentionCurve } from "./queries";

const DAY = "2026-11-20";
const at = (second: number) => new Date(Date.parse(`${DAY}T10:00:00Z`) + second * 1000);
const VIDEO = "video10s"; // 10 s long

function event(type: FoldEvent["type"], fields: Partial<FoldEvent> = {}): FoldEvent {
  return { type, source: "FOR_YOU", videoId: VIDEO, at: at(0), userId: null, deviceId: null, watchedMs: null, loops: null, ...fields };
}

const ana = { userId: "ana", deviceId: "11111111-1111-4111-8111-111111111111" };
const anonymous = { deviceId: "22222222-2222-4222-8222-222222222222" };
const ben = { userId: "ben" };

// Four views of a 10 s video, worked out by hand:
//   ana, For You: watched 25 s with 2 loops (completed)   → reach 10 s
//   a signed-out device, For You: left at 4.5 s           → reach 4 s
//   ben, from a profile: watched to the end, no loop      → reach 10 s (completed)
//   ana again, from a shared link: left after 1.2 s       → reach 1 s (a skip)
const fixture: FoldEvent[] = [
  ...Array.from({ length: 5 }, () => event("IMPRESSION")),
  event("PLAY", { ...ana }),
  event("PROGRESS", { ...ana, watchedMs: 25_000, loops: 2, at: at(30) }),
  event("COMPLETE", { ...ana, at: at(10) }),
  event("PLAY", { ...anonymous }),
  event("PROGRESS", { ...anonymous, watchedMs: 4_500, loops: 0, at: at(5) }),
  event("PLAY", { ...ben, source: "PROFILE" }),
  event("COMPLETE", { ...ben, source: "PROFILE", at: at(10) }),
  event("PROGRESS", { ...ben, source: "PROFILE", watchedMs: 10_000, loops: 0, at: at(10) }),
  event("FOLLOW", { ...ben, source: "PROFILE", at: at(11) }),
  event("FOLLOW", { ...ben, source: "PROFILE", at: at(12) }),
  event("PLAY", { ...ana, source: "LINK", at: at(40) }),
  event("PROGRESS", { ...ana, source: "LINK", watchedMs: 1_200, loops: 0, at: at(41) }),
  event("SKIP", { ...ana, source: "LINK", watchedMs: 1_200, at: at(41) }),
  event("LIKE", { ...ana }),
  event("PLAY", { ...ana, videoId: "deleted" }),
];

describe("folding events into daily aggregates", () => {
  const folded = foldEvents(fixture, new Map([[VIDEO, 10_000]]));

  it("counts views by source, watch time, completions, skips and replays per video and day", () => {
    expect([...folded.daily.keys()]).toEqual([`${VIDEO}|${DAY}`]);
    expect(folded.daily.get(`${VIDEO}|${DAY}`)).toEqual({
      impressions: 5,
      views: 4,
      viewsBySource: { FOR_YOU: 2, FOLLOWING: 0, PROFILE: 1, SEARCH: 0, HASHTAG: 0, LINK: 1, OTHER: 0 },
      watchedViews: 4,
      watchMs: 25_000 + 4_500 + 10_000 + 1_200,
      completions: 2,
      skips: 1,
      replays: 2,
    });
    expect(folded.dropped).toBe(1);
  });

  it("records how far each view got, unique viewers, and a follow once per account", () => {
    expect(Object.fromEntries(folded.retention)).toEqual({ [`${VIDEO}|${DAY}|10`]: 2, [`${VIDEO}|${DAY}|4`]: 1, [`${VIDEO}|${DAY}|1`]: 1 });
    expect([...folded.viewers].sort()).toEqual([`${VIDEO}|${DAY}|d:${anonymous.deviceId}`, `${VIDEO}|${DAY}|u:ana`, `${VIDEO}|${DAY}|u:ben`]);
    expect(Object.fromEntries(folded.followGains)).toEqual({ [`${VIDEO}|ben`]: DAY });
  });

  it("turns where views ended into the share still watching at each second", () => {
    const curve = retentionCurve(new Map([[10, 2], [4, 1], [1, 1]]), 10_000);
    expect(curve.map((point) => point.share)).toEqual([1, 1, 0.75, 0.75, 0.75, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(retentionCurve(new Map(), 10_000)).toEqual([]);
  });

  it("folds a batch split in two to the same numbers as in one go", () => {
    const first = foldEvents(fixture.slice(0, 9), new Map([[VIDEO, 10_000]]));
    const second = foldEvents(fixture.slice(9), new Map([[VIDEO, 10_000]]));
    const a = first.daily.get(`${VIDEO}|${DAY}`)!;
    const b = second.daily.get(`${VIDEO}|${DAY}`)!;
    expect(a.views + b.views).toBe(4);
    expect(a.watchMs + b.watchMs).toBe(40_700);
  });
});

describe("reach and days", () => {
  it("is the watched time within the first pass, or the end once the view looped", () => {
    expect(reachSecond(4_500, 0, 10_000)).toBe(4);
    expect(reachSecond(12_000, 0, 10_000)).toBe(10);
    expect(reachSecond(3_000, 1, 10_000)).toBe(10);
    expect(reachSecond(7_999, 0, null)).toBe(7);
  });

  it("buckets by UTC day", () => {
    expect(dayOf(new Date("2026-11-20T23:59:59.999Z"))).toBe("2026-11-20");
    expect(dayOf(new Date("2026-11-21T00:00:00.000Z"))).toBe("2026-11-21");
  });
});
