// Notifications: a row per event that concerns someone (likes, comments, replies, follows, mentions, new videos from
// people they follow), listed at /notifications and pushed live. Pushing goes through Redis pub/sub, so a browser
// connected to any web replica hears about an event handled by any other. Nobody hears of the doings of an account a
// block stands between them and (lib/safety), nor of anything about that account's videos (a third person's reply
// under one of them, say): such notifications are not made, and older ones are no longer listed.
import type { Redis } from "ioredis";
import { getDb } from "../db";
import type { Prisma } from "../generated/prisma/client";
import type { NotificationType } from "../generated/prisma/enums";
import { getLogger } from "../logger";
import { createRedis, getRedis } from "../redis";
import { isBlockedBetween, loadBlockedIds } from "../safety";
import { toAuthorView } from "../videos/view";

export type NotificationView = {
  id: string;
  type:
    | "like"
    | "comment"
    | "reply"
    | "follow"
    | "mention"
    | "new_video"
    | "report_outcome"
    | "content_actioned"
    | "appeal_decided"
    | "appeal_granted"
    | "appeal_upheld";
  actor: { handle: string; name: string; avatar: string | null };
  videoId: string | null;
  commentId: string | null;
  /** A sentence for people, e.g. "@ana liked your video". */
  text: string;
  createdAt: string;
  read: boolean;
};

export type NotifyInput = { recipientId: string; actorId: string; type: NotificationType; videoId?: string; commentId?: string };

const CHANNEL_PREFIX = "flick:notifications:";
const LIST_LIMIT = 50; // one screen of notifications; older ones page in with ?before=

/**
 * Stores a notification and pushes it to the recipient's open pages. Nobody is notified of their own actions. A push
 * that fails (Redis down) is logged, not thrown: the row is stored and the page shows it on its next load.
 */
export async function notify(input: NotifyInput): Promise<void> {
  if (input.recipientId === input.actorId) return;
  if (await isAcrossBlock(input)) return;
  const row = await getDb().notification.create({ data: input, include: { actor: { select: { handle: true, name: true, avatarKey: true } } } });
  await publish(input.recipientId, toNotificationView(row)).catch((error) =>
    getLogger().warn({ err: error, userId: input.recipientId }, "notification not pushed live"),
  );
}

/** Notifies many recipients of one event (a new video to every follower) with one insert. */
export async function notifyMany(recipientIds: string[], input: Omit<NotifyInput, "recipientId">): Promise<void> {
  const blocked = new Set(await loadBlockedIds(input.actorId));
  const recipients = recipientIds.filter((id) => id !== input.actorId && !blocked.has(id));
  if (recipients.length === 0) return;
  const rows = await getDb().notification.createManyAndReturn({
    data: recipients.map((recipientId) => ({ ...input, recipientId })),
    include: { actor: { select: { handle: true, name: true, avatarKey: true } } },
  });
  for (const row of rows) await publish(row.recipientId, toNotificationView(row)).catch(() => undefined);
}

/** Whether a block stands between the recipient and the actor, or the author of the video the notification is about. */
async function isAcrossBlock(input: NotifyInput): Promise<boolean> {
  if (await isBlockedBetween(input.recipientId, input.actorId)) return true;
  if (!input.videoId) return false;
  const video = await getDb().video.findUnique({ where: { id: input.videoId }, select: { authorId: true } });
  return video !== null && video.authorId !== input.actorId && (await isBlockedBetween(input.recipientId, video.authorId));
}

/** Notifications from trust and safety (lib/moderation): no person is named as their actor. */
export type ModerationNotice = { recipientId: string; type: "REPORT_OUTCOME" | "CONTENT_ACTIONED" | "APPEAL_GRANTED" | "APPEAL_UPHELD"; videoId?: string | null; commentId?: string | null };

/**
 * Tells reporters the outcome of their report and creators what happened to their content. The moderator stays
 * anonymous: the row's actor is the recipient themselves, and the sentence names nobody.
 */
export async function notifyModeration(notices: ModerationNotice[]): Promise<void> {
  for (const notice of notices) {
    const row = await getDb().notification.create({
      data: { recipientId: notice.recipientId, actorId: notice.recipientId, type: notice.type, videoId: notice.videoId ?? null, commentId: notice.commentId ?? null },
      include: { actor: { select: { handle: true, name: true, avatarKey: true } } },
    });
    await publish(notice.recipientId, toNotificationView(row)).catch(() => undefined);
  }
}

async function publish(recipientId: string, view: NotificationView): Promise<void> {
  await getRedis().publish(`${CHANNEL_PREFIX}${recipientId}`, JSON.stringify(view));
}

/** An account no block stands between and the recipient, made by either. */
function unblockedWith(recipientId: string) {
  return { blocking: { none: { blockedId: recipientId } }, blockedBy: { none: { blockerId: recipientId } } } as const;
}

/** Notifications are listed only from active accounts with no block between them and the recipient. */
function listedActor(recipientId: string) {
  return { status: "ACTIVE", ...unblockedWith(recipientId) } as const;
}

export async function listNotifications(userId: string, before?: string): Promise<{ items: NotificationView[]; unread: number }> {
  const rows = await getDb().notification.findMany({
    where: { recipientId: userId, ...(before ? { createdAt: { lt: new Date(before) } } : {}), actor: listedActor(userId), ...aboutVisibleVideo(userId) },
    orderBy: { createdAt: "desc" },
    take: LIST_LIMIT,
    include: { actor: { select: { handle: true, name: true, avatarKey: true } } },
  });
  return { items: rows.map(toNotificationView), unread: await countUnread(userId) };
}

