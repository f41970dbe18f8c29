// Every named abuse limit (LIMITS in lib/ratelimit.ts) at its default: the request after the last allowed one gets
// 429 rate_limited with Retry-After, per account, and per client IP when several accounts share one address. One row
// per limit: a limit added to LIMITS without a row here fails the last test.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { LIMITS } from "@/lib/ratelimit";
import { api, baseUrl, freshIp, signUp } from "../helpers";
import { createTokenFor } from "./tokens-helper";
import { createVideoRow } from "./video-rows";

type Person = { id: string; handle: string; email: string; password: string; token: string };
type Answer = { status: number; retryAfter: string | null; code?: string };

async function person(): Promise<Person> {
  const account = await signUp();
  await getDb().user.update({ where: { id: account.id }, data: { role: "USER" } });
  return { ...account, token: await createTokenFor(account.handle) };
}

async function people(count: number): Promise<Person[]> {
  return Promise.all(Array.from({ length: count }, () => person()));
}

async function call(path: string, options: { method: string; token?: string; ip: string; body?: unknown; headers?: Record<string, string> }): Promise<Answer> {
  const response = await api(path, options);
  return { status: response.status, retryAfter: response.headers.get("retry-after"), code: response.body?.error?.code };
}

async function startUpload(token: string, ip: string): Promise<Answer> {
  const response = await fetch(`${baseUrl()}/api/uploads`, {
    method: "POST",
    headers: { "tus-resumable": "1.0.0", authorization: `Bearer ${token}`, "upload-length": "10", "x-forwarded-for": ip },
  });
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
  return { status: response.status, retryAfter: response.headers.get("retry-after"), code: body.error?.code };
}

