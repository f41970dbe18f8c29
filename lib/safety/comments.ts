// A creator's say over the comments on their videos: who may comment (everyone, their followers, nobody; the
// per-video "allow comments" switch applies on top) and a word filter that hides matching comments from everyone
// but their writer. Enforced by lib/comments when a comment is posted and listed; set in /settings through
// GET/PUT /api/me/comment-settings.
import { z } from "zod";
import type { AuthUser } from "../auth/types";
import { getDb } from "../db";
import { AppError } from "../errors";
import type { CommentPolicy } from "../generated/prisma/enums";
import { compileFilter, FILTER_WORD_MAX_LENGTH, FILTER_WORDS_MAX, matchesFilter, normalizeFilterWords } from "./word-filter";

export const COMMENT_POLICIES = ["everyone", "followers", "nobody"] as const;
export type CommentPolicyName = (typeof COMMENT_POLICIES)[number];

export type CommentSettings = { commentPolicy: CommentPolicyName; filterWords: string[] };

// Comments re-checked per round trip when a creator changes their word list.
const REFILTER_BATCH = 1000;

export const commentSettingsSchema = z
  .object({
    commentPolicy: z.enum(COMMENT_POLICIES, { message: "commentPolicy must be everyone, followers or nobody." }).optional(),
    filterWords: z
      .array(z.string().max(FILTER_WORD_MAX_LENGTH, `Each filtered word or phrase can be at most ${FILTER_WORD_MAX_LENGTH} characters.`))
      .max(FILTER_WORDS_MAX, `You can filter at most ${FILTER_WORDS_MAX} words.`)
      .optional(),
  })
  .strict()
  .refine((patch) => patch.commentPolicy !== undefined || patch.filterWords !== undefined, "Send commentPolicy, filterWords, or both.");

export type CommentSettingsUpdate = z.infer<typeof commentSettingsSchema>;

function toPolicyName(policy: CommentPolicy): CommentPolicyName {
  return policy.toLowerCase() as CommentPolicyName;
}

export async function getCommentSettings(userId: string): Promise<CommentSettings> {
  const row = await getDb().user.findUnique({ where: { id: userId }, select: { commentPolicy: true, commentFilterWords: true } });
  if (!row) throw new AppError("not_found", "This account no longer exists.");
  return { commentPolicy: toPolicyName(row.commentPolicy), filterWords: row.commentFilterWords };
}

/** Changes who may comment and/or the word filter; a new word list is applied to existing comments at once. */
export async function updateCommentSettings(userId: string, patch: CommentSettingsUpdate): Promise<CommentSettings> {
  const filterWords = patch.filterWords === undefined ? undefined : normalizeFilterWords(patch.filterWords);
  const data = {
    ...(patch.commentPolicy ? { commentPolicy: patch.commentPolicy.toUpperCase() as CommentPolicy } : {}),
    ...(filterWords ? { commentFilterWords: filterWords } : {}),
  };
  const updated = await getDb().user.updateMany({ where: { id: userId }, data });
  if (updated.count === 0) throw new AppError("not_found", "This account no longer exists.");
  if (filterWords) await refilterComments(userId, filterWords);
  return getCommentSettings(userId);
}

/**
 * Re-applies a creator's word list to every comment on their videos, so a newly filtered word hides old comments too
 * and a removed one shows them again. Batched by id, so a creator with many comments never loads them all at once.
 */
async function refilterComments(creatorId: string, words: string[]): Promise<void> {
  const filter = compileFilter(words);
  if (!filter) {
    await getDb().comment.updateMany({ where: { video: { authorId: creatorId }, filtered: true }, data: { filtered: false } });
    return;
  }
  let after: string | undefined;
  for (;;) {
    const rows = await getDb().comment.findMany({
      where: { video: { authorId: creatorId }, deletedAt: null, ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: "asc" },
      take: REFILTER_BATCH,
      select: { id: true, body: true, filtered: true },
    });
    if (rows.length === 0) return;
    const changed = rows.filter((row) => matchesFilter(row.body, filter) !== row.filtered);
    const hide = changed.filter((row) => !row.filtered).map((row) => row.id);
    const show = changed.filter((row) => row.filtered).map((row) => row.id);
    if (hide.length > 0) await getDb().comment.updateMany({ where: { id: { in: hide } }, data: { filtered: true } });
    if (show.length > 0) await getDb().comment.updateMany({ where: { id: { in: show } }, data: { filtered: false } });
    after = rows.at(-1)!.id;
  }
}

/** Whether a new comment on `creatorId`'s video is hidden by their word filter. */
export async function isFilteredComment(creatorId: string, body: string): Promise<boolean> {
  const row = await getDb().user.findUnique({ where: { id: creatorId }, select: { commentFilterWords: true } });
  return matchesFilter(body, compileFilter(row?.commentFilterWords ?? []));
}

export type CommentPermission = { allowed: boolean; reason: string | null };

/**
 * Whether `viewer` may comment on (and reply under) a video, and if not, a sentence saying why, for the 403 and for
 * the comments drawer. Blocks are checked separately (lib/safety/relations.ts). Creators may always comment on their
 * own videos unless they turned that video's comments off.
 */
export async function getCommentPermission(
  viewer: Pick<AuthUser, "id"> | null,
  video: { authorId: string; allowComments: boolean },
): Promise<CommentPermission> {
  if (!video.allowComments) return { allowed: false, reason: "Comments are turned off for this video." };
  if (viewer?.id === video.authorId) return { allowed: true, reason: null };
  const author = await getDb().user.findUnique({ where: { id: video.authorId }, select: { handle: true, commentPolicy: true } });
  if (!author) return { allowed: false, reason: "Comments are turned off for this video." };
  if (author.commentPolicy === "NOBODY") return { allowed: false, reason: `@${author.handle} has turned off comments on their videos.` };
  if (author.commentPolicy === "FOLLOWERS") {
    const follows = viewer
      ? await getDb().follow.findUnique({ where: { followerId_followeeId: { followerId: viewer.id, followeeId: video.authorId } }, select: { followerId: true } })
      : null;
    if (!follows) return { allowed: false, reason: `Only people who follow @${author.handle} can comment on their videos.` };
  }
  return { allowed: true, reason: null };
}
