// /admin's domain: instance overview (health, queues), user management (search, role, ban/unban) and instance
// settings (sign-up mode and the moderation stage's knobs). Admins only; every function checks.
import { z } from "zod";
import { canAdminister } from "../auth/roles";
import type { AuthUser } from "../auth/types";
import { getDb } from "../db";
import { AppError } from "../errors";
import { checkHealth } from "../health";
import { getQueueOverview } from "../jobs/dashboard";
import { getModerationSettings, moderationSettingsSchema, saveModerationSettings, setAccountBanned } from "../moderation";
import { getSignupMode, setSignupMode, SIGNUP_MODES } from "../users/signup";
import { mediaUrl } from "../videos/view";

const USER_PAGE = 50; // one screen; search narrows it
const ADMIN_NOTE_MAX = 2000;

export function requireAdmin(user: AuthUser): void {
  if (!canAdminister(user)) throw new AppError("forbidden", "Only an admin can do this.");
}

export async function getAdminOverview(admin: AuthUser) {
  requireAdmin(admin);
  const [health, queues, openCases, users, videos] = await Promise.all([
    checkHealth(),
    getQueueOverview(),
    getDb().moderationCase.count({ where: { status: { in: ["OPEN", "APPEALED"] } } }),
    getDb().user.groupBy({ by: ["status"], _count: true }),
    getDb().video.groupBy({ by: ["moderation"], _count: true }),
  ]);
  return {
    health,
    queues,
    moderation: { openCases, videos: Object.fromEntries(videos.map((row) => [row.moderation.toLowerCase(), row._count])) },
    users: Object.fromEntries(users.map((row) => [row.status.toLowerCase(), row._count])),
  };
}

export type AdminUserView = { id: string; handle: string; name: string; email: string; role: string; status: string; avatar: string | null; createdAt: string; videos: number };

export async function listUsers(admin: AuthUser, query: string): Promise<{ items: AdminUserView[] }> {
  requireAdmin(admin);
  const q = query.trim().toLowerCase().replace(/^@/, "");
  const rows = await getDb().user.findMany({
    where: q ? { OR: [{ handle: { contains: q } }, { email: { contains: q, mode: "insensitive" } }, { name: { contains: q, mode: "insensitive" } }] } : {},
    orderBy: { createdAt: "desc" },
    take: USER_PAGE,
    include: { _count: { select: { videos: true } } },
  });
  return {
    items: rows.map((row) => ({
      id: row.id,
      handle: row.handle,
      name: row.name || row.handle,
      email: row.email,
      role: row.role.toLowerCase(),
      status: row.status.toLowerCase(),
      avatar: row.avatarKey ? mediaUrl(row.avatarKey) : null,
      createdAt: row.createdAt.toISOString(),
      videos: row._count.videos,
    })),
  };
}

export const updateUserSchema = z
  .object({
    role: z.enum(["user", "moderator", "admin"], { message: "role must be user, moderator or admin." }).optional(),
    status: z.enum(["active", "banned"], { message: "status must be active or banned." }).optional(),
    note: z.string().max(ADMIN_NOTE_MAX).default(""),
  })
  .strict()
  .refine((input) => input.role !== undefined || input.status !== undefined, { message: "Send a role or a status to change." });

/** Changes an account's role and/or bans or unbans it (a ban ends its sessions and tokens at once, with an audit entry). */
export async function updateUser(admin: AuthUser, handle: string, input: z.infer<typeof updateUserSchema>): Promise<AdminUserView> {
  requireAdmin(admin);
  const user = await getDb().user.findUnique({ where: { handle: handle.toLowerCase().replace(/^@/, "") } });
  if (!user) throw new AppError("not_found", `No user @${handle}.`);
  if (user.id === admin.id) throw new AppError("invalid_input", "You cannot change your own role or ban yourself; ask another admin.");
  if (user.status === "PENDING") throw new AppError("conflict", `@${user.handle} is waiting for sign-up approval; approve or reject it first.`);
  if (input.role) await getDb().user.update({ where: { id: user.id }, data: { role: input.role.toUpperCase() as "USER" | "MODERATOR" | "ADMIN" } });
  if (input.status) {
    const banned = input.status === "banned";
    if (banned !== (user.status === "BANNED")) await setAccountBanned({ ...admin }, user.id, banned, input.note);
  }
  const { items } = await listUsers(admin, user.handle);
  return items.find((item) => item.id === user.id)!;
}

export const instanceSettingsSchema = moderationSettingsSchema.and(z.object({ signupMode: z.enum(SIGNUP_MODES).optional() }).strict().partial());

export async function getInstanceSettings(admin: AuthUser) {
  requireAdmin(admin);
  return { signupMode: await getSignupMode(), ...(await getModerationSettings()) };
}

export async function saveInstanceSettings(admin: AuthUser, input: z.infer<typeof instanceSettingsSchema>) {
  requireAdmin(admin);
  const { signupMode, ...moderation } = input as { signupMode?: (typeof SIGNUP_MODES)[number] } & Record<string, unknown>;
  if (signupMode) await setSignupMode(admin, signupMode);
  await saveModerationSettings(moderation);
  return getInstanceSettings(admin);
}
