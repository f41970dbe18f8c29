import { describe, expect, it } from "vitest";
import { canAdminister, canModerate, hasRole, type Role } from "./roles";

describe("role checks", () => {
  const matrix: Array<[Role | null, boolean, boolean]> = [
    [null, false, false],
    ["USER", false, false],
    ["MODERATOR", true, false],
    ["ADMIN", true, true],
  ];
  it.each(matrix)("%s: moderate=%s administer=%s", (role, moderate, administer) => {
    const user = role ? { role } : null;
    expect(canModerate(user)).toBe(moderate);
    expect(canAdminister(user)).toBe(administer);
    expect(hasRole(user, "USER")).toBe(role !== null);
  });
});
