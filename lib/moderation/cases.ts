// The review queue's state machine and its audit trail. One ModerationCase per reported or held thing:
//
//   OPEN ──dismiss──▶ DISMISSED (a held video is approved; a new report reopens it)
//   OPEN ──hide | delete | ban──▶ ACTIONED ──creator appeals (once)──▶ APPEALED ──▶ UPHELD | REVERSED (undone)
//
// Every step writes a ModerationLog row (who, what, when, the note). Reporters hear the outcome of their reports,
// creators hear that their content was actioned and how their appeal went (lib/notifications, no moderator named).
// The creator's side of an appeal (filing it, seeing what was removed) lives in ./appeals.ts.
import { canModerate } from "../auth/roles";
import { revokeUserSessions } from "../auth/sessions";
import type { AuthUser } from "../auth/types";
import { getDb } from "../db";
import { AppError } from "../errors";
import type { ModerationActionKind, ModerationCaseStatus, ReportReason } from "../generated/prisma/enums";
import { getLogger } from "../logger";
import { notifyModeration, type ModerationNotice } from "../notifications";
import { videoApproved } from "./approved";
import { REPORT_WEIGHTS, HOLD_WEIGHTS, type HoldKind } from "./severity";

export type Hold = { kind: HoldKind; reason: string };
export type CaseAction = "dismiss" | "hide" | "delete" | "ban";
export type AppealDecision = "uphold" | "reverse";

export const APPEAL_MAX_LENGTH = 2000; // a few paragraphs; the text is for a person to read

export type Tx = Parameters<Parameters<ReturnType<typeof getDb>["$transaction"]>[0]>[0];

export function requireModerator(user: AuthUser): void {
  if (!canModerate(user)) throw new AppError("forbidden", "Only moderators and admins can review reports.");
}

export async function writeLog(tx: Tx, caseId: string, actorId: string | null, action: string, note = ""): Promise<void> {
  await tx.moderationLog.create({ data: { caseId, actorId, action, note: note.slice(0, APPEAL_MAX_LENGTH) } });
}

/** The moderation stage held a video: its case opens (or reopens) with the reasons, inside the caller's transaction. */
export async function openHoldCase(tx: Tx, videoId: string, holds: Hold[]): Promise<void> {
  const severity = Math.max(...holds.map((hold) => HOLD_WEIGHTS[hold.kind]));
  const autoReason = holds.map((hold) => hold.reason).join(" ");
  const row = await tx.moderationCase.upsert({
    where: { targetKey: `video:${videoId}` },
    create: { targetKey: `video:${videoId}`, videoId, severity, autoReason },
    update: { status: "OPEN", autoReason, severity, decidedAt: null, action: null },
  });
  await writeLog(tx, row.id, null, "held", autoReason);
}

/**
 * A report was filed (or changed) on `targetKey`: its case counts the open reports and takes the worst reason's weight.
 * A dismissed or reversed case reopens; an actioned one stays as it is (the thing is already out of sight).
 */
export async function recordReport(targetKey: string, link: { videoId?: string; commentId?: string; targetUserId?: string }, reason: ReportReason): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const reportCount = await tx.report.count({ where: { targetKey, status: "OPEN" } });
    const existing = await tx.moderationCase.findUnique({ where: { targetKey } });
    const severity = Math.max(existing?.severity ?? 0, REPORT_WEIGHTS[reason]);
    const reopen = existing && (existing.status === "DISMISSED" || existing.status === "REVERSED");
    const row = await tx.moderationCase.upsert({
      where: { targetKey },
      create: { targetKey, ...link, severity, reportCount },
      update: { severity, reportCount, ...(reopen ? { status: "OPEN", decidedAt: null, action: null, appealText: null, appealedAt: null } : {}) },
    });
    await writeLog(tx, row.id, null, reopen ? "reopened by a report" : "reported", reason.toLowerCase());
  });
}

type CaseRow = NonNullable<Awaited<ReturnType<typeof findCase>>>;

function findCase(id: string) {
  return getDb().moderationCase.findUnique({ where: { id } });
}

