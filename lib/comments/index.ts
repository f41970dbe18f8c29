// Comments on videos: top-level comments ordered newest-first or by likes, one level of replies (a reply to a reply
// joins the same thread), comment likes, deletion by the comment's author, the video's creator or a moderator, and
// a per-video switch that turns comments off. Deleted comments are kept (soft delete) but never shown.
// The creator's safety settings (lib/safety) apply: who may comment (everyone, followers, nobody), their word filter
// (a matching comment is shown only to its writer), and blocks (neither side sees the other's comments, and neither
// may comment on, reply to or like the other's).
import { canModerate } from "../auth/roles";
import type { AuthUser } from "../auth/types";
import { getDb } from "../db";
import { decodeCursor, encodeCursor, isOffsetCursor } from "../cursor";
import { AppError } from "../errors";
import type { CommentOrder, CommentPage, CommentView, LikeState } from "../feed/types";
import type { Prisma } from "../generated/prisma/client";
import { notify } from "../notifications";
import { findBlockedWord, getModerationSettings } from "../moderation/settings";
import { assertNoBlock, getCommentPermission, isFilteredComment, loadBlockedIds, loadHiddenAuthorIds } from "../safety";
import { requireVideoToActOn, requireViewableVideo } from "../social";
import { parseCaption } from "../videos/caption";
import { toAuthorView } from "../videos/view";

export const COMMENT_MAX_LENGTH = 500; // a few sentences: room to say something, short enough to read on a phone
const PAGE_SIZE = 20; // one drawer's worth on a phone
const REPLIES_PAGE_SIZE = 10;

const commentInclude = {
  author: { select: { handle: true, name: true, avatarKey: true } },
  _count: { select: { likes: true, replies: { where: { deletedAt: null } } } },
} satisfies Prisma.CommentInclude;

type CommentRow = Prisma.CommentGetPayload<{ include: typeof commentInclude }>;

/** Only comments whose author is still active, never deleted ones. */
const SHOWN = { deletedAt: null, author: { status: "ACTIVE" } } satisfies Prisma.CommentWhereInput;

/**
 * The comments `viewer` is shown: SHOWN, minus those across a block either way or by an account they muted, minus those the creator's word
 * filter hides (except from their writer).
 */
function shownTo(viewer: AuthUser | null, blockedIds: string[]): Prisma.CommentWhereInput {
  return {
    ...SHOWN,
    ...(blockedIds.length > 0 ? { authorId: { notIn: blockedIds } } : {}),
    ...(viewer ? { OR: [{ filtered: false }, { authorId: viewer.id }] } : { filtered: false }),
  };
}

/** Reply counts count only the replies this viewer would be shown. */
function includeFor(shown: Prisma.CommentWhereInput) {
  return { ...commentInclude, _count: { select: { likes: true, replies: { where: shown } } } } satisfies Prisma.CommentInclude;
}

export async function listComments(viewer: AuthUser | null, videoId: string, order: CommentOrder, cursor?: string): Promise<CommentPage> {
  const video = await requireViewableVideo(viewer, videoId);
  const offset = decodeCursor(cursor, isOffsetCursor)?.offset ?? 0;
  const orderBy: Prisma.CommentOrderByWithRelationInput[] =
    order === "top" ? [{ likes: { _count: "desc" } }, { createdAt: "desc" }, { id: "desc" }] : [{ createdAt: "desc" }, { id: "desc" }];
  // Muted accounts' comments are left out for the muter too (a mute hides their videos and their words).
  const shown = shownTo(viewer, viewer ? await loadHiddenAuthorIds(viewer.id) : []);
  const [rows, commenting] = await Promise.all([
    getDb().comment.findMany({
      where: { videoId, parentId: null, ...shown },
      orderBy,
      skip: offset,
      take: PAGE_SIZE + 1,
      include: includeFor(shown),
    }),
    getCommentPermission(viewer, video),
  ]);
  const items = await toCommentViews(viewer, video.authorId, rows.slice(0, PAGE_SIZE));
  return { items, cursor: rows.length > PAGE_SIZE ? encodeCursor({ offset: offset + PAGE_SIZE }) : null, commenting };
}