/** A password sign-in through next-auth's credentials callback, as the sign-in page sends it. */
async function attemptSignIn(login: string, password: string, ip: string): Promise<Answer & { error: string | null }> {
  const csrf = await fetch(`${baseUrl()}/api/auth/csrf`, { headers: { "x-forwarded-for": ip } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers.getSetCookie().map((value) => value.split(";")[0]).join("; ");
  const response = await fetch(`${baseUrl()}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie, "x-forwarded-for": ip },
    body: new URLSearchParams({ login, password, csrfToken, json: "true" }),
  });
  const body = (await response.json().catch(() => ({}))) as { url?: string; error?: { code?: string } };
  const error = body.url ? new URL(body.url).searchParams.get("error") : null;
  return { status: response.status, retryAfter: response.headers.get("retry-after"), code: body.error?.code, error };
}

/** Makes `allowed` attempts that must all pass the limit, then one that must be refused with 429 and Retry-After. */
async function expectLimit(allowed: number, attempt: (index: number) => Promise<Answer>): Promise<void> {
  for (let index = 0; index < allowed; index += 1) {
    const answer = await attempt(index);
    expect(answer.status, `attempt ${index + 1} of ${allowed}`).not.toBe(429);
  }
  const refused = await attempt(allowed);
  expect(refused.status).toBe(429);
  expect(refused.code).toBe("rate_limited");
  expect(Number(refused.retryAfter)).toBeGreaterThan(0);
}

const tested = new Set<string>();

describe("abuse limits answer 429 with Retry-After", () => {
  let creator: Person;
  let videoId: string;

  beforeAll(async () => {
    creator = await person();
    videoId = await createVideoRow(creator.id, { caption: "rate limit target" });
  });

  // The row names media files that do not exist, and its hundreds of likes put it first in trending: a later browser
  // test's feed would open on a video that cannot play.
  afterAll(async () => {
    await getDb().video.deleteMany({ where: { id: videoId } });
  });

  it("sign-up: 5 an hour per address", async () => {
    tested.add("signup");
    const ip = freshIp();
    await expectLimit(5, () => call("/api/users", { method: "POST", ip, body: { handle: "x", email: "bad", password: "1" } }));
  });

  it("sign-in: 10 attempts a minute per address, refused before the password is checked", async () => {
    tested.add("signin");
    const user = await person();
    const ip = freshIp();
    await expectLimit(10, () => attemptSignIn(user.email, "wrong password", ip));
    // The right password from that address is refused too, and the sign-in page gets a sentence to show.
    const refused = await attemptSignIn(user.email, user.password, ip);
    expect(refused.status).toBe(429);
    expect(refused.error).toMatch(/too many requests/i);
  });

  it("sign-in: 20 failures an hour per account from any address; a success clears the count", async () => {
    tested.add("signinFailures");
    const user = await person();
    for (let index = 0; index < 19; index += 1) expect((await attemptSignIn(user.handle, "wrong password", freshIp())).status).toBe(401);
    expect((await attemptSignIn(user.email, user.password, freshIp())).status).toBe(200);
    // Counting starts again after the success; by e-mail or handle, it is the same account.
    await expectLimit(20, (index) => attemptSignIn(index % 2 ? user.email : user.handle, "wrong password", freshIp()));
    expect((await attemptSignIn(user.email, user.password, freshIp())).status).toBe(429);
  });

  it("uploads: 30 an hour per account, 60 an hour per address", async () => {
    tested.add("upload");
    const [first, second, third] = await people(3);
    await expectLimit(30, () => startUpload(first!.token, freshIp()));
    const ip = freshIp();
    const users = [second!, third!, await person()];
    await expectLimit(60, (index) => startUpload(users[Math.floor(index / 30)]!.token, ip));
  });

  it("comments: 10 a minute per account, 60 a minute per address", async () => {
    tested.add("comment");
    const [writer] = await people(1);
    const post = (token: string, ip: string) => call(`/api/videos/${videoId}/comments`, { method: "POST", token, ip, body: { body: "hello" } });
    await expectLimit(10, () => post(writer!.token, freshIp()));
    const ip = freshIp();
    const writers = await people(7);
    await expectLimit(60, (index) => post(writers[Math.floor(index / 10)]!.token, ip));
  });

  it("likes: 60 a minute per account (liking and unliking alike), 300 a minute per address", async () => {
    tested.add("like");
    const [fan] = await people(1);
    await expectLimit(60, (index) => call(`/api/videos/${videoId}/like`, { method: index % 2 ? "DELETE" : "PUT", token: fan!.token, ip: freshIp() }));
    const ip = freshIp();
    const fans = await people(6);
    await expectLimit(300, (index) => call(`/api/videos/${videoId}/like`, { method: "PUT", token: fans[Math.floor(index / 60)]!.token, ip }));
  });

  it("follows: 30 a minute per account (following and unfollowing alike), 150 a minute per address", async () => {
    tested.add("follow");
    const [fan] = await people(1);
    const path = `/api/users/${creator.handle}/follow`;
    await expectLimit(30, (index) => call(path, { method: index % 2 ? "DELETE" : "PUT", token: fan!.token, ip: freshIp() }));
    const ip = freshIp();
    const fans = await people(6);
    await expectLimit(150, (index) => call(path, { method: "PUT", token: fans[Math.floor(index / 30)]!.token, ip }));
  });

  it("reports: 30 an hour per account, 100 an hour per address", async () => {
    tested.add("report");
    const [reporter] = await people(1);
    const report = (token: string, ip: string) => call("/api/reports", { method: "POST", token, ip, body: { type: "video", id: videoId, reason: "spam" } });
    await expectLimit(30, () => report(reporter!.token, freshIp()));
    const ip = freshIp();
    const reporters = await people(4);
    await expectLimit(100, (index) => report(reporters[Math.floor(index / 30)]!.token, ip));
  });

  it("viewer signals: 120 batches a minute per viewer (a signed-out browser is its device), 3,000 a minute per address", async () => {
    tested.add("events");
    const send = (cookie: string | null, ip: string, token?: string) =>
      call("/api/events", { method: "POST", token, ip, body: { events: [{}] }, ...(cookie ? { headers: { cookie } } : {}) });
    const device = () => `flick_device=${crypto.randomUUID()}`;
    // One signed-out browser, whatever its address; another browser on the same address is not held up by it.
    const browser = device();
    await expectLimit(120, () => send(browser, freshIp()));
    const ip = freshIp();
    expect((await send(device(), ip)).status).toBe(202);
    // An account counts as itself on any device.
    const [viewer] = await people(1);
    await expectLimit(120, () => send(device(), freshIp(), viewer!.token));
    // One address however many device ids it makes up.
    const shared = freshIp();
    await expectLimit(3000, (index) => send(`flick_device=${"0".repeat(8)}-0000-4000-8000-${String(Math.floor(index / 100)).padStart(12, "0")}`, shared));
  });

  it("every other API request: API_RATE_LIMIT a minute per account", async () => {
    tested.add("api");
    const [reader] = await people(1);
    await expectLimit(600, () => call("/api/me", { method: "GET", token: reader!.token, ip: freshIp() }));
  });

  it("has a test above for every named limit", () => {
    expect([...tested].sort()).toEqual(Object.keys(LIMITS).sort());
  });
});
