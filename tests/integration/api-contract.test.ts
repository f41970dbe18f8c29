// Every API route, asked badly: without a token, with an invalid one, and with a malformed body. Each must answer a
// 4xx in the one error shape, never a 500. A new route is added to this table when it is written.
import { beforeAll, describe, expect, it } from "vitest";
import { api, signUp } from "../helpers";
import { createTokenFor } from "./tokens-helper";

type RouteRow = { method: string; path: string; auth: "required" | "optional" | "none"; body?: unknown };

const ROUTES: RouteRow[] = [
  { method: "GET", path: "/api/me", auth: "required" },
  { method: "PATCH", path: "/api/me", auth: "required", body: { name: "New Name" } },
  // multipart/form-data, not JSON: the malformed-JSON rows do not apply; settings.test.ts covers its refusals.
  { method: "PUT", path: "/api/me/avatar", auth: "required" },
  { method: "DELETE", path: "/api/me/avatar", auth: "required" },
  { method: "POST", path: "/api/me/password", auth: "required", body: { currentPassword: "wrong password", newPassword: "another password" } },
  { method: "GET", path: "/api/me/sessions", auth: "required" },
  { method: "DELETE", path: "/api/me/sessions/no-such-session", auth: "required" },
  { method: "POST", path: "/api/me/sessions/revoke-others", auth: "required" },
  { method: "POST", path: "/api/me/feed/reset", auth: "required" },
  { method: "GET", path: "/api/tokens", auth: "required" },
  { method: "POST", path: "/api/tokens", auth: "required", body: { name: "ci" } },
  { method: "DELETE", path: "/api/tokens/does-not-exist", auth: "required" },
  { method: "POST", path: "/api/users", auth: "optional", body: { handle: "x", email: "y", password: "z" } },
  { method: "GET", path: "/api/users/nobody_here", auth: "optional" },
  { method: "GET", path: "/api/me/videos", auth: "required" },
  { method: "POST", path: "/api/videos", auth: "required", body: { uploadId: "nope", caption: "x" } },
  { method: "GET", path: "/api/videos/no-such-video", auth: "optional" },
  { method: "PATCH", path: "/api/videos/no-such-video", auth: "required", body: { caption: "x" } },
  { method: "DELETE", path: "/api/videos/no-such-video", auth: "required" },
  { method: "POST", path: "/api/videos/no-such-video/retry", auth: "required" },
  { method: "GET", path: "/api/feed?tab=foryou", auth: "optional" },
  { method: "GET", path: "/api/feed?tab=following", auth: "required" },
  { method: "PUT", path: "/api/videos/no-such-video/like", auth: "required" },
  { method: "DELETE", path: "/api/videos/no-such-video/like", auth: "required" },
  { method: "PUT", path: "/api/videos/no-such-video/bookmark", auth: "required" },
  { method: "DELETE", path: "/api/videos/no-such-video/bookmark", auth: "required" },
  { method: "POST", path: "/api/videos/no-such-video/share", auth: "optional" },
  { method: "POST", path: "/api/videos/no-such-video/not-interested", auth: "required" },
  { method: "GET", path: "/api/videos/no-such-video/comments", auth: "optional" },
  { method: "POST", path: "/api/videos/no-such-video/comments", auth: "required", body: { body: "hello" } },
  { method: "GET", path: "/api/comments/no-such-comment/replies", auth: "optional" },
  { method: "DELETE", path: "/api/comments/no-such-comment", auth: "required" },
  { method: "PUT", path: "/api/comments/no-such-comment/like", auth: "required" },
  { method: "DELETE", path: "/api/comments/no-such-comment/like", auth: "required" },
  { method: "PUT", path: "/api/users/nobody_here/follow", auth: "required" },
  { method: "DELETE", path: "/api/users/nobody_here/follow", auth: "required" },
  { method: "POST", path: "/api/users/nobody_here/block", auth: "required" },
  { method: "DELETE", path: "/api/users/nobody_here/block", auth: "required" },
  { method: "POST", path: "/api/users/nobody_here/mute", auth: "required" },
  { method: "DELETE", path: "/api/users/nobody_here/mute", auth: "required" },
  { method: "GET", path: "/api/me/blocks", auth: "required" },
  { method: "GET", path: "/api/me/mutes", auth: "required" },
  { method: "GET", path: "/api/me/comment-settings", auth: "required" },
  { method: "PATCH", path: "/api/me/comment-settings", auth: "required", body: { commentPolicy: "everyone" } },
  { method: "GET", path: "/api/admin/signups", auth: "required" },
  { method: "PUT", path: "/api/admin/signup-mode", auth: "required", body: { mode: "open" } },
  { method: "POST", path: "/api/admin/signups/nobody_here/approve", auth: "required" },
  { method: "DELETE", path: "/api/admin/signups/nobody_here", auth: "required" },
  { method: "GET", path: "/api/admin/recs/cohorts", auth: "required" },
  { method: "POST", path: "/api/reports", auth: "required", body: { type: "video", id: "nope", reason: "spam" } },
  { method: "GET", path: "/api/notifications", auth: "required" },
  { method: "POST", path: "/api/notifications/read", auth: "required" },
  { method: "GET", path: "/api/search?q=dance", auth: "optional" },
  { method: "GET", path: "/api/tags/no_such_tag/videos", auth: "optional" },
  { method: "POST", path: "/api/events", auth: "optional", body: { events: [{ id: "0192f4a0-8c1e-7abc-9def-0123456789ab", type: "play", videoId: "nope", at: 0, source: "foryou" }] } },
  { method: "GET", path: "/api/ping", auth: "none" },
  { method: "GET", path: "/api/studio/overview", auth: "required" },
  { method: "GET", path: "/api/studio/videos/no-such-video/analytics", auth: "required" },
  { method: "GET", path: "/api/studio/videos/no-such-video/daily.csv", auth: "required" },
  // GET /api/notifications/stream answers a valid token with an endless event stream; tests/integration/social.test.ts
  // checks its refusals and its events.
];

