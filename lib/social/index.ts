// The social layer around a video: likes, bookmarks, shares, "not interested", follows and reports. Every action is
// idempotent (liking twice is one like), answers with the state the client should show, and refuses videos the
// actor may not see with the same 404 as a video that does not exist. Across a block (lib/safety), a video is not
// there for viewing (404), and liking, saving or following is refused with a 403 that says why.
import { canModerate } from "../auth/roles";
import type { AuthUser } from "../auth/types";
import { getDb } from "../db";
import { AppError } from "../errors";
import type { ReportReason } from "../generated/prisma/enums";
import { recordReport } from "../moderation/cases";
import type { BookmarkState, FollowState, LikeState, ShareState } from "../feed/types";
import { notify } from "../notifications";
import { assertNoBlock, isHiddenByBlock } from "../safety";
import { normalizeHandle } from "../users/rules";
import { canViewVideo } from "../videos/permissions";

type ViewOptions = {
  /**
   * "hide" (viewing): a block between viewer and author makes the video a 404. "ignore": only visibility counts, for
   * undoing things (unlike), reporting, and actions that check the block themselves to refuse with a clear 403.
   */
  blocks?: "hide" | "ignore";
};

/** The video if `viewer` may see it, else a 404 that does not reveal whether it exists. */
export async function requireViewableVideo(viewer: AuthUser | null, videoId: string, options: ViewOptions = {}) {
  const video = await getDb().video.findUnique({
    where: { id: videoId },
    select: { id: true, authorId: true, visibility: true, status: true, moderation: true, allowComments: true, author: { select: { status: true } } },
  });
  if (!video || !canViewVideo(viewer, video)) throw new AppError("not_found", "No such video.");
  if (video.author.status !== "ACTIVE" && !canModerate(viewer)) throw new AppError("not_found", "No such video.");
  if (options.blocks !== "ignore" && (await isHiddenByBlock(viewer, video.authorId))) {
    throw new AppError("not_found", "No such video.");
  }
  return video;
}

/** A video `user` acts on: viewable (404 otherwise), and no block between them and its author (403 saying so). */
export async function requireVideoToActOn(user: AuthUser, videoId: string, action: string) {
  const video = await requireViewableVideo(user, videoId, { blocks: "ignore" });
  await assertNoBlock(user, video.authorId, action);
  return video;
}

export async function likeVideo(user: AuthUser, videoId: string): Promise<LikeState> {
  const video = await requireVideoToActOn(user, videoId, "like their videos");
  const created = await getDb().like.createMany({ data: [{ userId: user.id, videoId }], skipDuplicates: true });
  if (created.count > 0) await notify({ recipientId: video.authorId, actorId: user.id, type: "LIKE", videoId });
  return { liked: true, likes: await getDb().like.count({ where: { videoId } }) };
}

export async function unlikeVideo(user: AuthUser, videoId: string): Promise<LikeState> {
  await requireViewableVideo(user, videoId, { blocks: "ignore" });
  await getDb().like.deleteMany({ where: { userId: user.id, videoId } });
  return { liked: false, likes: await getDb().like.count({ where: { videoId } }) };
}

export async function bookmarkVideo(user: AuthUser, videoId: string): Promise<BookmarkState> {
  await requireVideoToActOn(user, videoId, "save their videos");
  await getDb().bookmark.createMany({ data: [{ userId: user.id, videoId }], skipDuplicates: true });
  return { bookmarked: true };
}

export async function unbookmarkVideo(user: AuthUser, videoId: string): Promise<BookmarkState> {
  await requireViewableVideo(user, videoId, { blocks: "ignore" });
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
  await requireViewableVideo(user, videoId, { blocks: "ignore" });
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
  await assertNoBlock(user, target.id, "follow them");
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
  // The report joins its target's case in the review queue (lib/moderation).
  const caseLink = input.type === "video" ? { videoId: target.id } : input.type === "comment" ? { commentId: target.id } : { targetUserId: target.id };
  await recordReport(`${input.type}:${target.id}`, caseLink, reason);
  return report;
}

async function resolveReportTarget(user: AuthUser, input: ReportInput): Promise<{ id: string; link: Record<string, string> }> {
  // A block does not stop a report: "block and report" is exactly what someone being harassed does.
  if (input.type === "video") {
    await requireViewableVideo(user, input.id, { blocks: "ignore" });
    return { id: input.id, link: { videoId: input.id } };
  }
  if (input.type === "comment") {
    const comment = await getDb().comment.findUnique({ where: { id: input.id }, select: { id: true, videoId: true, deletedAt: true } });
    if (!comment || comment.deletedAt) throw new AppError("not_found", "No such comment.");
    await requireViewableVideo(user, comment.videoId, { blocks: "ignore" });
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
