// The admin CLI, run as a self-hoster would run it, against the test instance's database.
import { describe, expect, it } from "vitest";
import { api, signUp, uniqueHandle } from "../helpers";
import { flick } from "./cli-helper";

describe("npm run flick", () => {
  it("creates a user and a token that authenticates GET /api/me, and changes roles", async () => {
    await signUp(); // so the CLI's account is not the instance's first (which would be admin), whatever the test order
    const handle = uniqueHandle("cli");
    const created = await flick("user:create", "--handle", handle, "--email", `${handle}@example.com`, "--password", "password123");
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`Created @${handle}`);

    const tokenRun = await flick("token:create", "--handle", handle);
    expect(tokenRun.code).toBe(0);
    const token = tokenRun.stdout.trim().split("\n").at(-1)!;
    expect(token).toMatch(/^flk_/);
    const me = await api("/api/me", { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ handle, role: "user" });

    const promoted = await flick("user:role", "--handle", handle, "--role", "moderator");
    expect(promoted.code).toBe(0);
    expect((await api("/api/me", { token })).body.role).toBe("moderator");
  });

  it("creates an admin directly with --role admin", async () => {
    const handle = uniqueHandle("adm");
    const created = await flick("user:create", "--handle", handle, "--email", `${handle}@example.com`, "--password", "password123", "--role", "admin");
    expect(created.code).toBe(0);
    expect(created.stdout).toContain("(admin)");
  });

  it.each([
    [["user:create", "--handle", "ab", "--email", "x@example.com", "--password", "password123"], /at least 3 characters/],
    [["user:create", "--email", "x@example.com", "--password", "password123"], /Missing --handle/],
    [["user:role", "--handle", "nobody_at_all", "--role", "moderator"], /No user @nobody_at_all/],
    [["user:role", "--handle", "nobody_at_all", "--role", "king"], /--role must be user, moderator or admin/],
    [["token:create", "--handle", "nobody_at_all"], /No user @nobody_at_all/],
    [["user:create", "--bogus"], /Unknown option '--bogus'/],
    [["launch-rockets"], /Unknown command "launch-rockets"/],
  ])("refuses %j with a clear message and exit code 2", async (args, message) => {
    const run = await flick(...(args as string[]));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it("refuses a duplicate handle", async () => {
    const handle = uniqueHandle("dup");
    expect((await flick("user:create", "--handle", handle, "--email", `${handle}@example.com`, "--password", "password123")).code).toBe(0);
    const again = await flick("user:create", "--handle", handle, "--email", `b-${handle}@example.com`, "--password", "password123");
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/handle is taken/);
  });
});
