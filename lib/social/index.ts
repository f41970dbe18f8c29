// The social layer around a video: likes, bookmarks, shares, "not interested", follows and reports. Every action is
// idempotent (liking twice is one like), answers with the state the client should show, and refuses videos the
// actor may not see with the same 404 as a video that does not exist.
import type { AuthUser } from "../auth/types";
import { getDb } from "../db";
import { AppError } from "../errors";
import type { ReportReason } from "../generated/prisma/enums";
import type { BookmarkState, FollowState, LikeState, ShareState } from "../feed/types";
import { notify } from "../notifications";
import { normalizeHandle } from "../users/rules";
import { canViewVideo } from "../videos/permissions";

/** The video if `viewer` may see it, else a 404 that does not reveal whether it exists. */
export async function requireViewableVideo(viewer: AuthUser | null, videoId: string) {
  const video = await getDb().video.findUnique({
    where: { id: videoId },
    select: { id: true, authorId: true, visibility: true, status: true, moderation: true, allowComments: true },
  });
  if (!video || !canViewVideo(viewer, video)) throw new AppError("not_found", "No such video.");
  return video;
}

export async function likeVideo(user: AuthUser, videoId: string): Promise<LikeState> {
  const video = await requireViewableVideo(user, videoId);
  const created = await getDb().like.createMany({ data: [{ userId: user.id, videoId }], skipDuplicates: true });
  if (created.count > 0) await notify({ recipientId: video.authorId, actorId: user.id, type: "LIKE", videoId });
  return { liked: true, likes: await getDb().like.count({ where: { videoId } }) };
}

export async function unlikeVideo(user: AuthUser, videoId: string): Promise<LikeState> {
  await requireViewableVideo(user, videoId);
  await getDb().like.deleteMany({ where: { userId: user.id, videoId } });
  return { liked: false, likes: await getDb().like.count({ where: { videoId } }) };
}

export async function bookmarkVideo(user: AuthUser, videoId: string): Promise<BookmarkState> {
  await requireViewableVideo(user, videoId);
  await getDb().bookmark.createMany({ data: [{ userId: user.id, videoId }], skipDuplicates: true });
  return { bookmarked: true };
}

export async function unbookmarkVideo(user: AuthUser, videoId: string): Promise<BookmarkState> {
  await requireViewableVideo(user, videoId);
  await getDb().bookmark.deleteMany({ where: { userId: user.id, videoId } });
  return { bookmarked: false };
}

/** Counts a share (Web Share or a copied link). Signed-out viewers share too. */
export async function recordShare(viewer: AuthUser | null, videoId: string): Promise<ShareState> {
  await requireViewableVideo(viewer, videoId);
  await getDb().share.create({ data: { videoId, userId: viewer?.id ?? null } });
  return { shares: await getDb().share.count({ where: { videoId } }) };
}

/** The video never appears in this viewer's feeds again. */
export async function markNotInterested(user: AuthUser, videoId: string): Promise<{ ok: true }> {
  await requireViewableVideo(user, videoId);
  await getDb().notInterested.createMany({ data: [{ userId: user.id, videoId }], skipDuplicates: true });
  return { ok: true };
}

async function requireActiveUser(handle: string): Promise<{ id: string; handle: string }> {
  const target = await getDb().user.findUnique({ where: { handle: normalizeHandle(handle) }, select: { id: true, handle: true, status: true } });
  if (!target || target.status !== "ACTIVE") throw new AppError("not_found", `No user @${normalizeHandle(handle)}.`);
  return target;
}

export async function followUser(user: AuthUser, handle: string): Promise<FollowState> {
  const target = await requireActiveUser(handle);
  if (target.id === user.id) throw new AppError("invalid_input", "You cannot follow yourself.");
  const created = await getDb().follow.createMany({ data: [{ followerId: user.id, followeeId: target.id }], skipDuplicates: true });
  if (created.count > 0) await notify({ recipientId: target.id, actorId: user.id, type: "FOLLOW" });
  return { following: true, followers: await getDb().follow.count({ where: { followeeId: target.id } }) };
}

export async function unfollowUser(user: AuthUser, handle: string): Promise<FollowState> {
  const target = await requireActiveUser(handle);
  await getDb().follow.deleteMany({ where: { followerId: user.id, followeeId: target.id } });
  return { following: false, followers: await getDb().follow.count({ where: { followeeId: target.id } }) };
}

export const REPORT_REASONS = ["spam", "nudity", "violence", "harassment", "hate", "minor_safety", "copyright", "other"] as const;
export type ReportInput = { type: "video" | "comment" | "user"; id: string; reason: (typeof REPORT_REASONS)[number]; text?: string };

/** One report per reporter and target: reporting again updates the reason instead of adding a row. */
export async function createReport(user: AuthUser, input: ReportInput): Promise<{ id: string }> {
  const target = await resolveReportTarget(user, input);
  const reason = input.reason.toUpperCase() as ReportReason;
  const report = await getDb().report.upsert({
    where: { reporterId_targetKey: { reporterId: user.id, targetKey: `${input.type}:${target.id}` } },
    create: { reporterId: user.id, targetKey: `${input.type}:${target.id}`, reason, text: input.text ?? "", ...target.link },
    update: { reason, text: input.text ?? "", status: "OPEN" },
    select: { id: true },
  });
  return report;
}

async function resolveReportTarget(user: AuthUser, input: ReportInput): Promise<{ id: string; link: Record<string, string> }> {
  if (input.type === "video") {
    await requireViewableVideo(user, input.id);
    return { id: input.id, link: { videoId: input.id } };
  }
  if (input.type === "comment") {
    const comment = await getDb().comment.findUnique({ where: { id: input.id }, select: { id: true, videoId: true, deletedAt: true } });
    if (!comment || comment.deletedAt) throw new AppError("not_found", "No such comment.");
    await requireViewableVideo(user, comment.videoId);
    return { id: comment.id, link: { commentId: comment.id, videoId: comment.videoId } };
  }
  const target = await requireActiveUser(input.id);
  if (target.id === user.id) throw new AppError("invalid_input", "You cannot report yourself.");
  return { id: target.id, link: { targetUserId: target.id } };
}

export async function isFollowing(followerId: string, followeeId: string): Promise<boolean> {
  const row = await getDb().follow.findUnique({ where: { followerId_followeeId: { followerId, followeeId } }, select: { followerId: true } });
  return row !== null;
}
