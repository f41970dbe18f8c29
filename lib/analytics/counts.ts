// Counters other features show (the feed's view count), read from the folded aggregates.
import { getDb } from "../db";

/** All-time views (PLAY events folded so far) of each video; videos without any are absent. */
export async function countViews(videoIds: string[]): Promise<Map<string, number>> {
  if (videoIds.length === 0) return new Map();
  const rows = await getDb().videoDailyStats.groupBy({ by: ["videoId"], where: { videoId: { in: videoIds } }, _sum: { views: true } });
  return new Map(rows.map((row) => [row.videoId, row._sum.views ?? 0]));
}
