// Roles and the named checks that use them. Role values mirror the Prisma enum.
import type { Role } from "../generated/prisma/enums";

export type { Role };
export const ROLES = ["USER", "MODERATOR", "ADMIN"] as const satisfies readonly Role[];

const rank: Record<Role, number> = { USER: 0, MODERATOR: 1, ADMIN: 2 };

export function hasRole(user: { role: Role } | null | undefined, minimum: Role): boolean {
  return !!user && rank[user.role] >= rank[minimum];
}

export function canModerate(user: { role: Role } | null | undefined): boolean {
  return hasRole(user, "MODERATOR");
}

export function canAdminister(user: { role: Role } | null | undefined): boolean {
  return hasRole(user, "ADMIN");
}
