// What a moderator sees at /admin/moderation: open cases and appeals, most severe first, then most reported, then
// oldest; each with its target (the video playable inline), the reports' reasons and the case's audit trail.
import type { AuthUser } from "../auth/types";
import { getDb } from "../db";
import type { ModerationCaseStatus, ReportReason } from "../generated/prisma/enums";
import { mediaUrl, toAuthorView } from "../videos/view";
import { requireModerator } from "./cases";

const QUEUE_LIMIT = 50; // one screen; a moderator works from the top
const REPORT_TEXTS_SHOWN = 10; // the reporters' own words, a handful is enough to judge

export type QueueItem = {
  id: string;
  status: "open" | "appealed";
  severity: number;
  reportCount: number;
  autoReason: string | null;
  appealText: string | null;
  action: string | null;
  createdAt: string;
  reasons: Array<{ reason: string; count: number }>;
  reportTexts: string[];
  target:
    | { type: "video"; id: string; caption: string; moderation: string; hls: string | null; poster: string | null; author: ReturnType<typeof toAuthorView> }
    | { type: "comment"; id: string; body: string; videoId: string; removed: boolean; author: ReturnType<typeof toAuthorView> }
    | { type: "user"; id: string; author: ReturnType<typeof toAuthorView>; status: string }
    | { type: "gone" };
  log: Array<{ action: string; note: string; actor: string | null; at: string }>;
};

export async function listModerationQueue(moderator: AuthUser): Promise<{ items: QueueItem[] }> {
  requireModerator(moderator);
  const rows = await getDb().moderationCase.findMany({
    where: { status: { in: ["OPEN", "APPEALED"] satisfies ModerationCaseStatus[] } },
    orderBy: [{ severity: "desc" }, { reportCount: "desc" }, { createdAt: "asc" }],
    take: QUEUE_LIMIT,
    include: { log: { orderBy: { createdAt: "asc" } } },
  });
  const keys = rows.map((row) => row.targetKey);
  const [reports, videos, comments, users] = await Promise.all([
    getDb().report.findMany({ where: { targetKey: { in: keys } }, select: { targetKey: true, reason: true, text: true, status: true }, orderBy: { createdAt: "desc" } }),
    getDb().video.findMany({
      where: { id: { in: rows.flatMap((row) => (row.videoId ? [row.videoId] : [])) } },
      select: { id: true, caption: true, moderation: true, mediaVersion: true, playableAt: true, media: true, author: { select: { handle: true, name: true, avatarKey: true } } },
    }),
    getDb().comment.findMany({
      where: { id: { in: rows.flatMap((row) => (row.commentId ? [row.commentId] : [])) } },
      select: { id: true, body: true, videoId: true, deletedAt: true, author: { select: { handle: true, name: true, avatarKey: true } } },
    }),
    getDb().user.findMany({
      where: { id: { in: rows.flatMap((row) => (row.targetUserId ? [row.targetUserId] : [])) } },
      select: { id: true, handle: true, name: true, avatarKey: true, status: true },
    }),
  ]);
  const actorIds = [...new Set(rows.flatMap((row) => row.log.flatMap((entry) => (entry.actorId ? [entry.actorId] : []))))];
  const actors = new Map((await getDb().user.findMany({ where: { id: { in: actorIds } }, select: { id: true, handle: true } })).map((user) => [user.id, user.handle]));
  const videoById = new Map(videos.map((video) => [video.id, video]));
  const commentById = new Map(comments.map((comment) => [comment.id, comment]));
  const userById = new Map(users.map((user) => [user.id, user]));

  const items = rows.map((row): QueueItem => {
    const own = reports.filter((report) => report.targetKey === row.targetKey);
    const counts = new Map<ReportReason, number>();
    for (const report of own) counts.set(report.reason, (counts.get(report.reason) ?? 0) + 1);
    let target: QueueItem["target"] = { type: "gone" };
    const video = row.videoId ? videoById.get(row.videoId) : undefined;
    const comment = row.commentId ? commentById.get(row.commentId) : undefined;
    const user = row.targetUserId ? userById.get(row.targetUserId) : undefined;
    if (video) {
      const prefix = video.mediaVersion ? `videos/${video.id}/${video.mediaVersion}` : null;
      const poster = (video.media as { poster?: string } | null)?.poster;
      target = {
        type: "video",
        id: video.id,
        caption: video.caption,
        moderation: video.moderation.toLowerCase(),
        hls: prefix && video.playableAt ? mediaUrl(`${prefix}/master.m3u8`) : null,
        poster: poster ? mediaUrl(poster) : null,
        author: toAuthorView(video.author),
      };
    } else if (comment) target = { type: "comment", id: comment.id, body: comment.body, videoId: comment.videoId, removed: comment.deletedAt !== null, author: toAuthorView(comment.author) };
    else if (user) target = { type: "user", id: user.id, author: toAuthorView(user), status: user.status.toLowerCase() };
    return {
      id: row.id,
      status: row.status === "APPEALED" ? "appealed" : "open",
      severity: row.severity,
      reportCount: row.reportCount,
      autoReason: row.autoReason,
      appealText: row.appealText,
      action: row.action?.toLowerCase() ?? null,
      createdAt: row.createdAt.toISOString(),
      reasons: [...counts].map(([reason, count]) => ({ reason: reason.toLowerCase(), count })).sort((a, b) => b.count - a.count),
      reportTexts: own.map((report) => report.text).filter(Boolean).slice(0, REPORT_TEXTS_SHOWN),
      target,
      log: row.log.map((entry) => ({ action: entry.action, note: entry.note, actor: entry.actorId ? (actors.get(entry.actorId) ?? null) : null, at: entry.createdAt.toISOString() })),
    };
  });
  return { items };
}

/** The moderation standing of one of a creator's videos, for the studio: why it is held or hidden, and whether it can be appealed. */
export async function getVideoModerationStanding(videoId: string): Promise<{ caseId: string; status: string; action: string | null; canAppeal: boolean } | null> {
  const row = await getDb().moderationCase.findUnique({ where: { targetKey: `video:${videoId}` } });
  if (!row) return null;
  return { caseId: row.id, status: row.status.toLowerCase(), action: row.action?.toLowerCase() ?? null, canAppeal: row.status === "ACTIONED" && !row.appealedAt };
}