export async function listReplies(viewer: AuthUser | null, commentId: string, cursor?: string): Promise<CommentPage> {
  const blockedIds = viewer ? await loadBlockedIds(viewer.id) : [];
  const parent = await requireShownComment(commentId, viewer, blockedIds);
  const video = await requireViewableVideo(viewer, parent.videoId);
  const offset = decodeCursor(cursor, isOffsetCursor)?.offset ?? 0;
  const shown = shownTo(viewer, viewer ? await loadHiddenAuthorIds(viewer.id) : []);
  const rows = await getDb().comment.findMany({
    where: { parentId: parent.id, ...shown },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    skip: offset,
    take: REPLIES_PAGE_SIZE + 1,
    include: includeFor(shown),
  });
  const items = await toCommentViews(viewer, video.authorId, rows.slice(0, REPLIES_PAGE_SIZE));
  return { items, cursor: rows.length > REPLIES_PAGE_SIZE ? encodeCursor({ offset: offset + REPLIES_PAGE_SIZE }) : null };
}

export type CreateCommentInput = { body: string; parentId?: string };

export async function createComment(user: AuthUser, videoId: string, input: CreateCommentInput): Promise<CommentView> {
  const video = await requireVideoToActOn(user, videoId, "comment on their videos");
  const permission = await getCommentPermission(user, video);
  if (!permission.allowed) throw new AppError("forbidden", permission.reason ?? "You can't comment on this video.", { reason: "comment_policy" });
  const body = input.body.trim();
  if (!body) throw new AppError("invalid_input", "Write something before posting.");
  if (body.length > COMMENT_MAX_LENGTH) throw new AppError("invalid_input", `Comments can be at most ${COMMENT_MAX_LENGTH} characters.`);
  // The instance's blocked words refuse a comment outright (422) rather than hold it: the writer can rephrase at
  // once, and the review queue is kept for what needs a person.
  const blocked = findBlockedWord(body, (await getModerationSettings()).blockedWords);
  if (blocked) throw new AppError("invalid_input", `Your comment uses "${blocked}", which this instance does not allow. Rephrase it and post again.`, { reason: "blocked_word" });
  // A reply to a reply joins its thread: replies are one level deep.
  let parent: { id: string; authorId: string } | null = null;
  let repliedTo: { authorId: string } | null = null;
  if (input.parentId) {
    const blockedIds = await loadBlockedIds(user.id);
    const target = await requireShownComment(input.parentId, user, blockedIds, "reply to them");
    if (target.videoId !== videoId) throw new AppError("invalid_input", "You can only reply to a comment on the same video.");
    parent = target.parentId ? await requireShownComment(target.parentId, user, blockedIds, "reply in their thread") : target;
    repliedTo = target;
  }
  // The creator's filter is for what others write; their own comments are never hidden by it.
  const filtered = user.id !== video.authorId && (await isFilteredComment(video.authorId, body));
  const row = await getDb().comment.create({
    data: { videoId, authorId: user.id, body, parentId: parent?.id ?? null, filtered },
    include: commentInclude,
  });
  // A filtered comment is shown to nobody but its writer, so nobody is told about it either.
  if (!filtered) await notifyComment(user, video.authorId, videoId, row.id, body, parent, repliedTo);
  const [view] = await toCommentViews(user, video.authorId, [row]);
  return view!;
}

async function notifyComment(
  user: AuthUser,
  creatorId: string,
  videoId: string,
  commentId: string,
  body: string,
  parent: { authorId: string } | null,
  repliedTo: { authorId: string } | null,
): Promise<void> {
  if (repliedTo && parent && repliedTo.authorId !== parent.authorId) await notifyReply(user, repliedTo.authorId, videoId);
  if (parent) await notify({ recipientId: parent.authorId, actorId: user.id, type: "REPLY", videoId, commentId });
  if (!parent || parent.authorId !== creatorId) {
    await notify({ recipientId: creatorId, actorId: user.id, type: "COMMENT", videoId, commentId });
  }
  await notifyMentions(user, body, videoId, commentId);
}

