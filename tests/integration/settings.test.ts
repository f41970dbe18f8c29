// Account settings against the running test instance: profile edits, avatars (real images through sharp, stored and
// served), password changes that end other sessions, the session list, "Reset For You", and the /settings page.
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { api, baseUrl, freshIp, signIn, signUp } from "../helpers";
import { createTokenFor } from "./tokens-helper";

type Account = Awaited<ReturnType<typeof signUp>> & { token: string };

async function account(): Promise<Account> {
  const created = await signUp();
  return { ...created, token: await createTokenFor(created.handle) };
}

async function cookieFor(user: { email: string; password: string }, ip = freshIp()): Promise<string> {
  const { cookie, error } = await signIn(user.email, user.password, ip);
  if (!cookie) throw new Error(`sign-in failed: ${error}`);
  return cookie;
}

/** PUT /api/me/avatar as a browser form would send it. */
async function uploadAvatar(token: string, bytes: Buffer, filename: string, type: string) {
  const form = new FormData();
  form.set("avatar", new Blob([new Uint8Array(bytes)], { type }), filename);
  const response = await fetch(`${baseUrl()}/api/me/avatar`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "x-forwarded-for": freshIp() },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function fetchBytes(url: string) {
  const response = await fetch(new URL(url, baseUrl()), { headers: { "x-forwarded-for": freshIp() } });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** A photo-like JPEG: 1200×800, a gradient with a block of colour, and EXIF with a camera name. */
async function photo(seed: number): Promise<Buffer> {
  const width = 1200;
  const height = 800;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const offset = (y * width + x) * 3;
      pixels[offset] = (x + seed * 40) % 256;
      pixels[offset + 1] = (y * 2) % 256;
      pixels[offset + 2] = seed * 60;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).withExif({ IFD0: { Make: "TestCam" } }).toBuffer();
}

describe("profile", () => {
  it("updates the display name and bio, shown on the public profile", async () => {
    const user = await account();
    const response = await api("/api/me", { method: "PATCH", token: user.token, body: { name: "  Ana Dancer 💃 ", bio: "I dance.\nEvery day." } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ handle: user.handle, name: "Ana Dancer 💃", bio: "I dance.\nEvery day.", avatar: null });
    const profile = await api(`/api/users/${user.handle}`);
    expect(profile.body).toMatchObject({ name: "Ana Dancer 💃", bio: "I dance.\nEvery day." });

    // Only the fields sent change; an empty name falls back to the handle.
    expect((await api("/api/me", { method: "PATCH", token: user.token, body: { name: "" } })).body).toMatchObject({ name: user.handle, bio: "I dance.\nEvery day." });
  });

  it.each([
    [{ name: "x".repeat(51) }, /Name must be at most 50 characters/],
    [{ bio: "y".repeat(161) }, /Bio must be at most 160 characters/],
    [{ name: "line\nbreak" }, /Name may not contain line breaks/],
    [{}, /Send a name, a bio, or both/],
    [{ handle: "someone_else" }, /Unrecognized key/],
    [{ name: 42 }, /name/],
  ])("refuses %j with 422 and a reason", async (body, reason) => {
    const user = await account();
    const response = await api("/api/me", { method: "PATCH", token: user.token, body });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe("invalid_input");
    expect(response.body.error.message).toMatch(reason);
    expect((await api("/api/me", { token: user.token })).body.name).toBe(user.handle);
  });

  it("renders what people write as text, on the profile and in settings", async () => {
    const user = await account();
    const payload = `<img src=x onerror="alert(1)">`;
    await api("/api/me", { method: "PATCH", token: user.token, body: { name: "<b>bold</b>", bio: payload } });
    const profile = await fetch(`${baseUrl()}/@${user.handle}`, { headers: { "x-forwarded-for": freshIp() } });
    const html = await profile.text();
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(html).not.toContain(payload);
    expect(html).not.toContain("<b>bold</b>");
    const settings = await fetch(`${baseUrl()}/settings`, { headers: { cookie: await cookieFor(user), "x-forwarded-for": freshIp() } });
    expect(await settings.text()).not.toContain(payload);
  });
});

describe("avatar", () => {
  let user: Account;
  beforeAll(async () => {
    user = await account();
  });

  it("stores a real photo as a 256×256 WebP without EXIF, served at the avatar URL and cached for good", async () => {
    const uploaded = await uploadAvatar(user.token, await photo(1), "me.jpg", "image/jpeg");
    expect(uploaded.status).toBe(200);
    expect(uploaded.body.avatar).toMatch(new RegExp(`^/media/avatars/${user.id}/avatar-[0-9a-f]{16}\\.webp$`));
    expect((await api("/api/me", { token: user.token })).body.avatar).toBe(uploaded.body.avatar);
    expect((await api(`/api/users/${user.handle}`)).body.avatar).toBe(uploaded.body.avatar);

    const served = await fetchBytes(uploaded.body.avatar);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/webp");
    expect(served.headers.get("cache-control")).toContain("immutable");
    const meta = await sharp(served.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 256, 256]);
    expect(meta.exif).toBeUndefined();
    expect(served.bytes.includes(Buffer.from("TestCam"))).toBe(false);
  });

  it("refuses a text file with 422, keeping the current picture", async () => {
    const before = (await api("/api/me", { token: user.token })).body.avatar as string;
    const refused = await uploadAvatar(user.token, Buffer.from("this is not a picture\n"), "notes.png", "image/png");
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toMatch(/not an image Flick can read/);
    expect((await api("/api/me", { token: user.token })).body.avatar).toBe(before);
    expect((await fetchBytes(before)).status).toBe(200);
  });

  it("refuses a body that is not a form, a form without the field, and a file over 5 MB", async () => {
    const raw = await fetch(`${baseUrl()}/api/me/avatar`, {
      method: "PUT",
      headers: { authorization: `Bearer ${user.token}`, "content-type": "image/jpeg", "x-forwarded-for": freshIp() },
      body: new Uint8Array(await photo(2)),
    });
    expect(raw.status).toBe(415);
    expect(((await raw.json()) as any).error.message).toMatch(/multipart\/form-data.*"avatar"/);

    const form = new FormData();
    form.set("picture", new Blob([new Uint8Array(await photo(2))], { type: "image/jpeg" }), "me.jpg");
    const wrongField = await fetch(`${baseUrl()}/api/me/avatar`, { method: "PUT", headers: { authorization: `Bearer ${user.token}`, "x-forwarded-for": freshIp() }, body: form });
    expect(wrongField.status).toBe(422);
    expect(((await wrongField.json()) as any).error.message).toMatch(/form field "avatar"/);

    const big = await uploadAvatar(user.token, Buffer.alloc(5 * 1024 * 1024 + 10, 7), "big.jpg", "image/jpeg");
    expect(big.status).toBe(413);
    expect(big.body.error.message).toMatch(/at most 5 MB/);
  });

  it("deletes the old file when the picture is replaced, and the file when it is removed", async () => {
    const first = (await api("/api/me", { token: user.token })).body.avatar as string;
    const second = await uploadAvatar(user.token, await photo(3), "other.jpg", "image/jpeg");
    expect(second.status).toBe(200);
    expect(second.body.avatar).not.toBe(first);
    expect((await fetchBytes(second.body.avatar)).status).toBe(200);
    expect((await fetchBytes(first)).status).toBe(404);

    const removed = await api("/api/me/avatar", { method: "DELETE", token: user.token });
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ avatar: null });
    expect((await api("/api/me", { token: user.token })).body.avatar).toBeNull();
    expect((await fetchBytes(second.body.avatar)).status).toBe(404);
  });
});

