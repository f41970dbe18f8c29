// Who may create an account through the web (POST /api/users and the sign-up page): anyone ("open"), anyone but only
// usable once an admin approves it ("approval"), or nobody ("closed"; accounts then come from the admin CLI). The
// instance Setting "signup.mode" wins over SIGNUP_MODE, so an admin can change it without a restart.
import { z } from "zod";
import { canAdminister } from "../auth/roles";
import type { AuthUser } from "../auth/types";
import { getDb } from "../db";
import { getConfig } from "../env";
import { AppError } from "../errors";
import { mediaUrl } from "../videos/view";
import { createUser } from "./accounts";
import { normalizeHandle, type SignUpInput } from "./rules";

export const SIGNUP_MODES = ["open", "approval", "closed"] as const;
export type SignupMode = (typeof SIGNUP_MODES)[number];

const SETTING_KEY = "signup.mode";
const modeSchema = z.enum(SIGNUP_MODES, { message: "mode must be open, approval or closed." });
const PENDING_LIST_LIMIT = 200; // one admin screen; a queue longer than this is a sign the instance should close

export async function getSignupMode(): Promise<SignupMode> {
  const row = await getDb().setting.findUnique({ where: { key: SETTING_KEY } });
  const stored = modeSchema.safeParse(row?.value);
  return stored.success ? stored.data : getConfig().SIGNUP_MODE;
}

/** PUT /api/admin/signup-mode: stored as the instance Setting, so it outlives restarts and wins over SIGNUP_MODE. */
export async function setSignupMode(admin: AuthUser, mode: SignupMode): Promise<{ mode: SignupMode }> {
  requireSignupManager(admin);
  await getDb().setting.upsert({ where: { key: SETTING_KEY }, create: { key: SETTING_KEY, value: mode }, update: { value: mode } });
  return { mode };
}

export type SignUpResult = { id: string; handle: string; role: string; status: "active" | "pending" };

/** A sign-up through the web, as the instance's sign-up mode allows. */
export async function signUpAccount(input: SignUpInput): Promise<SignUpResult> {
  const mode = await getSignupMode();
  if (mode === "closed") {
    throw new AppError("forbidden", "Sign-ups are closed on this instance. Ask its admin for an account.", { reason: "signup_closed" });
  }
  const user = await createUser({ ...input, pending: mode === "approval" });
  return { id: user.id, handle: user.handle, role: user.role.toLowerCase(), status: user.status === "PENDING" ? "pending" : "active" };
}

/** Approving sign-ups and changing the sign-up mode is for admins. */
export function canManageSignups(user: Pick<AuthUser, "role"> | null): boolean {
  return canAdminister(user);
}

function requireSignupManager(user: AuthUser): void {
  if (!canManageSignups(user)) throw new AppError("forbidden", "Only an admin can manage sign-ups.");
}

export type PendingSignup = { id: string; handle: string; name: string; email: string; avatar: string | null; createdAt: string };

/** Accounts waiting for approval, oldest first, with the sign-up mode. */
export async function listPendingSignups(admin: AuthUser): Promise<{ mode: SignupMode; items: PendingSignup[] }> {
  requireSignupManager(admin);
  const rows = await getDb().user.findMany({ where: { status: "PENDING" }, orderBy: { createdAt: "asc" }, take: PENDING_LIST_LIMIT });
  return {
    mode: await getSignupMode(),
    items: rows.map((row) => ({
      id: row.id,
      handle: row.handle,
      name: row.name || row.handle,
      email: row.email,
      avatar: row.avatarKey ? mediaUrl(row.avatarKey) : null,
      createdAt: row.createdAt.toISOString(),
    })),
  };
}

async function requirePending(handle: string): Promise<{ id: string; handle: string }> {
  const user = await getDb().user.findUnique({ where: { handle: normalizeHandle(handle) }, select: { id: true, handle: true, status: true } });
  if (!user || user.status !== "PENDING") throw new AppError("not_found", `No sign-up from @${normalizeHandle(handle)} is waiting for approval.`);
  return user;
}

/** Lets a pending account sign in. */
export async function approveSignup(admin: AuthUser, handle: string): Promise<{ handle: string; status: "active" }> {
  requireSignupManager(admin);
  const user = await requirePending(handle);
  // Only a still-pending account is switched, so approving cannot undo a ban that happened meanwhile.
  const updated = await getDb().user.updateMany({ where: { id: user.id, status: "PENDING" }, data: { status: "ACTIVE" } });
  if (updated.count === 0) throw new AppError("conflict", `@${user.handle} is no longer waiting for approval.`);
  return { handle: user.handle, status: "active" };
}

/** Refuses a pending sign-up: the account is deleted, so its handle and e-mail can be used again. */
export async function rejectSignup(admin: AuthUser, handle: string): Promise<{ ok: true }> {
  requireSignupManager(admin);
  const user = await requirePending(handle);
  await getDb().user.deleteMany({ where: { id: user.id, status: "PENDING" } });
  return { ok: true };
}

export const signupModeSchema = z.object({ mode: modeSchema });
