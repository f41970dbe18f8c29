// Public profiles: what anyone may see of an account at /@handle.
import { getDb } from "../db";
import { AppError } from "../errors";
import { PUBLICLY_VISIBLE } from "../videos";
import { normalizeHandle } from "./rules";

export type PublicProfile = {
  id: string;
  handle: string;
  name: string;
  bio: string;
  avatar: string | null;
  createdAt: string;
  stats: { followers: number; following: number; likes: number; videos: number };
};

export async function getPublicProfile(handle: string): Promise<PublicProfile> {
  const user = await getDb().user.findUnique({
    where: { handle: normalizeHandle(handle) },
    include: { _count: { select: { followers: true, following: true } } },
  });
  if (!user || user.status !== "ACTIVE") throw new AppError("not_found", `No user @${normalizeHandle(handle)}.`);
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
    avatar: user.avatarKey ? `/media/${user.avatarKey}` : null,
    createdAt: user.createdAt.toISOString(),
    stats: { followers: user._count.followers, following: user._count.following, likes, videos },
  };
}

export type Me = { id: string; handle: string; name: string; email: string; role: string; via: "session" | "token"; createdAt: string };

/** The signed-in account as its owner sees it (GET /api/me). */
export async function getMe(user: { id: string; via: "session" | "token" }): Promise<Me> {
  const row = await getDb().user.findUnique({ where: { id: user.id } });
  if (!row) throw new AppError("not_found", "This account no longer exists.");
  return {
    id: row.id,
    handle: row.handle,
    name: row.name || row.handle,
    email: row.email,
    role: row.role.toLowerCase(),
    via: user.via,
    createdAt: row.createdAt.toISOString(),
  };
}