describe("password", () => {
  it("refuses a wrong current password and a too-short new one, each with a reason", async () => {
    const user = await account();
    const wrong = await api("/api/me/password", { method: "POST", token: user.token, body: { currentPassword: "not my password", newPassword: "a brand new password" } });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.message).toMatch(/current password is not correct/);
    const short = await api("/api/me/password", { method: "POST", token: user.token, body: { currentPassword: user.password, newPassword: "short" } });
    expect(short.status).toBe(422);
    expect(short.body.error.message).toMatch(/at least 8 characters/);
    const same = await api("/api/me/password", { method: "POST", token: user.token, body: { currentPassword: user.password, newPassword: user.password } });
    expect(same.status).toBe(422);
    expect(same.body.error.message).toMatch(/same as the current one/);
    // Nothing changed: the old password still signs in.
    expect((await signIn(user.email, user.password)).cookie).toBeTruthy();
  });

  it("changes the password and signs out every other session, keeping this one", async () => {
    const user = await account();
    const here = await cookieFor(user);
    const elsewhere = await cookieFor(user);
    const changed = await api("/api/me/password", {
      method: "POST",
      headers: { cookie: here },
      body: { currentPassword: user.password, newPassword: "a much better passphrase" },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ ok: true, revokedSessions: 1 });
    expect((await api("/api/me", { headers: { cookie: here } })).status).toBe(200);
    expect((await api("/api/me", { headers: { cookie: elsewhere } })).status).toBe(401);
    expect((await signIn(user.email, user.password)).cookie).toBeNull();
    expect((await signIn(user.email, "a much better passphrase")).cookie).toBeTruthy();
  });
});