// tus endpoints speak the tus protocol rather than JSON, but refuse the same way.
const TUS_ROUTES: RouteRow[] = [
  { method: "POST", path: "/api/uploads", auth: "required" },
  { method: "HEAD", path: "/api/uploads/abcdefgh12345678", auth: "required" },
  { method: "PATCH", path: "/api/uploads/abcdefgh12345678", auth: "required" },
  { method: "DELETE", path: "/api/uploads/abcdefgh12345678", auth: "required" },
];

function expectErrorShape(response: { status: number; body: any }, status: number | [number, number]) {
  if (Array.isArray(status)) {
    expect(response.status).toBeGreaterThanOrEqual(status[0]);
    expect(response.status).toBeLessThanOrEqual(status[1]);
  } else {
    expect(response.status).toBe(status);
  }
  expect(typeof response.body?.error?.code).toBe("string");
  expect(typeof response.body?.error?.message).toBe("string");
  expect(response.body.error.message.length).toBeGreaterThan(10);
}

describe("API contract", () => {
  let token: string;
  beforeAll(async () => {
    const user = await signUp();
    token = await createTokenFor(user.handle);
  });

  it.each(ROUTES.filter((r) => r.auth === "required"))("$method $path without credentials → 401", async (row) => {
    expectErrorShape(await api(row.path, { method: row.method, body: row.body }), 401);
  });

  it.each(ROUTES.filter((r) => r.auth !== "none"))("$method $path with an invalid token → 401", async (row) => {
    expectErrorShape(await api(row.path, { method: row.method, body: row.body, token: "flk_notarealtoken" }), 401);
    expectErrorShape(await api(row.path, { method: row.method, body: row.body, headers: { authorization: "Basic abc" } }), 401);
  });

  it.each(ROUTES.filter((r) => r.body !== undefined))("$method $path with a malformed body → 4xx", async (row) => {
    expectErrorShape(await api(row.path, { method: row.method, token, rawBody: "{not json", headers: { "content-type": "application/json" } }), 400);
    expectErrorShape(await api(row.path, { method: row.method, token, rawBody: "", headers: { "content-type": "application/json" } }), 400);
    expectErrorShape(await api(row.path, { method: row.method, token, rawBody: "name=x", headers: { "content-type": "text/plain" } }), 415);
    expectErrorShape(await api(row.path, { method: row.method, token, body: [1, 2, 3] }), 422);
    expectErrorShape(await api(row.path, { method: row.method, token, body: { unexpected: { deeply: ["nested"] } } }), 422);
  });

  it.each(ROUTES)("$method $path never answers 500 to a valid token", async (row) => {
    const response = await api(row.path, { method: row.method, body: row.body, token });
    expect(response.status).toBeLessThan(500);
    if (response.status >= 400) expectErrorShape(response, [400, 499]);
  });

  it.each(TUS_ROUTES)("tus $method $path refuses missing and invalid credentials with 401", async (row) => {
    const headers = { "tus-resumable": "1.0.0", "upload-length": "10", "upload-offset": "0", "content-type": "application/offset+octet-stream" };
    const credentials: Array<Record<string, string>> = [{}, { authorization: "Bearer flk_notarealtoken" }];
    for (const auth of credentials) {
      const response = await fetch(`${process.env.TEST_BASE_URL}${row.path}`, { method: row.method, headers: { ...headers, ...auth } });
      expect(response.status).toBe(401);
      if (row.method !== "HEAD") expect((await response.json()).error.code).toBe("unauthorized");
    }
  });

  it("tus refuses an unknown upload of a signed-in user with 404, and a malformed request with 4xx", async () => {
    const base = `${process.env.TEST_BASE_URL}/api/uploads`;
    const auth = { authorization: `Bearer ${token}`, "tus-resumable": "1.0.0" };
    expect((await fetch(`${base}/abcdefgh12345678`, { method: "HEAD", headers: auth })).status).toBe(404);
    const noLength = await fetch(base, { method: "POST", headers: auth });
    expect(noLength.status).toBeGreaterThanOrEqual(400);
    expect(noLength.status).toBeLessThan(500);
    const badLength = await fetch(base, { method: "POST", headers: { ...auth, "upload-length": "-5" } });
    expect(badLength.status).toBeGreaterThanOrEqual(400);
    expect(badLength.status).toBeLessThan(500);
  });

  it("an unknown API path is a 404, not a crash", async () => {
    const response = await api("/api/definitely-not-a-route");
    expect(response.status).toBe(404);
  });
});
