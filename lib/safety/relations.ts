// Blocks and mutes between accounts.
//
// A block stands between two accounts whichever of them made it: neither sees the other's videos or comments (feeds,
// profiles, tag pages, search, comment threads), neither can like, comment on, reply to or follow the other, and
// neither is notified of the other's doings. The blocked account also gets a 404 for the blocker's profile; the
// blocker still sees the blocked account's profile header, with nothing on it but the way to unblock. Blocking ends
// follows both ways. Viewing refuses with the same 404 as something that does not exist; an action the blocked
// account attempts (like, comment, follow) is refused with a 403 that says why.
//
// A mute is one-sided and silent: the muter's feeds, search and tag pages leave out the muted account's videos.
import { canModerate, type Role } from "../auth/roles";
import type { AuthUser } from "../auth/types";
import { getDb } from "../db";
import { Prisma } from "../generated/prisma/client";
import { AppError } from "../errors";
import { normalizeHandle } from "../users/rules";
import { toAuthorView } from "../videos/view";

export type Relationship = {
  following: boolean;
  /** The viewer blocked this account. */
  blocking: boolean;
  /** This account blocked the viewer. */
  blockedBy: boolean;
  muting: boolean;
};

export type ListedAccount = { handle: string; name: string; avatar: string | null; since: string };

const LIST_LIMIT = 500; // far more than anyone curates by hand; the settings page shows them all

async function requireTarget(user: AuthUser, handle: string, verb: string): Promise<{ id: string; handle: string }> {
  const target = await getDb().user.findUnique({ where: { handle: normalizeHandle(handle) }, select: { id: true, handle: true, status: true } });
  if (!target || target.status === "PENDING") throw new AppError("not_found", `No user @${normalizeHandle(handle)}.`);
  if (target.id === user.id) throw new AppError("invalid_input", `You cannot ${verb} yourself.`);
  return target;
}

/** Blocks an account and ends follows between the two, both ways. Idempotent. */
export async function blockUser(user: AuthUser, handle: string): Promise<{ blocking: true }> {
  const target = await requireTarget(user, handle, "block");
  await getDb().$transaction([
    getDb().block.createMany({ data: [{ blockerId: user.id, blockedId: target.id }], skipDuplicates: true }),
    getDb().follow.deleteMany({
      where: { OR: [{ followerId: user.id, followeeId: target.id }, { followerId: target.id, followeeId: user.id }] },
    }),
  ]);
  return { blocking: true };
}

/** Lifts a block. Follows ended by it are not restored. Idempotent. */
export async function unblockUser(user: AuthUser, handle: string): Promise<{ blocking: false }> {
  const target = await requireTarget(user, handle, "unblock");
  await getDb().block.deleteMany({ where: { blockerId: user.id, blockedId: target.id } });
  return { blocking: false };
}

export async function muteUser(user: AuthUser, handle: string): Promise<{ muting: true }> {
  const target = await requireTarget(user, handle, "mute");
  await getDb().mute.createMany({ data: [{ muterId: user.id, mutedId: target.id }], skipDuplicates: true });
  return { muting: true };
}

export async function unmuteUser(user: AuthUser, handle: string): Promise<{ muting: false }> {
  const target = await requireTarget(user, handle, "unmute");
  await getDb().mute.deleteMany({ where: { muterId: user.id, mutedId: target.id } });
  return { muting: false };
}

const listedUser = { select: { handle: true, name: true, avatarKey: true } } as const;

/** The accounts this user has blocked, most recent first (GET /api/me/blocks, the settings list). */
export async function listBlockedAccounts(userId: string): Promise<{ items: ListedAccount[] }> {
  const rows = await getDb().block.findMany({
    where: { blockerId: userId },
    orderBy: { createdAt: "desc" },
    take: LIST_LIMIT,
    select: { createdAt: true, blocked: listedUser },
  });
  return { items: rows.map((row) => ({ ...toAuthorView(row.blocked), since: row.createdAt.toISOString() })) };
}

/** The accounts this user has muted, most recent first (GET /api/me/mutes). */
export async function listMutedAccounts(userId: string): Promise<{ items: ListedAccount[] }> {
  const rows = await getDb().mute.findMany({
    where: { muterId: userId },
    orderBy: { createdAt: "desc" },
    take: LIST_LIMIT,
    select: { createdAt: true, muted: listedUser },
  });
  return { items: rows.map((row) => ({ ...toAuthorView(row.muted), since: row.createdAt.toISOString() })) };
}