/** The thing a case is about and the account responsible for it, or null when it no longer exists. */
async function loadTarget(row: Pick<CaseRow, "videoId" | "commentId" | "targetUserId">) {
  if (row.videoId) {
    const video = await getDb().video.findUnique({ where: { id: row.videoId }, select: { id: true, authorId: true, moderation: true } });
    return video ? { kind: "video" as const, ownerId: video.authorId, video } : null;
  }
  if (row.commentId) {
    const comment = await getDb().comment.findUnique({ where: { id: row.commentId }, select: { id: true, authorId: true, videoId: true } });
    return comment ? { kind: "comment" as const, ownerId: comment.authorId, comment } : null;
  }
  if (row.targetUserId) {
    const user = await getDb().user.findUnique({ where: { id: row.targetUserId }, select: { id: true } });
    return user ? { kind: "user" as const, ownerId: user.id } : null;
  }
  return null;
}

/**
 * A moderator's decision on an open case. dismiss: nothing wrong (a held video is approved and announced). hide: out
 * of every feed, page, search and media URL, kept for the appeal. delete: as hide, and a video's perceptual hash goes
 * on the blocklist so re-uploads are held. ban: the responsible account is banned (sessions and tokens end).
 */
export async function decideCase(moderator: AuthUser, caseId: string, action: CaseAction, note: string): Promise<{ status: ModerationCaseStatus }> {
  requireModerator(moderator);
  const row = await findCase(caseId);
  if (!row) throw new AppError("not_found", "No such case.");
  if (row.status !== "OPEN") throw new AppError("conflict", `This case was already decided (${row.status.toLowerCase()}).`);
  const target = await loadTarget(row);
  if (!target) throw new AppError("conflict", "What this case is about no longer exists; dismiss it instead.");
  if (action === "hide" && target.kind === "user") throw new AppError("invalid_input", "An account cannot be hidden; ban it instead.");
  if (action === "ban" && target.ownerId === moderator.id) throw new AppError("invalid_input", "You cannot ban yourself.");
  if (action === "ban") await assertBannable(moderator, target.ownerId);

  const kind: ModerationActionKind | null = action === "dismiss" ? null : (action.toUpperCase() as ModerationActionKind);
  const status: ModerationCaseStatus = kind ? "ACTIONED" : "DISMISSED";
  let approved = false;
  await getDb().$transaction(async (tx) => {
    const claimed = await tx.moderationCase.updateMany({ where: { id: caseId, status: "OPEN" }, data: { status, action: kind, decidedAt: new Date() } });
    if (claimed.count === 0) throw new AppError("conflict", "Another moderator decided this case first.");
    await tx.report.updateMany({ where: { targetKey: row.targetKey, status: "OPEN" }, data: { status: kind ? "ACTIONED" : "DISMISSED" } });
    if (target.kind === "video") {
      if (action === "dismiss" && (target.video.moderation === "HELD" || target.video.moderation === "PENDING")) {
        await tx.video.update({ where: { id: target.video.id }, data: { moderation: "APPROVED", moderationReason: null } });
        approved = true;
      }
      if (action === "hide") await tx.video.update({ where: { id: target.video.id }, data: { moderation: "HIDDEN" } });
      if (action === "delete") {
        await tx.video.update({ where: { id: target.video.id }, data: { moderation: "REMOVED" } });
        await blockVideoHash(tx, target.video.id);
      }
    }
    if (target.kind === "comment" && (action === "hide" || action === "delete")) {
      await tx.comment.update({ where: { id: target.comment.id }, data: { deletedAt: new Date() } });
    }
    if (action === "ban") await setBanned(tx, target.ownerId, true);
    await writeLog(tx, caseId, moderator.id, action, note);
  });
  if (action === "ban") await revokeUserSessions(target.ownerId);
  if (approved && row.videoId) await videoApproved(row.videoId);
  await notifyOutcome(row, target, kind !== null);
  getLogger().info({ caseId, action, userId: moderator.id }, "moderation case decided");
  return { status };
}

async function notifyOutcome(row: CaseRow, target: NonNullable<Awaited<ReturnType<typeof loadTarget>>>, actioned: boolean): Promise<void> {
  const reporters = await getDb().report.findMany({ where: { targetKey: row.targetKey }, select: { reporterId: true } });
  const about = { videoId: row.videoId, commentId: row.commentId };
  const notices: ModerationNotice[] = [...new Set(reporters.map((report) => report.reporterId))].map((recipientId) => ({ recipientId, type: "REPORT_OUTCOME", ...about }));
  if (actioned) notices.push({ recipientId: target.ownerId, type: "CONTENT_ACTIONED", ...about });
  await notifyModeration(notices).catch((error) => getLogger().warn({ err: error, caseId: row.id }, "moderation outcome not notified"));
}