export function countUnread(userId: string): Promise<number> {
  return getDb().notification.count({ where: { recipientId: userId, readAt: null, actor: listedActor(userId), ...aboutVisibleVideo(userId) } });
}

/**
 * A notification about someone else's video is listed only while that video passes moderation and no block stands
 * between its author and the recipient: a hidden or removed video, or a block, takes it off the list on the next
 * request. Notifications about the recipient's own video stay (they say why).
 */
function aboutVisibleVideo(userId: string): Prisma.NotificationWhereInput {
  return {
    OR: [
      { videoId: null },
      { video: { moderation: "APPROVED", author: { status: "ACTIVE", ...unblockedWith(userId) } } },
      { video: { authorId: userId } },
      // A reporter hears the outcome even though the video is now out of sight.
      { type: { in: [...MODERATION_TYPES] } },
    ],
  };
}

export async function markAllRead(userId: string): Promise<{ unread: 0 }> {
  await getDb().notification.updateMany({ where: { recipientId: userId, readAt: null }, data: { readAt: new Date() } });
  return { unread: 0 };
}

/**
 * Subscribes to one user's live notifications. Each subscriber gets its own Redis connection (a subscribed
 * connection can do nothing else); call the returned function to unsubscribe and close it.
 */
export async function subscribeToNotifications(userId: string, onNotification: (view: NotificationView) => void): Promise<() => void> {
  const subscriber: Redis = createRedis({ maxRetriesPerRequest: null });
  const channel = `${CHANNEL_PREFIX}${userId}`;
  subscriber.on("message", (received: string, message: string) => {
    if (received !== channel) return;
    try {
      onNotification(JSON.parse(message) as NotificationView);
    } catch {
      // a malformed message is not ours to deliver
    }
  });
  subscriber.on("error", (error) => getLogger().warn({ err: error, userId }, "notification subscription error"));
  await subscriber.subscribe(channel);
  return () => {
    subscriber.disconnect();
  };
}

type NotificationRow = {
  id: string;
  type: NotificationType;
  videoId: string | null;
  commentId: string | null;
  createdAt: Date;
  readAt: Date | null;
  actor: { handle: string; name: string; avatarKey: string | null };
};

type ModerationType = "REPORT_OUTCOME" | "CONTENT_ACTIONED" | "APPEAL_DECIDED" | "APPEAL_GRANTED" | "APPEAL_UPHELD";

/** What people did, after "@handle ". */
const SENTENCES: Record<Exclude<NotificationType, ModerationType>, string> = {
  LIKE: "liked your video",
  COMMENT: "commented on your video",
  REPLY: "replied to your comment",
  FOLLOW: "started following you",
  MENTION: "mentioned you",
  NEW_VIDEO: "posted a new video",
};

/** What trust and safety did, as whole sentences naming no one; `thing` is "video", "comment" or "content". */
const MODERATION_SENTENCES: Record<ModerationType, (thing: string) => string> = {
  REPORT_OUTCOME: () => "A moderator reviewed something you reported and decided on it. Thank you for reporting.",
  CONTENT_ACTIONED: (thing) => `A moderator removed your ${thing} for breaking the rules. You can appeal once from your studio.`,
  APPEAL_DECIDED: () => "A moderator decided your appeal.",
  APPEAL_GRANTED: (thing) => `A moderator granted your appeal: your ${thing} is back.`,
  APPEAL_UPHELD: (thing) => `A moderator reviewed your appeal and upheld the decision: your ${thing} stays removed.`,
};

const MODERATION_TYPES = new Set<NotificationType>(Object.keys(MODERATION_SENTENCES) as ModerationType[]);

function isModerationType(type: NotificationType): type is ModerationType {
  return MODERATION_TYPES.has(type);
}

function toNotificationView(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    type: row.type.toLowerCase() as NotificationView["type"],
    actor: toAuthorView(row.actor),
    videoId: row.videoId,
    commentId: row.commentId,
    text: isModerationType(row.type)
      ? MODERATION_SENTENCES[row.type](row.commentId ? "comment" : row.videoId ? "video" : "content")
      : `@${row.actor.handle} ${SENTENCES[row.type]}`,
    createdAt: row.createdAt.toISOString(),
    read: row.readAt !== null,
  };
}

/**
 * A video just became visible to everyone: its author's followers hear of it, and people its caption @mentions.
 * Called once, when processing finishes; a failure is logged, never fails the video.
 */
export async function announceNewVideo(videoId: string): Promise<void> {
  try {
    const video = await getDb().video.findUnique({
      where: { id: videoId },
      select: { authorId: true, visibility: true, status: true, moderation: true, mentions: { select: { userId: true } } },
    });
    if (!video || video.status !== "READY" || video.moderation !== "APPROVED" || video.visibility === "PRIVATE") return;
    if (video.visibility === "PUBLIC") {
      const followers = await getDb().follow.findMany({ where: { followeeId: video.authorId }, select: { followerId: true } });
      await notifyMany(followers.map((follow) => follow.followerId), { actorId: video.authorId, type: "NEW_VIDEO", videoId });
    }
    await notifyMany(video.mentions.map((mention) => mention.userId), { actorId: video.authorId, type: "MENTION", videoId });
  } catch (error) {
    getLogger().warn({ err: error, videoId }, "new video not announced");
  }
}