/** How the viewer stands with another account. */
export async function getRelationship(viewerId: string, otherId: string): Promise<Relationship> {
  const [follow, blocks, mute] = await Promise.all([
    getDb().follow.findUnique({ where: { followerId_followeeId: { followerId: viewerId, followeeId: otherId } }, select: { followerId: true } }),
    getDb().block.findMany({
      where: { OR: [{ blockerId: viewerId, blockedId: otherId }, { blockerId: otherId, blockedId: viewerId }] },
      select: { blockerId: true },
    }),
    getDb().mute.findUnique({ where: { muterId_mutedId: { muterId: viewerId, mutedId: otherId } }, select: { muterId: true } }),
  ]);
  return {
    following: follow !== null,
    blocking: blocks.some((block) => block.blockerId === viewerId),
    blockedBy: blocks.some((block) => block.blockerId === otherId),
    muting: mute !== null,
  };
}

/** Accounts a block stands between the viewer and, whichever side made it: their content is never shown to the viewer. */
export async function loadBlockedIds(viewerId: string): Promise<string[]> {
  const rows = await getDb().block.findMany({
    where: { OR: [{ blockerId: viewerId }, { blockedId: viewerId }] },
    select: { blockerId: true, blockedId: true },
  });
  return [...new Set(rows.map((row) => (row.blockerId === viewerId ? row.blockedId : row.blockerId)))];
}

/**
 * Authors left out of the viewer's feeds, search results and tag pages: blocked either way (as loadBlockedIds), or
 * muted. One statement, read on every feed page.
 */
export async function loadHiddenAuthorIds(viewerId: string): Promise<string[]> {
  const rows = await getDb().$queryRaw<Array<{ id: string }>>(hiddenAuthorsQuery(viewerId));
  return rows.map((row) => row.id);
}

/** The statement behind loadHiddenAuthorIds (one column, "id"), for callers that read it with other lists at once. */
export function hiddenAuthorsQuery(viewerId: string): Prisma.Sql {
  return Prisma.sql`
    SELECT "blockedId" AS "id" FROM "Block" WHERE "blockerId" = ${viewerId}
    UNION SELECT "blockerId" FROM "Block" WHERE "blockedId" = ${viewerId}
    UNION SELECT "mutedId" FROM "Mute" WHERE "muterId" = ${viewerId}`;
}

/** Whether a block stands between two accounts, made by either. */
export async function isBlockedBetween(oneId: string, otherId: string): Promise<boolean> {
  if (oneId === otherId) return false;
  const row = await getDb().block.findFirst({
    where: { OR: [{ blockerId: oneId, blockedId: otherId }, { blockerId: otherId, blockedId: oneId }] },
    select: { blockerId: true },
  });
  return row !== null;
}

/**
 * Whether a block hides `authorId`'s video or profile from `viewer` when they open it directly. Moderators and admins
 * are never hidden from: blocking a moderator must not keep anything out of review.
 */
export async function isHiddenByBlock(viewer: { id: string; role: Role } | null, authorId: string): Promise<boolean> {
  if (!viewer || canModerate(viewer)) return false;
  return isBlockedBetween(viewer.id, authorId);
}

/**
 * Refuses, with a 403 that says why, an action of `actor` on something of `ownerId` across a block. `action` finishes
 * the sentence: "like their videos", "follow them", "reply to them".
 */
export async function assertNoBlock(actor: { id: string }, ownerId: string, action: string): Promise<void> {
  if (actor.id === ownerId) return;
  const blocks = await getDb().block.findMany({
    where: { OR: [{ blockerId: actor.id, blockedId: ownerId }, { blockerId: ownerId, blockedId: actor.id }] },
    select: { blockerId: true, blocker: { select: { handle: true } }, blocked: { select: { handle: true } } },
  });
  const byOwner = blocks.find((block) => block.blockerId === ownerId);
  if (byOwner) {
    throw new AppError("forbidden", `@${byOwner.blocker.handle} has blocked you, so you can't ${action}.`, { reason: "blocked" });
  }
  const byActor = blocks[0];
  if (byActor) {
    throw new AppError("forbidden", `You have blocked @${byActor.blocked.handle}. Unblock them to ${action}.`, { reason: "blocking" });
  }
}
