// What the studio shows: one video's analytics over a range of days, and the account's overview. Reads the folded
// aggregates (views, watch time, retention, sources, unique viewers, follows gained) and the social tables for likes,
// comments and shares (those tables are the truth about them). Every read is keyed by video or author and day.
import type { AuthUser } from "../auth/types";
import { getDb } from "../db";
import { AppError } from "../errors";
import { EVENT_SOURCES, type EventSource } from "../events/types";
import { fromDbSource } from "../events/names";
import { canViewVideo } from "../videos/permissions";
import { toVideoView, videoViewInclude } from "../videos/view";
import { dayOf, SOURCE_COLUMNS } from "./fold";
import { canReadVideoAnalytics } from "./permissions";
import type { DailyPoint, DayRange, StudioOverview, VideoAnalytics } from "./types";

export const DEFAULT_RANGE_DAYS = 28; // four whole weeks: weekday patterns even out
export const MAX_RANGE_DAYS = 366; // a year of daily points is still a readable chart and a small query
const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function addDays(day: string, days: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

function daysIn(range: DayRange): string[] {
  const days: string[] = [];
  for (let day = range.from; day <= range.to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The days asked for, defaulting to the last four weeks up to today (UTC); refuses backwards or overlong ranges. */
export function resolveRange(input: { from?: string; to?: string }, now = new Date()): DayRange {
  const today = dayOf(now);
  for (const value of [input.from, input.to]) {
    if (value !== undefined && (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || dayOf(new Date(`${value}T00:00:00Z`)) !== value)) {
      throw new AppError("invalid_input", `"${value}" is not a day; use YYYY-MM-DD.`);
    }
  }
  const to = input.to ?? (input.from && input.from > today ? input.from : today);
  const from = input.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  if (from > to) throw new AppError("invalid_input", "The range starts after it ends.");
  if (daysIn({ from, to }).length > MAX_RANGE_DAYS) throw new AppError("invalid_input", `A range is at most ${MAX_RANGE_DAYS} days.`);
  return { from, to };
}

/** The video, if the caller may read its analytics: 404 when they cannot even see it, 403 when it is not theirs. */
async function requireAnalyticsVideo(user: AuthUser, videoId: string) {
  const video = await getDb().video.findUnique({ where: { id: videoId }, include: videoViewInclude });
  if (!video || !canViewVideo(user, video)) throw new AppError("not_found", "No such video.");
  if (!canReadVideoAnalytics(user, video)) throw new AppError("forbidden", "Only the video's creator can see its analytics.");
  return video;
}

type Counted = { day: string; count: bigint | number };

function byDay(rows: Counted[]): Map<string, number> {
  return new Map(rows.map((row) => [row.day, Number(row.count)]));
}

/** Retention from the histogram of where views ended: the share of views ending at or after each second. */
export function retentionCurve(endedAt: Map<number, number>, durationMs: number | null): VideoAnalytics["retention"] {
  const total = [...endedAt.values()].reduce((sum, views) => sum + views, 0);
  if (total === 0) return [];
  const last = Math.max(durationMs ? Math.floor(durationMs / 1000) : 0, ...endedAt.keys());
  const curve: VideoAnalytics["retention"] = [];
  let remaining = total;
  for (let second = 0; second <= last; second += 1) {
    curve.push({ second, share: remaining / total });
    remaining -= endedAt.get(second) ?? 0;
  }
  return curve;
}

function ratio(part: number, whole: number): number {
  return whole > 0 ? Math.min(part / whole, 1) : 0;
}

export async function getVideoAnalytics(user: AuthUser, videoId: string, input: { from?: string; to?: string }): Promise<VideoAnalytics> {
  const video = await requireAnalyticsVideo(user, videoId);
  const range = resolveRange(input);
  const from = new Date(`${range.from}T00:00:00Z`);
  const end = new Date(Date.parse(`${range.to}T00:00:00Z`) + DAY_MS);
  const db = getDb();
  const [stats, viewersByDay, [uniqueRow], retentionRows, likes, comments, shares, follows] = await Promise.all([
    db.videoDailyStats.findMany({ where: { videoId, day: { gte: from, lt: end } } }),
    db.$queryRaw<Counted[]>`SELECT to_char("day", 'YYYY-MM-DD') AS day, count(*) AS count FROM "VideoViewer" WHERE "videoId" = ${videoId} AND "day" >= ${range.from}::date AND "day" <= ${range.to}::date GROUP BY 1`,
    db.$queryRaw<Array<{ count: bigint }>>`SELECT count(DISTINCT "viewer") AS count FROM "VideoViewer" WHERE "videoId" = ${videoId} AND "day" >= ${range.from}::date AND "day" <= ${range.to}::date`,
    db.$queryRaw<Array<{ second: number; views: bigint }>>`SELECT "second", sum("views") AS views FROM "VideoRetention" WHERE "videoId" = ${videoId} AND "day" >= ${range.from}::date AND "day" <= ${range.to}::date GROUP BY "second"`,
    db.$queryRaw<Counted[]>`SELECT to_char("createdAt", 'YYYY-MM-DD') AS day, count(*) AS count FROM "Like" WHERE "videoId" = ${videoId} AND "createdAt" >= ${range.from}::date AND "createdAt" < ${range.to}::date + 1 GROUP BY 1`,
    db.$queryRaw<Counted[]>`SELECT to_char("createdAt", 'YYYY-MM-DD') AS day, count(*) AS count FROM "Comment" WHERE "videoId" = ${videoId} AND "deletedAt" IS NULL AND "createdAt" >= ${range.from}::date AND "createdAt" < ${range.to}::date + 1 GROUP BY 1`,
    db.$queryRaw<Counted[]>`SELECT to_char("createdAt", 'YYYY-MM-DD') AS day, count(*) AS count FROM "Share" WHERE "videoId" = ${videoId} AND "createdAt" >= ${range.from}::date AND "createdAt" < ${range.to}::date + 1 GROUP BY 1`,
    db.$queryRaw<Counted[]>`SELECT to_char("day", 'YYYY-MM-DD') AS day, count(*) AS count FROM "VideoFollowGain" WHERE "videoId" = ${videoId} AND "day" >= ${range.from}::date AND "day" <= ${range.to}::date GROUP BY 1`,
  ]);
  const statsByDay = new Map(stats.map((row) => [dayOf(row.day), row]));
  const [viewers, likesByDay, commentsByDay, sharesByDay, followsByDay] = [viewersByDay, likes, comments, shares, follows].map(byDay);
  const daily: DailyPoint[] = daysIn(range).map((day) => {
    const row = statsByDay.get(day);
    return {
      day,
      impressions: row?.impressions ?? 0,
      views: row?.views ?? 0,
      uniqueViewers: viewers!.get(day) ?? 0,
      watchMs: Number(row?.watchMs ?? 0),
      completions: row?.completions ?? 0,
      skips: row?.skips ?? 0,
      replays: row?.replays ?? 0,
      likes: likesByDay!.get(day) ?? 0,
      comments: commentsByDay!.get(day) ?? 0,
      shares: sharesByDay!.get(day) ?? 0,
      follows: followsByDay!.get(day) ?? 0,
    };
  });
  const sum = (pick: (point: DailyPoint) => number) => daily.reduce((total, point) => total + pick(point), 0);
  const views = sum((point) => point.views);
  const watchedViews = stats.reduce((total, row) => total + row.watchedViews, 0);
  const watchMs = sum((point) => point.watchMs);
  const bySource = new Map<EventSource, number>(EVENT_SOURCES.map((source) => [source, 0]));
  for (const row of stats) {
    for (const [dbSource, column] of Object.entries(SOURCE_COLUMNS)) {
      const source = fromDbSource(dbSource as keyof typeof SOURCE_COLUMNS);
      bySource.set(source, (bySource.get(source) ?? 0) + (row[column as keyof typeof row] as number));
    }
  }
  const view = toVideoView(video);
  return {
    video: {
      id: video.id,
      caption: video.caption,
      status: view.status,
      progress: view.progress,
      poster: view.poster,
      duration: view.duration,
      visibility: view.visibility,
      createdAt: view.createdAt,
    },
    range,
    totals: {
      impressions: sum((point) => point.impressions),
      views,
      uniqueViewers: Number(uniqueRow?.count ?? 0),
      watchMs,
      avgWatchMs: watchedViews > 0 ? Math.round(watchMs / watchedViews) : 0,
      completionRate: ratio(sum((point) => point.completions), views),
      skipRate: ratio(sum((point) => point.skips), views),
      replays: sum((point) => point.replays),
      likes: sum((point) => point.likes),
      comments: sum((point) => point.comments),
      shares: sum((point) => point.shares),
      follows: sum((point) => point.follows),
    },
    retention: retentionCurve(new Map(retentionRows.map((row) => [row.second, Number(row.views)])), video.durationMs),
    sources: [...bySource]
      .map(([source, count]) => ({ source, views: count, share: ratio(count, views) }))
      .filter((entry) => entry.views > 0)
      .sort((a, b) => b.views - a.views),
    daily,
    generatedAt: new Date().toISOString(),
  };
}

const CSV_COLUMNS: Array<[header: string, value: (point: DailyPoint) => string | number]> = [
  ["day", (point) => point.day],
  ["impressions", (point) => point.impressions],
  ["views", (point) => point.views],
  ["unique_viewers", (point) => point.uniqueViewers],
  ["watch_time_seconds", (point) => (point.watchMs / 1000).toFixed(1)],
  ["completions", (point) => point.completions],
  ["skips", (point) => point.skips],
  ["replays", (point) => point.replays],
  ["likes", (point) => point.likes],
  ["comments", (point) => point.comments],
  ["shares", (point) => point.shares],
  ["follows", (point) => point.follows],
];

/** A video's daily stats as CSV (RFC 4180: comma-separated, CRLF line ends, a header row). */
export async function getVideoDailyCsv(user: AuthUser, videoId: string, input: { from?: string; to?: string }): Promise<{ filename: string; csv: string }> {
  const analytics = await getVideoAnalytics(user, videoId, input);
  const lines = [CSV_COLUMNS.map(([header]) => header).join(",")];
  for (const point of analytics.daily) lines.push(CSV_COLUMNS.map(([, value]) => value(point)).join(","));
  return { filename: `flick-${videoId}-${analytics.range.from}-${analytics.range.to}.csv`, csv: `${lines.join("\r\n")}\r\n` };
}

export async function getStudioOverview(user: AuthUser, input: { from?: string; to?: string }): Promise<StudioOverview> {
  const range = resolveRange(input);
  const from = new Date(`${range.from}T00:00:00Z`);
  const db = getDb();
  const [followers, followersBefore, gainedRows, videoCount, likes, perDay, perVideo, viewersPerVideo] = await Promise.all([
    db.follow.count({ where: { followeeId: user.id } }),
    db.follow.count({ where: { followeeId: user.id, createdAt: { lt: from } } }),
    db.$queryRaw<Counted[]>`SELECT to_char("createdAt", 'YYYY-MM-DD') AS day, count(*) AS count FROM "Follow" WHERE "followeeId" = ${user.id} AND "createdAt" >= ${range.from}::date AND "createdAt" < ${range.to}::date + 1 GROUP BY 1`,
    db.video.count({ where: { authorId: user.id } }),
    db.$queryRaw<Array<{ count: bigint }>>`SELECT count(*) AS count FROM "Like" l JOIN "Video" v ON v."id" = l."videoId" WHERE v."authorId" = ${user.id} AND l."createdAt" >= ${range.from}::date AND l."createdAt" < ${range.to}::date + 1`,
    db.$queryRaw<Array<{ day: string; views: bigint; watchMs: bigint }>>`
      SELECT to_char(s."day", 'YYYY-MM-DD') AS day, sum(s."views") AS views, sum(s."watchMs") AS "watchMs" FROM "VideoDailyStats" s JOIN "Video" v ON v."id" = s."videoId"
      WHERE v."authorId" = ${user.id} AND s."day" >= ${range.from}::date AND s."day" <= ${range.to}::date GROUP BY 1`,
    db.$queryRaw<Array<{ videoId: string; views: bigint; watchMs: bigint; watchedViews: bigint; completions: bigint }>>`
      SELECT s."videoId", sum(s."views") AS views, sum(s."watchMs") AS "watchMs", sum(s."watchedViews") AS "watchedViews", sum(s."completions") AS completions
      FROM "VideoDailyStats" s JOIN "Video" v ON v."id" = s."videoId"
      WHERE v."authorId" = ${user.id} AND s."day" >= ${range.from}::date AND s."day" <= ${range.to}::date GROUP BY s."videoId"`,
    db.$queryRaw<Array<{ videoId: string; count: bigint }>>`
      SELECT w."videoId", count(DISTINCT w."viewer") AS count FROM "VideoViewer" w JOIN "Video" v ON v."id" = w."videoId"
      WHERE v."authorId" = ${user.id} AND w."day" >= ${range.from}::date AND w."day" <= ${range.to}::date GROUP BY w."videoId"`,
  ]);
  const gained = byDay(gainedRows);
  let running = followersBefore;
  const followerGrowth = daysIn(range).map((day) => {
    running += gained.get(day) ?? 0;
    return { day, gained: gained.get(day) ?? 0, total: running };
  });
  const viewsByDay = new Map(perDay.map((row) => [row.day, row]));
  const dailyViews = daysIn(range).map((day) => ({ day, views: Number(viewsByDay.get(day)?.views ?? 0), watchMs: Number(viewsByDay.get(day)?.watchMs ?? 0) }));
  const uniqueByVideo = new Map(viewersPerVideo.map((row) => [row.videoId, Number(row.count)]));
  return {
    range,
    totals: {
      followers,
      videos: videoCount,
      views: dailyViews.reduce((total, point) => total + point.views, 0),
      watchMs: dailyViews.reduce((total, point) => total + point.watchMs, 0),
      likes: Number(likes[0]?.count ?? 0),
      followersGained: followerGrowth.reduce((total, point) => total + point.gained, 0),
    },
    followerGrowth,
    dailyViews,
    videos: perVideo.map((row) => ({
      id: row.videoId,
      views: Number(row.views),
      uniqueViewers: uniqueByVideo.get(row.videoId) ?? 0,
      avgWatchMs: Number(row.watchedViews) > 0 ? Math.round(Number(row.watchMs) / Number(row.watchedViews)) : 0,
      completionRate: ratio(Number(row.completions), Number(row.views)),
    })),
    generatedAt: new Date().toISOString(),
  };
}