describe("sessions", () => {
  it("lists this account's sessions with address and times, marks this device, and revokes one", async () => {
    const user = await account();
    const [ipA, ipB] = [freshIp(), freshIp()];
    const mine = await cookieFor(user, ipA);
    const other = await cookieFor(user, ipB);
    const listed = await api("/api/me/sessions", { headers: { cookie: mine } });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(2);
    const current = listed.body.items.find((item: { current: boolean }) => item.current);
    const second = listed.body.items.find((item: { current: boolean }) => !item.current);
    expect(Object.keys(current).sort()).toEqual(["createdAt", "current", "id", "ip", "lastSeenAt", "userAgent"]);
    expect(current.ip).toBe(ipA);
    expect(second.ip).toBe(ipB);
    expect(Date.parse(current.lastSeenAt)).toBeGreaterThan(0);

    // Someone else cannot end my session, and an unknown id is a 404.
    const stranger = await account();
    expect((await api(`/api/me/sessions/${second.id}`, { method: "DELETE", token: stranger.token })).status).toBe(404);
    expect((await api("/api/me/sessions/no-such-session", { method: "DELETE", headers: { cookie: mine } })).status).toBe(404);
    expect((await api("/api/me", { headers: { cookie: other } })).status).toBe(200);
    // Each request's session check runs in SQL against the stored UTC times: a session last seen two minutes ago is
    // seen now, and one past its expiry signs no one in.
    await getDb().session.update({ where: { id: second.id }, data: { lastSeenAt: new Date(Date.now() - 120_000) } });
    expect((await api("/api/me", { headers: { cookie: other } })).status).toBe(200);
    const seenAt = (await getDb().session.findUniqueOrThrow({ where: { id: second.id } })).lastSeenAt.getTime();
    expect(Math.abs(seenAt - Date.now())).toBeLessThan(30_000);
    const expiresAt = (await getDb().session.findUniqueOrThrow({ where: { id: current.id } })).expiresAt;
    await getDb().session.update({ where: { id: current.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect((await api("/api/me", { headers: { cookie: mine } })).status).toBe(401);
    await getDb().session.update({ where: { id: current.id }, data: { expiresAt } });

    const revoked = await api(`/api/me/sessions/${second.id}`, { method: "DELETE", headers: { cookie: mine } });
    expect(revoked.status).toBe(200);
    expect((await api("/api/me", { headers: { cookie: other } })).status).toBe(401);
    expect((await api("/api/me/sessions", { headers: { cookie: mine } })).body.items.map((item: { id: string }) => item.id)).toEqual([current.id]);
  });

  it("signs out everywhere else", async () => {
    const user = await account();
    const mine = await cookieFor(user);
    const others = [await cookieFor(user), await cookieFor(user)];
    const response = await api("/api/me/sessions/revoke-others", { method: "POST", headers: { cookie: mine } });
    expect(response.body).toEqual({ revoked: 2 });
    for (const cookie of others) expect((await api("/api/me", { headers: { cookie } })).status).toBe(401);
    expect((await api("/api/me", { headers: { cookie: mine } })).status).toBe(200);
    expect((await api("/api/me/sessions", { headers: { cookie: mine } })).body.items).toHaveLength(1);
  });
});

describe("Refresh your For You", () => {
  it("makes videos already served appear in For You again", async () => {
    const creator = await account();
    const viewer = await account();
    const publishedAt = new Date();
    const video = await getDb().video.create({
      data: {
        authorId: creator.id,
        caption: "a clip to see twice",
        status: "READY",
        visibility: "PUBLIC",
        moderation: "APPROVED",
        mediaVersion: "a1-s0",
        playableAt: publishedAt,
        publishedAt,
        width: 360,
        height: 640,
        durationMs: 5000,
      },
      select: { id: true },
    });
    const served = async () => {
      const ids: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 100; page += 1) {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
        const response = await api(`/api/feed?tab=foryou&limit=30${query}`, { token: viewer.token });
        expect(response.status).toBe(200);
        ids.push(...response.body.items.map((item: { id: string }) => item.id));
        cursor = response.body.cursor;
        if (!cursor || response.body.items.length === 0) break;
      }
      return ids;
    };
    expect(await served()).toContain(video.id);
    expect(await served()).not.toContain(video.id);

    const reset = await api("/api/me/feed/reset", { method: "POST", token: viewer.token });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ ok: true });
    expect(await served()).toContain(video.id);
    await getDb().video.delete({ where: { id: video.id } });
  });
});

