// Profiles: what anyone may see of an account at /@handle, and what its owner sees and edits (GET/PATCH /api/me).
import { canModerate, type Role } from "../auth/roles";
import { getDb } from "../db";
import { AppError } from "../errors";
import { getRelationship } from "../safety";
import { PUBLICLY_VISIBLE } from "../videos";
import { mediaUrl } from "../videos/view";
import { normalizeHandle, type ProfileUpdate } from "./rules";

export type PublicProfile = {
  id: string;
  handle: string;
  name: string;
  bio: string;
  avatar: string | null;
  createdAt: string;
  stats: { followers: number; following: number; likes: number; videos: number };
  /** How a signed-in viewer stands with this account; null when signed out or looking at their own profile. */
  viewer: { following: boolean; blocking: boolean; muting: boolean } | null;
};

/**
 * What anyone may see of an account. To an account it has blocked, it does not exist (404), unless that account
 * moderates; its own blocker still gets the profile (with `viewer.blocking`), which is where they can unblock it.
 */
export async function getPublicProfile(handle: string, viewer: { id: string; role: Role } | null = null): Promise<PublicProfile> {
  const user = await getDb().user.findUnique({
    where: { handle: normalizeHandle(handle) },
    include: { _count: { select: { followers: true, following: true } } },
  });
  const notFound = new AppError("not_found", `No user @${normalizeHandle(handle)}.`);
  if (!user || user.status !== "ACTIVE") throw notFound;
  const relationship = viewer && viewer.id !== user.id ? await getRelationship(viewer.id, user.id) : null;
  if (relationship?.blockedBy && !canModerate(viewer)) throw notFound;
  const visible = { authorId: user.id, ...PUBLICLY_VISIBLE };
  const [videos, likes] = await Promise.all([
    getDb().video.count({ where: visible }),
    getDb().like.count({ where: { video: visible } }),
  ]);
  return {
    id: user.id,
    handle: user.handle,
    name: user.name || user.handle,
    bio: user.bio,
    avatar: user.avatarKey ? mediaUrl(user.avatarKey) : null,
    createdAt: user.createdAt.toISOString(),
    stats: { followers: user._count.followers, following: user._count.following, likes, videos },
    viewer: relationship ? { following: relationship.following, blocking: relationship.blocking, muting: relationship.muting } : null,
  };
}

export type Me = {
  id: string;
  handle: string;
  /** The display name, or the handle when none is set (as shown everywhere). */
  name: string;
  bio: string;
  avatar: string | null;
  email: string;
  role: string;
  via: "session" | "token";
  createdAt: string;
};

type OwnRow = { id: string; handle: string; name: string; bio: string; avatarKey: string | null; email: string; role: string; createdAt: Date };

function toMe(row: OwnRow, via: Me["via"]): Me {
  return {
    id: row.id,
    handle: row.handle,
    name: row.name || row.handle,
    bio: row.bio,
    avatar: row.avatarKey ? mediaUrl(row.avatarKey) : null,
    email: row.email,
    role: row.role.toLowerCase(),
    via,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The signed-in account as its owner sees it (GET /api/me). */
export async function getMe(user: { id: string; via: Me["via"] }): Promise<Me> {
  const row = await getDb().user.findUnique({ where: { id: user.id } });
  if (!row) throw new AppError("not_found", "This account no longer exists.");
  return toMe(row, user.via);
}

/** PATCH /api/me: sets the display name and/or bio (already checked by profileUpdateSchema) and returns the account. */
export async function updateProfile(user: { id: string; via: Me["via"] }, patch: ProfileUpdate): Promise<Me> {
  const data = { ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.bio !== undefined ? { bio: patch.bio } : {}) };
  const result = await getDb().user.updateMany({ where: { id: user.id }, data });
  if (result.count === 0) throw new AppError("not_found", "This account no longer exists.");
  return getMe(user);
}

/** What the settings form starts from: the name as stored (empty when the handle stands in), bio and avatar. */
export async function getEditableProfile(userId: string): Promise<{ handle: string; name: string; bio: string; avatar: string | null }> {
  const row = await getDb().user.findUnique({ where: { id: userId }, select: { handle: true, name: true, bio: true, avatarKey: true } });
  if (!row) throw new AppError("not_found", "This account no longer exists.");
  return { handle: row.handle, name: row.name, bio: row.bio, avatar: row.avatarKey ? mediaUrl(row.avatarKey) : null };
}
