// Sign-up modes against the running instance. The mode is switched through the admin API (the instance Setting), so
// the server never restarts; the Setting is removed afterwards and the instance is open again for other test files.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { api, baseUrl, freshIp, signIn, signUp, uniqueHandle } from "../helpers";
import { createTokenFor } from "./tokens-helper";

async function setMode(token: string, mode: string) {
  return api("/api/admin/signup-mode", { method: "PUT", token, body: { mode } });
}

function newAccount() {
  const handle = uniqueHandle("new");
  return { handle, email: `${handle}@example.com`, password: "correct horse battery" };
}

async function signUpPage(): Promise<string> {
  return (await fetch(`${baseUrl()}/sign-up`, { headers: { "x-forwarded-for": freshIp() } })).text();
}

describe("sign-up modes", () => {
  let adminToken: string;
  let userToken: string;

  beforeAll(async () => {
    const admin = await signUp();
    await getDb().user.update({ where: { id: admin.id }, data: { role: "ADMIN" } });
    adminToken = await createTokenFor(admin.handle);
    const user = await signUp();
    await getDb().user.update({ where: { id: user.id }, data: { role: "USER" } });
    userToken = await createTokenFor(user.handle);
  });

  afterAll(async () => {
    await getDb().setting.deleteMany({ where: { key: "signup.mode" } });
  });

  it("only admins change the mode, to one of open, approval or closed", async () => {
    expect((await setMode(userToken, "closed")).status).toBe(403);
    expect((await setMode(adminToken, "invite-only")).status).toBe(422);
    expect((await api("/api/admin/signups", { token: userToken })).status).toBe(403);
    expect((await api("/api/admin/signups", { token: adminToken })).body.mode).toBe("open");
  });

  it("closed: the API refuses with a sentence and the page says so", async () => {
    expect((await setMode(adminToken, "closed")).body).toEqual({ mode: "closed" });
    const refused = await api("/api/users", { method: "POST", body: newAccount() });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "forbidden", reason: "signup_closed" });
    expect(refused.body.error.message).toMatch(/closed/);
    const html = await signUpPage();
    expect(html).toContain('data-testid="signup-closed"');
    expect(html).not.toContain('name="password"');
    // The header offers no "Sign up" link on a closed instance (it does while sign-up is open).
    expect(html).not.toContain('href="/sign-up"');
    await setMode(adminToken, "open");
    expect(await signUpPage()).toContain('href="/sign-up"');
    await setMode(adminToken, "closed");
  });

  it("approval: the account waits, cannot sign in until an admin approves it, and a rejected one is deleted", async () => {
    await setMode(adminToken, "approval");
    expect(await signUpPage()).toContain('data-testid="signup-approval"');
    const input = newAccount();
    const created = await api("/api/users", { method: "POST", body: input });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ handle: input.handle, status: "pending" });

    const early = await signIn(input.email, input.password);
    expect(early.cookie).toBeNull();
    expect(early.error).toMatch(/waiting for an admin's approval/);
    // A pending account is nobody yet: no profile, not in search.
    expect((await api(`/api/users/${input.handle}`)).status).toBe(404);

    const pending = await api("/api/admin/signups", { token: adminToken });
    expect(pending.body.items.map((item: { handle: string }) => item.handle)).toContain(input.handle);
    expect((await api(`/api/admin/signups/${input.handle}/approve`, { method: "POST", token: userToken })).status).toBe(403);
    const approved = await api(`/api/admin/signups/${input.handle}/approve`, { method: "POST", token: adminToken });
    expect(approved.body).toEqual({ handle: input.handle, status: "active" });
    expect((await api(`/api/admin/signups/${input.handle}/approve`, { method: "POST", token: adminToken })).status).toBe(404);
    expect((await signIn(input.email, input.password)).cookie).toBeTruthy();

    const unwanted = newAccount();
    await api("/api/users", { method: "POST", body: unwanted });
    expect((await api(`/api/admin/signups/${unwanted.handle}`, { method: "DELETE", token: adminToken })).body).toEqual({ ok: true });
    expect(await getDb().user.findUnique({ where: { handle: unwanted.handle } })).toBeNull();
  });

  it("open again: accounts are active at once", async () => {
    await setMode(adminToken, "open");
    const input = newAccount();
    expect((await api("/api/users", { method: "POST", body: input })).body.status).toBe("active");
    expect((await signIn(input.email, input.password)).cookie).toBeTruthy();
  });
});
