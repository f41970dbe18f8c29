// The JSON shapes of the studio's analytics (GET /api/studio/...), shared with the studio's client components.
import type { EventSource } from "../events/types";

/** Whole UTC days, both ends included, as YYYY-MM-DD. */
export type DayRange = { from: string; to: string };

export type DailyPoint = {
  day: string;
  impressions: number;
  views: number;
  uniqueViewers: number;
  watchMs: number;
  completions: number;
  skips: number;
  replays: number;
  likes: number;
  comments: number;
  shares: number;
  follows: number;
};

export type VideoAnalytics = {
  video: {
    id: string;
    caption: string;
    status: "processing" | "ready" | "failed";
    progress: number;
    poster: string | null;
    /** Seconds. */
    duration: number | null;
    visibility: "public" | "unlisted" | "private";
    createdAt: string;
  };
  range: DayRange;
  totals: {
    impressions: number;
    views: number;
    uniqueViewers: number;
    watchMs: number;
    /** Per view that reported its watch time. */
    avgWatchMs: number;
    /** Completions per view, 0–1. */
    completionRate: number;
    /** Skips per view, 0–1. */
    skipRate: number;
    replays: number;
    likes: number;
    comments: number;
    shares: number;
    follows: number;
  };
  /** Share (0–1) of views still watching at each second, from second 0 (always 1) to the video's end. */
  retention: Array<{ second: number; share: number }>;
  /** Views by where they came from, most first; `share` of all views, 0–1. */
  sources: Array<{ source: EventSource; views: number; share: number }>;
  daily: DailyPoint[];
  generatedAt: string;
};

export type StudioOverview = {
  range: DayRange;
  totals: {
    followers: number;
    videos: number;
    views: number;
    watchMs: number;
    likes: number;
    followersGained: number;
  };
  /** Followers gained each day and the total at its end (counting accounts that still follow). */
  followerGrowth: Array<{ day: string; gained: number; total: number }>;
  dailyViews: Array<{ day: string; views: number; watchMs: number }>;
  /** Per video, over the range. */
  videos: Array<{ id: string; views: number; uniqueViewers: number; avgWatchMs: number; completionRate: number }>;
  generatedAt: string;
};
