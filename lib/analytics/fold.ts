// Folding events into per-video, per-day aggregates: pure, so the live consumer and a rebuild from the Event table
// compute exactly the same numbers. What counts as what:
//   - a view is a PLAY event (playback started), attributed to its source;
//   - watch time comes from PROGRESS events, one per finished view (watchedMs, loops included);
//   - how far a view got ("reach") is its watched time within the first pass, or the whole video once it looped;
//   - a completion is a COMPLETE event (the first pass reached the end), a replay each loop a view reports;
//   - unique viewers are distinct viewer keys with a PLAY that day;
//   - a follow gained is an account's first FOLLOW from this video (checked against Follow when written).
import type { DbEventSource } from "@/lib/events/names";
import type { StoredEvent } from "@/lib/events/cursor";
import { viewerKeyOf } from "@/lib/events/viewer";

export type FoldEvent = Pick<StoredEvent, "type" | "source" | "videoId" | "at" | "userId" | "deviceId" | "watchedMs" | "loops">;

export const SOURCE_COLUMNS: Record<DbEventSource, string> = {
  FOR_YOU: "viewsForYou",
  FOLLOWING: "viewsFollowing",
  PROFILE: "viewsProfile",
  SEARCH: "viewsSearch",
  HASHTAG: "viewsHashtag",
  LINK: "viewsLink",
  OTHER: "viewsOther",
};

export type DailyCounts = {
  impressions: number;
  views: number;
  viewsBySource: Record<DbEventSource, number>;
  watchedViews: number;
  watchMs: number;
  completions: number;
  skips: number;
  replays: number;
};

export type Folded = {
  /** Keyed "videoId|YYYY-MM-DD". */
  daily: Map<string, DailyCounts>;
  /** Keyed "videoId|YYYY-MM-DD|second": views that ended at that second. */
  retention: Map<string, number>;
  /** "videoId|YYYY-MM-DD|viewer" for each viewer who started a view that day. */
  viewers: Set<string>;
  /** Keyed "videoId|userId": the day of that account's first follow from the video. */
  followGains: Map<string, string>;
  /** Events of videos that no longer exist, left out. */
  dropped: number;
};

/** The UTC day of a time, as YYYY-MM-DD. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The last second of the video a view reached: a finished first pass reaches the end. */
export function reachSecond(watchedMs: number, loops: number, durationMs: number | null): number {
  if (durationMs === null || durationMs <= 0) return Math.floor(watchedMs / 1000);
  const reachMs = loops > 0 ? durationMs : Math.min(watchedMs, durationMs);
  return Math.floor(reachMs / 1000);
}

function emptyCounts(): DailyCounts {
  return {
    impressions: 0,
    views: 0,
    viewsBySource: { FOR_YOU: 0, FOLLOWING: 0, PROFILE: 0, SEARCH: 0, HASHTAG: 0, LINK: 0, OTHER: 0 },
    watchedViews: 0,
    watchMs: 0,
    completions: 0,
    skips: 0,
    replays: 0,
  };
}

/** `durations` names every video that exists (its length in ms, or null when unknown); others are dropped. */
export function foldEvents(events: FoldEvent[], durations: Map<string, number | null>): Folded {
  const folded: Folded = { daily: new Map(), retention: new Map(), viewers: new Set(), followGains: new Map(), dropped: 0 };
  for (const event of events) {
    if (!durations.has(event.videoId)) {
      folded.dropped += 1;
      continue;
    }
    const day = dayOf(event.at);
    const dayKey = `${event.videoId}|${day}`;
    const countsOf = (): DailyCounts => {
      let counts = folded.daily.get(dayKey);
      if (!counts) {
        counts = emptyCounts();
        folded.daily.set(dayKey, counts);
      }
      return counts;
    };
    switch (event.type) {
      case "IMPRESSION":
        countsOf().impressions += 1;
        break;
      case "PLAY": {
        const counts = countsOf();
        counts.views += 1;
        counts.viewsBySource[event.source] += 1;
        const viewer = viewerKeyOf(event);
        if (viewer) folded.viewers.add(`${dayKey}|${viewer}`);
        break;
      }
      case "PROGRESS": {
        const watchedMs = event.watchedMs ?? 0;
        const loops = event.loops ?? 0;
        const counts = countsOf();
        counts.watchedViews += 1;
        counts.watchMs += watchedMs;
        counts.replays += loops;
        const second = reachSecond(watchedMs, loops, durations.get(event.videoId) ?? null);
        const retentionKey = `${dayKey}|${second}`;
        folded.retention.set(retentionKey, (folded.retention.get(retentionKey) ?? 0) + 1);
        break;
      }
      case "COMPLETE":
        countsOf().completions += 1;
        break;
      case "SKIP":
        countsOf().skips += 1;
        break;
      case "FOLLOW":
        if (event.userId && !folded.followGains.has(`${event.videoId}|${event.userId}`)) {
          folded.followGains.set(`${event.videoId}|${event.userId}`, day);
        }
        break;
      default:
        // Likes, comments, shares and bookmarks are counted from their own tables, which are the truth about them;
        // their events feed the recommender.
        break;
    }
  }
  return folded;
}
