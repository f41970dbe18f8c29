// FeatureInput rows (lib/recs/types.ts, the contract between serving and the model) for one real viewer of a seeded
// instance and `count` real listed videos, read straight from PostgreSQL and the viewer's real-time state in Redis:
// what bench:feed hands featurizeBatch + the ranker to time "1,000 candidates ranked", independent of how serving
// gathers them (which bench:feed times separately as candidate refresh).
import { EMPTY_SESSION } from "../../lib/recs/session";
import type pg from "pg";
import type { UserState } from "../../lib/events";
import type { FeatureInput, RecSource, VideoSignals, ViewerSignals } from "../../lib/recs/types";

type VideoRow = {
  id: string;
  authorId: string;
  durationMs: number | null;
  ageHours: number;
  hashtags: string[];
  loudnessLufs: number | null;
  sceneCutRate: number | null;
  motion: number | null;
  brightness: number | null;
  colorfulness: number | null;
  aspect: number | null;
  impressions: string;
  plays: string;
  completes: string;
  skips: string;
  watchMs: string;
  watchedViews: string;
  likes: string;
  shares: string;
  comments: string;
  follows: string;
};

const SOURCES: RecSource[] = ["trending", "hashtag", "creator", "coengagement", "following", "exploration", "newcomer", "embedding"];

export async function loadFeatureInputs(pool: pg.Pool, viewer: { userId: string; state: UserState }, count: number): Promise<FeatureInput[]> {
  const videos = await pool.query<VideoRow>(
    `WITH picked AS (
       SELECT v."id", v."authorId", v."durationMs", extract(epoch FROM now() - v."publishedAt") / 3600 AS "ageHours"
       FROM "Video" v
       WHERE v."status" = 'READY' AND v."visibility" = 'PUBLIC' AND v."moderation" = 'APPROVED' ORDER BY random() LIMIT $1)
     SELECT p.*, coalesce((SELECT array_agg(h."name") FROM "VideoHashtag" vh JOIN "Hashtag" h ON h."id" = vh."hashtagId" WHERE vh."videoId" = p."id"), '{}') AS "hashtags",
       f."loudnessLufs", f."sceneCutRate", f."motion", f."brightness", f."colorfulness", f."aspect",
       coalesce(s.impressions, 0) AS impressions, coalesce(s.plays, 0) AS plays, coalesce(s.completes, 0) AS completes, coalesce(s.skips, 0) AS skips,
       coalesce(s."watchMs", 0) AS "watchMs", coalesce(s."watchedViews", 0) AS "watchedViews",
       (SELECT count(*) FROM "Like" l WHERE l."videoId" = p."id") AS likes,
       (SELECT count(*) FROM "Share" x WHERE x."videoId" = p."id") AS shares,
       (SELECT count(*) FROM "Comment" c WHERE c."videoId" = p."id") AS comments,
       (SELECT count(*) FROM "VideoFollowGain" g WHERE g."videoId" = p."id") AS follows
     FROM picked p
     LEFT JOIN "VideoFeatures" f ON f."videoId" = p."id"
     LEFT JOIN LATERAL (SELECT sum("impressions") AS impressions, sum("views") AS plays, sum("completions") AS completes, sum("skips") AS skips,
       sum("watchMs") AS "watchMs", sum("watchedViews") AS "watchedViews" FROM "VideoDailyStats" d WHERE d."videoId" = p."id") s ON true`,
    [count],
  );
  const follows = await pool.query<{ followeeId: string }>(`SELECT "followeeId" FROM "Follow" WHERE "followerId" = $1`, [viewer.userId]);
  const viewerSignals: ViewerSignals = {
    viewerKey: `u:${viewer.userId}`,
    state: viewer.state,
    session: EMPTY_SESSION,
    embedding: null,
    followsAuthorIds: new Set(follows.rows.map((row) => row.followeeId)),
    device: "mobile",
    hour: new Date().getHours(),
  };
  return videos.rows.map((row, index) => {
    const durationSec = (row.durationMs ?? 0) / 1000;
    const watchedViews = Number(row.watchedViews);
    const video: VideoSignals = {
      videoId: row.id,
      authorId: row.authorId,
      hashtags: row.hashtags,
      durationSec,
      ageHours: Number(row.ageHours),
      content:
        row.sceneCutRate === null
          ? null
          : { loudnessLufs: row.loudnessLufs, sceneCutRate: row.sceneCutRate, motion: row.motion!, brightness: row.brightness!, colorfulness: row.colorfulness!, aspect: row.aspect! },
      stats: {
        impressions: Number(row.impressions),
        plays: Number(row.plays),
        completes: Number(row.completes),
        skips: Number(row.skips),
        likes: Number(row.likes),
        shares: Number(row.shares),
        comments: Number(row.comments),
        follows: Number(row.follows),
        meanWatchFraction: watchedViews > 0 && durationSec > 0 ? Math.min(1, Number(row.watchMs) / watchedViews / (durationSec * 1000)) : 0,
      },
      embedding: null,
    };
    return { viewer: viewerSignals, video, candidate: { videoId: row.id, source: SOURCES[index % SOURCES.length]!, sourceScore: 1 / (index + 1) } };
  });
}
