// The creator's side of a moderation decision: what a moderator took down of theirs, and the one appeal each decision
// allows. A video's creator appeals from the studio's video list; a comment's author from the studio's "Removed
// comments", which lists their comments a moderator hid or deleted (comments they deleted themselves are not there).
// An appeal puts the case back in the review queue as APPEALED; the moderator's side is decideAppeal in ./cases.ts.
import type { AuthUser } from "../auth/types";
import { getDb } from "../db";
import { AppError } from "../errors";
import type { ModerationCaseStatus } from "../generated/prisma/enums";
import { APPEAL_MAX_LENGTH, writeLog } from "./cases";

const REMOVED_COMMENTS_LIMIT = 50; // the most recent decisions; an appeal is for something that just happened

const ALREADY_APPEALED = "You already appealed this decision; each decision can be appealed once.";

/** The creator asks once for a decision on their video to be looked at again. */
export async function appealVideo(user: AuthUser, videoId: string, text: string): Promise<{ status: ModerationCaseStatus }> {
  const video = await getDb().video.findUnique({ where: { id: videoId }, select: { authorId: true } });
  if (!video || video.authorId !== user.id) throw new AppError("not_found", "No such video among yours.");
  return fileAppeal(user, `video:${videoId}`, "video", text);
}

/** A comment's author asks once for a moderator's decision to hide or delete it to be looked at again. */
export async function appealComment(user: AuthUser, commentId: string, text: string): Promise<{ status: ModerationCaseStatus }> {
  const comment = await getDb().comment.findUnique({ where: { id: commentId }, select: { authorId: true } });
  if (!comment || comment.authorId !== user.id) throw new AppError("not_found", "No such comment among yours.");
  return fileAppeal(user, `comment:${commentId}`, "comment", text);
}

async function fileAppeal(user: AuthUser, targetKey: string, noun: string, text: string): Promise<{ status: ModerationCaseStatus }> {
  const row = await getDb().moderationCase.findUnique({ where: { targetKey } });
  if (!row || (row.status !== "ACTIONED" && !row.appealedAt)) throw new AppError("conflict", `There is no moderation decision on this ${noun} to appeal.`);
  if (row.appealedAt) throw new AppError("conflict", ALREADY_APPEALED, { reason: "already_appealed" });
  const body = text.trim();
  if (!body) throw new AppError("invalid_input", "Say why the decision should change.");
  await getDb().$transaction(async (tx) => {
    // Claimed in one update, so two appeals sent at once still make one.
    const claimed = await tx.moderationCase.updateMany({
      where: { id: row.id, status: "ACTIONED", appealedAt: null },
      data: { status: "APPEALED", appealText: body.slice(0, APPEAL_MAX_LENGTH), appealedAt: new Date() },
    });
    if (claimed.count === 0) throw new AppError("conflict", ALREADY_APPEALED, { reason: "already_appealed" });
    await writeLog(tx, row.id, user.id, "appeal", body);
  });
  return { status: "APPEALED" };
}

/** Where the one appeal of a moderator's takedown stands: none (it may be appealed), pending, or upheld (final). */
export type AppealState = "none" | "pending" | "upheld";

/** A takedown case's appeal state, or null when the case is not a takedown still standing (dismissed, reversed). */
export function appealState(status: ModerationCaseStatus): AppealState | null {
  if (status === "ACTIONED") return "none";
  if (status === "APPEALED") return "pending";
  if (status === "UPHELD") return "upheld";
  return null;
}

/** The appeal state of each of the user's videos a moderator took down (hidden or removed), by video id. */
export async function videoAppealStates(videoIds: string[]): Promise<Map<string, AppealState>> {
  if (videoIds.length === 0) return new Map();
  const rows = await getDb().moderationCase.findMany({
    where: { targetKey: { in: videoIds.map((id) => `video:${id}`) } },
    select: { targetKey: true, status: true },
  });
  const states = new Map<string, AppealState>();
  for (const row of rows) {
    const state = appealState(row.status);
    if (state) states.set(row.targetKey.slice("video:".length), state);
  }
  return states;
}

export type RemovedComment = {
  id: string;
  body: string;
  video: { id: string; caption: string };
  action: "hide" | "delete";
  /** When the latest decision on it was made: the removal, or the refused appeal. */
  decidedAt: string;
  /** none: may be appealed; pending: waiting for a moderator; upheld: the appeal was refused, final. */
  appeal: AppealState;
};

/**
 * The user's comments a moderator hid or deleted and that are still down, most recently decided first. A granted
 * appeal brings the comment back, so it leaves this list.
 */
export async function listRemovedComments(user: AuthUser): Promise<RemovedComment[]> {
  const rows = await getDb().$queryRaw<
    Array<{ id: string; body: string; videoId: string; caption: string; action: "HIDE" | "DELETE"; status: ModerationCaseStatus; decidedAt: Date | null; updatedAt: Date }>
  >`
    SELECT c.id, c.body, c."videoId", v.caption, m.action, m.status, m."decidedAt", m."updatedAt"
    FROM "Comment" c
    JOIN "ModerationCase" m ON m."targetKey" = 'comment:' || c.id
    JOIN "Video" v ON v.id = c."videoId"
    WHERE c."authorId" = ${user.id} AND c."deletedAt" IS NOT NULL
      AND m.action IN ('HIDE', 'DELETE') AND m.status IN ('ACTIONED', 'APPEALED', 'UPHELD')
    ORDER BY m."decidedAt" DESC NULLS LAST, c.id
    LIMIT ${REMOVED_COMMENTS_LIMIT}`;
  // The statement keeps the three takedown statuses, each of which has an appeal state.
  return rows.flatMap((row) => {
    const appeal = appealState(row.status);
    if (!appeal) return [];
    return [
      {
        id: row.id,
        body: row.body,
        video: { id: row.videoId, caption: row.caption },
        action: row.action === "HIDE" ? "hide" : "delete",
        decidedAt: (row.decidedAt ?? row.updatedAt).toISOString(),
        appeal,
      },
    ];
  });
}
