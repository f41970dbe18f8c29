// Sign-up, roles and API tokens against the running instance and its real PostgreSQL.
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { api, freshIp, signIn, signOut, signUp, uniqueHandle } from "../helpers";
import { createTokenFor } from "./tokens-helper";

describe("sign-up", () => {
  it("creates an account, lower-cases the handle and refuses the same handle in other case", async () => {
    const handle = uniqueHandle("Mixed");
    const created = await signUp({ handle });
    expect(created.handle).toBe(handle.toLowerCase());
    const again = await api("/api/users", {
      method: "POST",
      body: { handle: handle.toUpperCase(), email: `other-${created.email}`, password: "another password" },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/handle is taken/i);
    const sameEmail = await api("/api/users", {
      method: "POST",
      body: { handle: uniqueHandle(), email: created.email.toUpperCase(), password: "another password" },
    });
    expect(sameEmail.status).toBe(409);
    expect(sameEmail.body.error.message).toMatch(/e-mail/i);
  });

  it("explains each invalid field", async () => {
    const response = await api("/api/users", { method: "POST", body: { handle: "no spaces", email: "nope", password: "123" } });
    expect(response.status).toBe(422);
    const paths = response.body.error.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(["handle", "email", "password"]));
  });

  it("does not store the password", async () => {
    const created = await signUp();
    const row = await getDb().user.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.passwordHash).not.toContain(created.password);
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it("is rate limited per client address with Retry-After", async () => {
    const ip = freshIp();
    const limit = 5; // SIGNUP_RATE_LIMIT default
    const statuses: number[] = [];
    for (let i = 0; i <= limit; i += 1) {
      const response = await api("/api/users", { method: "POST", ip, body: { handle: "x", email: "bad", password: "1" } });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(response.body.error.code).toBe("rate_limited");
      }
    }
    expect(statuses.slice(0, limit).every((status) => status === 422)).toBe(true);
    expect(statuses[limit]).toBe(429);
  });
});

describe("sign-in", () => {
  it("signs in by e-mail or handle, and the session cookie authenticates the API", async () => {
    const user = await signUp();
    for (const login of [user.email, user.handle.toUpperCase()]) {
      const { cookie, error } = await signIn(login, user.password);
      expect(error).toBeNull();
      expect(cookie).toBeTruthy();
      const me = await api("/api/me", { headers: { cookie: cookie! } });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ handle: user.handle, via: "session" });
    }
  });

  it("refuses a wrong password without saying which part was wrong", async () => {
    const user = await signUp();
    expect(await signIn(user.email, "wrong password")).toEqual({ cookie: null, error: "CredentialsSignin" });
    expect(await signIn("nobody@example.com", "wrong password")).toEqual({ cookie: null, error: "CredentialsSignin" });
  });

  it("is rate limited per client address", async () => {
    const user = await signUp();
    const ip = freshIp();
    const errors: Array<string | null> = [];
    for (let i = 0; i < 11; i += 1) errors.push((await signIn(user.email, "wrong password", ip)).error);
    expect(errors.slice(0, 10).every((error) => error === "CredentialsSignin")).toBe(true);
    expect(errors[10]).toMatch(/too many requests/i);
  });

  it("ends the session on sign-out: the old cookie no longer works, even if someone kept a copy", async () => {
    const user = await signUp();
    const { cookie } = await signIn(user.email, user.password);
    expect((await api("/api/me", { headers: { cookie: cookie! } })).status).toBe(200);
    expect(await signOut(cookie!)).toBeLessThan(400);
    const after = await api("/api/me", { headers: { cookie: cookie! } });
    expect(after.status).toBe(401);
  });

  it("ends the session on ban, and a banned account cannot sign in or use tokens", async () => {
    const user = await signUp();
    const token = await createTokenFor(user.handle);
    const { cookie } = await signIn(user.email, user.password);
    expect((await api("/api/me", { headers: { cookie: cookie! } })).status).toBe(200);
    await getDb().user.update({ where: { id: user.id }, data: { status: "BANNED" } });
    expect((await api("/api/me", { headers: { cookie: cookie! } })).status).toBe(401);
    expect((await api("/api/me", { token })).status).toBe(401);
    expect((await signIn(user.email, user.password)).error).toMatch(/suspended/i);
  });
});

describe("API tokens", () => {
  it("are shown once, stored hashed, listed without the secret, and stop working when revoked", async () => {
    const user = await signUp();
    const { cookie } = await signIn(user.email, user.password);
    const created = await api("/api/tokens", { method: "POST", body: { name: "my script" }, headers: { cookie: cookie! } });
    expect(created.status).toBe(201);
    const secret: string = created.body.token;
    expect(secret).toMatch(/^flk_[0-9A-Za-z]{40}$/);
    const stored = await getDb().apiToken.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(JSON.stringify(stored)).not.toContain(secret);

    const me = await api("/api/me", { token: secret });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ handle: user.handle, via: "token" });

    const list = await api("/api/tokens", { token: secret });
    expect(list.body.tokens).toHaveLength(1);
    // The token's use is recorded (in UTC, as Prisma reads it back): the list says it was used just now.
    expect(Math.abs(Date.parse(list.body.tokens[0].lastUsedAt) - Date.now())).toBeLessThan(30_000);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(list.body.tokens[0]).toMatchObject({ name: "my script", prefix: secret.slice(0, 10) });

    const other = await signUp();
    const otherToken = await createTokenFor(other.handle);
    expect((await api(`/api/tokens/${created.body.id}`, { method: "DELETE", token: otherToken })).status).toBe(404);

    expect((await api(`/api/tokens/${created.body.id}`, { method: "DELETE", token: secret })).status).toBe(200);
    const after = await api("/api/me", { token: secret });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("unauthorized");
  });
});

describe("profiles", () => {
  it("serve a public profile by handle, case-insensitively, and 404 for an unknown one", async () => {
    const user = await signUp();
    const profile = await api(`/api/users/${user.handle.toUpperCase()}`);
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ handle: user.handle, stats: { followers: 0, following: 0, likes: 0, videos: 0 } });
    expect(JSON.stringify(profile.body)).not.toContain(user.email);
    expect((await api("/api/users/no_such_person")).status).toBe(404);
  });
});
