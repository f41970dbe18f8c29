// The first account on an instance is its admin, even when several people sign up at the same moment; the account
// named by ADMIN_HANDLE is admin too. Runs against an emptied user table.
process.env.ADMIN_HANDLE = "Named_Boss";

import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { createUser } from "@/lib/users";

describe("first account", () => {
  beforeAll(async () => {
    await getDb().$executeRawUnsafe('TRUNCATE "User" CASCADE');
  });

  it("exactly one of several simultaneous first sign-ups becomes admin", async () => {
    const users = await Promise.all(
      Array.from({ length: 5 }, (_, i) => createUser({ handle: `first_${i}`, email: `first${i}@example.com`, password: "password123" })),
    );
    expect(users.filter((user) => user.role === "ADMIN")).toHaveLength(1);
    expect(users.filter((user) => user.role === "USER")).toHaveLength(4);
  });

  it("later accounts are users, except the one ADMIN_HANDLE names", async () => {
    const later = await createUser({ handle: "later_one", email: "later@example.com", password: "password123" });
    const named = await createUser({ handle: "named_boss", email: "boss@example.com", password: "password123" });
    expect(later.role).toBe("USER");
    expect(named.role).toBe("ADMIN");
  });
});