/** A video's perceptual hash joins the blocklist (once), so near-identical re-uploads are held. */
async function blockVideoHash(tx: Tx, videoId: string): Promise<void> {
  const features = await tx.videoFeatures.findUnique({ where: { videoId }, select: { phash: true } });
  if (!features) return;
  const existing = await tx.phashBlock.findFirst({ where: { videoId } });
  if (!existing) await tx.phashBlock.create({ data: { videoId, phash: features.phash } });
}

async function setBanned(tx: Tx, userId: string, banned: boolean): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { status: banned ? "BANNED" : "ACTIVE" } });
  if (banned) await tx.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** Moderators may ban ordinary accounts; only an admin may ban a moderator, and nobody bans an admin from here. */
async function assertBannable(actor: AuthUser, userId: string): Promise<void> {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { role: true } });
  if (!user) throw new AppError("not_found", "No such account.");
  if (user.role === "ADMIN") throw new AppError("forbidden", "An admin account cannot be banned; demote it first.");
  if (user.role === "MODERATOR" && actor.role !== "ADMIN") throw new AppError("forbidden", "Only an admin can ban a moderator.");
}

/** Bans or unbans an account directly (admin user management); a ban ends its sessions and API tokens at once. */
export async function setAccountBanned(admin: AuthUser, userId: string, banned: boolean, note = ""): Promise<void> {
  if (banned) await assertBannable(admin, userId);
  await getDb().$transaction(async (tx) => {
    await setBanned(tx, userId, banned);
    const row = await tx.moderationCase.upsert({
      where: { targetKey: `user:${userId}` },
      create: { targetKey: `user:${userId}`, targetUserId: userId, status: banned ? "ACTIONED" : "REVERSED", action: banned ? "BAN" : null, decidedAt: new Date() },
      update: banned ? { status: "ACTIONED", action: "BAN", decidedAt: new Date() } : { status: "REVERSED", decidedAt: new Date() },
    });
    await writeLog(tx, row.id, admin.id, banned ? "ban" : "unban", note);
  });
  if (banned) await revokeUserSessions(userId);
}

/** A moderator decides an appeal: uphold keeps the action; reverse undoes it (video approved, comment back, unbanned). */
export async function decideAppeal(moderator: AuthUser, caseId: string, decision: AppealDecision, note: string): Promise<{ status: ModerationCaseStatus }> {
  requireModerator(moderator);
  const row = await findCase(caseId);
  if (!row) throw new AppError("not_found", "No such case.");
  if (row.status !== "APPEALED") throw new AppError("conflict", "This case has no appeal waiting.");
  const target = await loadTarget(row);
  const status: ModerationCaseStatus = decision === "reverse" ? "REVERSED" : "UPHELD";
  await getDb().$transaction(async (tx) => {
    const claimed = await tx.moderationCase.updateMany({ where: { id: caseId, status: "APPEALED" }, data: { status, decidedAt: new Date() } });
    if (claimed.count === 0) throw new AppError("conflict", "Another moderator decided this appeal first.");
    if (decision === "reverse" && target) {
      if (target.kind === "video" && (row.action === "HIDE" || row.action === "DELETE")) {
        await tx.video.update({ where: { id: target.video.id }, data: { moderation: "APPROVED", moderationReason: null } });
        await tx.phashBlock.deleteMany({ where: { videoId: target.video.id } });
      }
      if (target.kind === "comment" && row.action !== "BAN") await tx.comment.update({ where: { id: target.comment.id }, data: { deletedAt: null } });
      if (row.action === "BAN") await setBanned(tx, target.ownerId, false);
    }
    await writeLog(tx, caseId, moderator.id, `appeal ${decision === "reverse" ? "reversed" : "upheld"}`, note);
  });
  if (target) {
    const type = decision === "reverse" ? "APPEAL_GRANTED" : "APPEAL_UPHELD";
    await notifyModeration([{ recipientId: target.ownerId, type, videoId: row.videoId, commentId: row.commentId }]).catch((error) =>
      getLogger().warn({ err: error, caseId }, "appeal outcome not notified"),
    );
  }
  return { status };
}