async function notifyReply(user: AuthUser, recipientId: string, videoId: string): Promise<void> {
  await notify({ recipientId, actorId: user.id, type: "REPLY", videoId });
}

async function notifyMentions(user: AuthUser, body: string, videoId: string, commentId: string): Promise<void> {
  const { mentions } = parseCaption(body);
  if (mentions.length === 0) return;
  const people = await getDb().user.findMany({ where: { handle: { in: mentions }, status: "ACTIVE" }, select: { id: true } });
  for (const person of people) await notify({ recipientId: person.id, actorId: user.id, type: "MENTION", videoId, commentId });
}

/** The comment's author, the video's creator and moderators may delete a comment; its replies go with it. */
export async function deleteComment(user: AuthUser, commentId: string): Promise<{ ok: true }> {
  const comment = await requireShownComment(commentId);
  const video = await requireViewableVideo(user, comment.videoId, { blocks: "ignore" });
  if (!canDeleteComment(user, comment, video)) throw new AppError("forbidden", "Only the comment's author or the video's creator can delete it.");
  const now = new Date();
  await getDb().comment.updateMany({ where: { OR: [{ id: comment.id }, { parentId: comment.id }], deletedAt: null }, data: { deletedAt: now } });
  return { ok: true };
}

export function canDeleteComment(user: AuthUser | null, comment: { authorId: string }, video: { authorId: string }): boolean {
  if (!user) return false;
  return user.id === comment.authorId || user.id === video.authorId || canModerate(user);
}

export async function likeComment(user: AuthUser, commentId: string): Promise<LikeState> {
  const comment = await requireShownComment(commentId, user, [], "like their comments");
  await requireVideoToActOn(user, comment.videoId, "like comments on their videos");
  await getDb().commentLike.createMany({ data: [{ userId: user.id, commentId }], skipDuplicates: true });
  return { liked: true, likes: await getDb().commentLike.count({ where: { commentId } }) };
}

export async function unlikeComment(user: AuthUser, commentId: string): Promise<LikeState> {
  const comment = await requireShownComment(commentId);
  await requireViewableVideo(user, comment.videoId, { blocks: "ignore" });
  await getDb().commentLike.deleteMany({ where: { userId: user.id, commentId } });
  return { liked: false, likes: await getDb().commentLike.count({ where: { commentId } }) };
}

/**
 * A comment that is not deleted and whose author is active. Given a viewer, also one they are shown: a comment the
 * creator's filter hides is a 404 to anyone but its writer, and so is one across a block (`blockedIds`), unless an
 * `action` is named, which is then refused with a 403 saying why (replying to, or liking, someone across a block).
 */
async function requireShownComment(commentId: string, viewer?: AuthUser | null, blockedIds: string[] = [], action?: string) {
  const comment = await getDb().comment.findFirst({
    where: { id: commentId, ...SHOWN },
    select: { id: true, videoId: true, authorId: true, parentId: true, filtered: true },
  });
  const notFound = new AppError("not_found", "No such comment.");
  if (!comment) throw notFound;
  if (viewer === undefined) return comment;
  if (comment.filtered && viewer?.id !== comment.authorId) throw notFound;
  if (viewer && action) await assertNoBlock(viewer, comment.authorId, action);
  if (blockedIds.includes(comment.authorId)) throw notFound;
  return comment;
}

async function toCommentViews(viewer: AuthUser | null, videoAuthorId: string, rows: CommentRow[]): Promise<CommentView[]> {
  const liked = viewer
    ? new Set(
        (await getDb().commentLike.findMany({ where: { userId: viewer.id, commentId: { in: rows.map((row) => row.id) } }, select: { commentId: true } })).map(
          (like) => like.commentId,
        ),
      )
    : new Set<string>();
  return rows.map((row) => ({
    id: row.id,
    parentId: row.parentId,
    body: row.body,
    author: toAuthorView(row.author),
    createdAt: row.createdAt.toISOString(),
    likes: row._count.likes,
    replyCount: row._count.replies,
    viewer: { liked: liked.has(row.id), canDelete: canDeleteComment(viewer, row, { authorId: videoAuthorId }) },
  }));
}