describe("the /settings page", () => {
  it("sends signed-out visitors to sign in, and back here afterwards", async () => {
    const response = await fetch(`${baseUrl()}/settings`, { redirect: "manual", headers: { "x-forwarded-for": freshIp() } });
    expect([303, 307, 308]).toContain(response.status);
    expect(new URL(response.headers.get("location")!, baseUrl()).pathname + new URL(response.headers.get("location")!, baseUrl()).search).toBe(
      "/sign-in?next=/settings",
    );
    // Already signed in, /sign-in?next= goes straight there; an outside address is ignored.
    const user = await account();
    const cookie = await cookieFor(user);
    const back = await fetch(`${baseUrl()}/sign-in?next=/settings`, { redirect: "manual", headers: { cookie, "x-forwarded-for": freshIp() } });
    expect(new URL(back.headers.get("location")!, baseUrl()).pathname).toBe("/settings");
    const outside = await fetch(`${baseUrl()}/sign-in?next=//evil.example/`, { redirect: "manual", headers: { cookie, "x-forwarded-for": freshIp() } });
    expect(new URL(outside.headers.get("location")!, baseUrl()).pathname).toBe(`/@${user.handle}`);
  });

  it("shows every section to the signed-in owner, with this device marked", async () => {
    const user = await account();
    const cookie = await cookieFor(user);
    await api("/api/tokens", { method: "POST", headers: { cookie }, body: { name: "deploy script" } });
    const response = await fetch(`${baseUrl()}/settings`, { headers: { cookie, "x-forwarded-for": freshIp() } });
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const heading of ["Profile", "Picture", "Password", "API tokens", "Sessions", "For You"]) expect(html).toContain(`>${heading}</h2>`);
    expect(html).toContain("deploy script");
    expect(html).toContain("This device");
    expect(html).toContain("Refresh your For You");
  });
});
