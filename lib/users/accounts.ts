// Creating accounts, checking and changing passwords, and changing roles. The first account on an instance, or the one
// named by ADMIN_HANDLE, is admin.
import { hashPassword, verifyPassword } from "../auth/password";
import type { Role } from "../auth/roles";
import { revokeOtherSessions } from "../auth/sessions";
import { getDb, isUniqueViolation } from "../db";
import { getConfig } from "../env";
import { AppError } from "../errors";
import type { User } from "../generated/prisma/client";
import { normalizeHandle, type SignUpInput } from "./rules";

// Serialises account creation so two simultaneous first sign-ups cannot both become admin.
const CREATE_USER_LOCK = 0x666c6b01;

/**
 * Creates an account. `pending` (sign-ups awaiting approval) creates it unable to sign in until an admin approves,
 * except for an account that becomes admin (the first one, or ADMIN_HANDLE's): nobody could approve that one.
 */
export async function createUser(input: SignUpInput & { role?: Role; pending?: boolean }): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  const adminHandle = getConfig().ADMIN_HANDLE;
  try {
    return await getDb().$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CREATE_USER_LOCK})`;
      const taken = await tx.user.findFirst({
        where: { OR: [{ handle: input.handle }, { email: input.email }] },
        select: { handle: true },
      });
      if (taken) throw conflictFor(taken.handle === input.handle ? "handle" : "email");
      const isFirst = (await tx.user.count()) === 0;
      const namedAdmin = adminHandle !== undefined && normalizeHandle(adminHandle) === input.handle;
      const role: Role = input.role ?? (isFirst || namedAdmin ? "ADMIN" : "USER");
      const status = input.pending && role !== "ADMIN" ? "PENDING" : "ACTIVE";
      return tx.user.create({
        data: { handle: input.handle, email: input.email, passwordHash, name: input.name ?? "", role, status },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflictFor("handle or email");
    throw error;
  }
}

function conflictFor(field: string): AppError {
  const what = field === "handle" ? "That handle is taken." : field === "email" ? "An account with that e-mail exists." : "That handle or e-mail is taken.";
  return new AppError("conflict", what, { field });
}

function loginWhere(login: string) {
  const key = login.trim().toLowerCase();
  return key.includes("@") ? { email: key } : { handle: normalizeHandle(key) };
}

/** The account an e-mail or handle names, for counting failed sign-ins per account. */
export async function findAccountIdByLogin(login: string): Promise<string | null> {
  if (!login.trim()) return null;
  const user = await getDb().user.findFirst({ where: loginWhere(login), select: { id: true } });
  return user?.id ?? null;
}

/**
 * Checks a sign-in attempt by e-mail or handle. Banned accounts, and accounts still waiting for approval, cannot sign
 * in: with the right password they are told why.
 */
export async function verifyCredentials(login: string, password: string): Promise<User | null> {
  const user = await getDb().user.findFirst({ where: loginWhere(login) });
  if (!user) {
    // Hash anyway so a wrong e-mail takes as long as a wrong password and does not reveal which accounts exist.
    await hashPassword(password);
    return null;
  }
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  if (user.status === "PENDING") {
    throw new AppError("forbidden", "Your account is waiting for an admin's approval. You can sign in once it is approved.", { reason: "pending" });
  }
  if (user.status !== "ACTIVE") throw new AppError("forbidden", "This account is suspended.");
  return user;
}

/**
 * POST /api/me/password. The current password must be right even for a signed-in caller, so a borrowed browser or a
 * leaked token cannot lock the owner out. Every other session ends; the caller's own stays signed in. API tokens are
 * separate credentials with their own list in settings, so they keep working.
 */
export async function changePassword(
  user: { id: string; sessionId?: string },
  input: { currentPassword: string; newPassword: string },
): Promise<{ ok: true; revokedSessions: number }> {
  const row = await getDb().user.findUnique({ where: { id: user.id }, select: { passwordHash: true } });
  if (!row) throw new AppError("not_found", "This account no longer exists.");
  if (!(await verifyPassword(row.passwordHash, input.currentPassword))) {
    throw new AppError("forbidden", "Your current password is not correct.", { field: "currentPassword" });
  }
  if (input.newPassword === input.currentPassword) {
    throw new AppError("invalid_input", "The new password is the same as the current one; choose a different one.", { field: "newPassword" });
  }
  const passwordHash = await hashPassword(input.newPassword);
  // Checked against the hash just read, so a second change racing this one cannot be silently overwritten.
  const updated = await getDb().user.updateMany({ where: { id: user.id, passwordHash: row.passwordHash }, data: { passwordHash } });
  if (updated.count === 0) throw new AppError("conflict", "Your password was changed elsewhere just now; sign in again and retry.");
  const revokedSessions = await revokeOtherSessions(user.id, user.sessionId);
  return { ok: true, revokedSessions };
}

export async function findUserByHandle(handle: string): Promise<User | null> {
  return getDb().user.findUnique({ where: { handle: normalizeHandle(handle) } });
}

export async function setUserRole(handle: string, role: Role): Promise<User> {
  const user = await findUserByHandle(handle);
  if (!user) throw new AppError("not_found", `No user @${normalizeHandle(handle)}.`);
  return getDb().user.update({ where: { id: user.id }, data: { role } });
}
