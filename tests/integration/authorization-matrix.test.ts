// Who may change what, for every mutating API route, as one table: each row asks a route as an anonymous visitor,
// another user, the owner of the thing it changes, a moderator, an admin and a banned user, and states the status
// each one gets. The route files themselves are read: a POST, PUT, PATCH or DELETE exported from app/api/**/route.ts
// without a row here fails the first test, so a new route cannot ship without deciding who may call it.
//
// Statuses other than 2xx are the point of many cells: 401 (nobody signed in, or a banned account's token), 403 (signed
// in but not allowed), 404 (not allowed to know it exists). Where the owner's request cannot succeed for reasons
// that are not about permission (an upload that has not finished, a video that has not failed), the cell says so in
// the status the domain gives (409), which still proves the permission check let the owner through.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db";
import { api, baseUrl, freshIp, signUp, uniqueHandle } from "../helpers";
import { createTokenFor } from "./tokens-helper";
import { createVideoRow } from "./video-rows";

const ACTORS = ["anonymous", "other", "owner", "moderator", "admin", "banned"] as const;
type ActorName = (typeof ACTORS)[number];
type Actor = { name: ActorName; id: string | null; handle: string | null; token: string | null; password: string };
type Expected = Record<ActorName, number>;

/** What a row sends: an API path and JSON body, or a whole request of its own (tus, multipart). */
type Call = { path: string; body?: unknown } | { send: (actor: Actor) => Promise<number> };

type Row = {
  method: "POST" | "PUT" | "PATCH" | "DELETE";
  /** The route pattern as its folder names it, e.g. "/api/videos/[id]". */
  route: string;
  /** Builds a fresh target for one actor's request (so one actor's DELETE does not spoil the next one's). */
  call: (owner: Actor, actor: Actor) => Promise<Call>;
  expect: Expected;
};

// The usual shapes of a row's expectations.
const SIGNED_IN = (status: number): Expected => ({ anonymous: 401, other: status, owner: status, moderator: status, admin: status, banned: 401 });
const OWNER_OR_STAFF = (owner: number, other: number): Expected => ({ anonymous: 401, other, owner, moderator: owner, admin: owner, banned: 401 });
const OWNER_ONLY = (owner: number, others: number): Expected => ({ anonymous: 401, other: others, owner, moderator: others, admin: others, banned: 401 });
const ADMIN_ONLY = (admin: number): Expected => ({ anonymous: 401, other: 403, owner: 403, moderator: 403, admin, banned: 401 });
const MODERATOR_ONLY = (status: number): Expected => ({ anonymous: 401, other: 403, owner: 403, moderator: status, admin: status, banned: 401 });
/** Acting on the owner's account (follow, block, mute): anyone else may; the owner cannot do it to themselves. */
const ON_OWNER = (status: number): Expected => ({ anonymous: 401, other: status, owner: 422, moderator: status, admin: status, banned: 401 });

// Routes that take no part in the table, and why.
const EXEMPT: Record<string, string> = {
  "POST /api/auth/[...nextauth]": "next-auth's sign-in and sign-out: anonymous by nature, protected by its own CSRF token and the sign-in limits",
};

let made = 0;
// Rows that name media files that do not exist: deleted at the end, so a later browser test's feed never serves them.
const madeIds: string[] = [];
async function publicVideo(owner: Actor, data: Parameters<typeof createVideoRow>[1] = {}): Promise<string> {
  made += 1;
  const id = await createVideoRow(owner.id!, { caption: `matrix ${made}`, ...data });
  madeIds.push(id);
  return id;
}

const commentIds: string[] = [];
async function commentBy(author: Actor, videoId: string): Promise<string> {
  const { id } = await getDb().comment.create({ data: { videoId, authorId: author.id!, body: "matrix comment" }, select: { id: true } });
  commentIds.push(id);
  return id;
}

async function pendingSignup(): Promise<string> {
  const handle = uniqueHandle("pending");
  await getDb().user.create({ data: { handle, email: `${handle}@example.com`, passwordHash: "x", status: "PENDING" } });
  return handle;
}

/** A review-queue case on a fresh video of the owner's, in the given state. */
async function moderationCase(owner: Actor, status: "OPEN" | "ACTIONED" | "APPEALED"): Promise<{ caseId: string; videoId: string }> {
  const videoId = await publicVideo(owner, status === "OPEN" ? {} : { moderation: "HIDDEN" });
  const row = await getDb().moderationCase.create({
    data: { targetKey: `video:${videoId}`, videoId, status, action: status === "OPEN" ? null : "HIDE", ...(status === "APPEALED" ? { appealedAt: new Date(), appealText: "matrix" } : {}) },
  });
  return { caseId: row.id, videoId };
}

/** A comment of the owner's that a moderator hid: its case is ACTIONED, waiting for the one appeal. */
async function removedComment(owner: Actor): Promise<string> {
  const commentId = await commentBy(owner, await publicVideo(bystander));
  await getDb().comment.update({ where: { id: commentId }, data: { deletedAt: new Date() } });
  await getDb().moderationCase.create({ data: { targetKey: `comment:${commentId}`, commentId, status: "ACTIONED", action: "HIDE", decidedAt: new Date() } });
  return commentId;
}

async function plainUser(): Promise<string> {
  const handle = uniqueHandle("plain");
  await getDb().user.create({ data: { handle, email: `${handle}@example.com`, passwordHash: "x" } });
  return handle;
}

async function tusUpload(owner: Actor): Promise<string> {
  const created = await fetch(`${baseUrl()}/api/uploads`, {
    method: "POST",
    headers: { "tus-resumable": "1.0.0", authorization: `Bearer ${owner.token}`, "upload-length": "4", "x-forwarded-for": freshIp() },
  });
  expect(created.status).toBe(201);
  return created.headers.get("location")!;
}

function tus(method: string, location: string, headers: Record<string, string> = {}) {
  return async (actor: Actor) => {
    const response = await fetch(`${baseUrl()}${location}`, {
      method,
      headers: {
        "tus-resumable": "1.0.0",
        "x-forwarded-for": freshIp(),
        ...(actor.token ? { authorization: `Bearer ${actor.token}` } : {}),
        ...headers,
      },
      body: method === "PATCH" ? new Uint8Array([1, 2, 3, 4]) : undefined,
    });
    return response.status;
  };
}

let avatar: Buffer;

const ROWS: Row[] = [
  // Your own account.
  { method: "PATCH", route: "/api/me", call: async () => ({ path: "/api/me", body: { bio: "matrix" } }), expect: SIGNED_IN(200) },
  {
    method: "PUT",
    route: "/api/me/avatar",
    call: async () => ({
      send: async (actor) => {
        const form = new FormData();
        form.set("avatar", new Blob([new Uint8Array(avatar)], { type: "image/png" }), "a.png");
        const headers: Record<string, string> = { "x-forwarded-for": freshIp(), ...(actor.token ? { authorization: `Bearer ${actor.token}` } : {}) };
        return (await fetch(`${baseUrl()}/api/me/avatar`, { method: "PUT", headers, body: form })).status;
      },
    }),
    expect: SIGNED_IN(200),
  },
  { method: "DELETE", route: "/api/me/avatar", call: async () => ({ path: "/api/me/avatar" }), expect: SIGNED_IN(200) },
  {
    method: "POST",
    route: "/api/me/password",
    call: async (_owner, actor) => ({ path: "/api/me/password", body: { currentPassword: actor.password, newPassword: (actor.password = `${actor.password}!`) } }),
    expect: SIGNED_IN(200),
  },
  {
    method: "DELETE",
    route: "/api/me/sessions/[id]",
    call: async (owner) => ({ path: `/api/me/sessions/${await createSession(owner.id!, {})}` }),
    expect: OWNER_ONLY(200, 404),
  },
  { method: "POST", route: "/api/me/sessions/revoke-others", call: async () => ({ path: "/api/me/sessions/revoke-others" }), expect: SIGNED_IN(200) },
  { method: "POST", route: "/api/me/feed/reset", call: async () => ({ path: "/api/me/feed/reset" }), expect: SIGNED_IN(200) },
  { method: "PATCH", route: "/api/me/comment-settings", call: async () => ({ path: "/api/me/comment-settings", body: { commentPolicy: "everyone" } }), expect: SIGNED_IN(200) },
  { method: "POST", route: "/api/tokens", call: async () => ({ path: "/api/tokens", body: { name: "matrix" } }), expect: SIGNED_IN(201) },
  {
    method: "DELETE",
    route: "/api/tokens/[id]",
    call: async (owner) => {
      const token = await getDb().apiToken.create({ data: { userId: owner.id!, name: "spare", prefix: "flk_spare", tokenHash: uniqueHandle("hash") } });
      return { path: `/api/tokens/${token.id}` };
    },
    expect: OWNER_ONLY(200, 404),
  },
  { method: "POST", route: "/api/notifications/read", call: async () => ({ path: "/api/notifications/read" }), expect: SIGNED_IN(200) },
  // Sign-up serves anonymous visitors; a banned account's token is still refused.
  {
    method: "POST",
    route: "/api/users",
    call: async () => {
      const handle = uniqueHandle("matrix");
      return { path: "/api/users", body: { handle, email: `${handle}@example.com`, password: "correct horse battery" } };
    },
    expect: { anonymous: 201, other: 201, owner: 201, moderator: 201, admin: 201, banned: 401 },
  },

  // Uploads (tus) and publishing.
  {
    method: "POST",
    route: "/api/uploads",
    call: async () => ({ send: tus("POST", "/api/uploads", { "upload-length": "4" }) }),
    expect: SIGNED_IN(201),
  },
  {
    method: "PATCH",
    route: "/api/uploads/[id]",
    call: async (owner) => ({ send: tus("PATCH", await tusUpload(owner), { "upload-offset": "0", "content-type": "application/offset+octet-stream" }) }),
    expect: OWNER_ONLY(204, 404),
  },
  { method: "DELETE", route: "/api/uploads/[id]", call: async (owner) => ({ send: tus("DELETE", await tusUpload(owner)) }), expect: OWNER_ONLY(204, 404) },
  {
    method: "POST",
    route: "/api/videos",
    // The upload exists but has no bytes yet: its owner gets past the permission check to "not finished" (409).
    call: async (owner) => ({ path: "/api/videos", body: { uploadId: (await tusUpload(owner)).split("/").pop(), caption: "x" } }),
    expect: OWNER_ONLY(409, 404),
  },

  // A video and what people do to it.
  { method: "PATCH", route: "/api/videos/[id]", call: async (owner) => ({ path: `/api/videos/${await publicVideo(owner)}`, body: { caption: "edited" } }), expect: OWNER_OR_STAFF(200, 403) },
  { method: "DELETE", route: "/api/videos/[id]", call: async (owner) => ({ path: `/api/videos/${await publicVideo(owner)}` }), expect: OWNER_OR_STAFF(200, 403) },
  {
    method: "POST",
    route: "/api/videos/[id]/retry",
    // A failed video whose source is gone: the creator and staff get past the permission check to "cannot retry" (409).
    call: async (owner) => ({ path: `/api/videos/${await publicVideo(owner, { status: "FAILED" })}/retry` }),
    expect: { anonymous: 401, other: 404, owner: 409, moderator: 409, admin: 409, banned: 401 },
  },
  { method: "PUT", route: "/api/videos/[id]/like", call: async (owner) => ({ path: `/api/videos/${await publicVideo(owner)}/like` }), expect: SIGNED_IN(200) },
  { method: "DELETE", route: "/api/videos/[id]/like", call: async (owner) => ({ path: `/api/videos/${await publicVideo(owner)}/like` }), expect: SIGNED_IN(200) },
  { method: "PUT", route: "/api/videos/[id]/bookmark", call: async (owner) => ({ path: `/api/videos/${await publicVideo(owner)}/bookmark` }), expect: SIGNED_IN(200) },
  { method: "DELETE", route: "/api/videos/[id]/bookmark", call: async (owner) => ({ path: `/api/videos/${await publicVideo(owner)}/bookmark` }), expect: SIGNED_IN(200) },
  {
    method: "POST",
    route: "/api/videos/[id]/share",
    call: async (owner) => ({ path: `/api/videos/${await publicVideo(owner)}/share` }),
    expect: { anonymous: 200, other: 200, owner: 200, moderator: 200, admin: 200, banned: 401 },
  },
  { method: "POST", route: "/api/videos/[id]/not-interested", call: async (owner) => ({ path: `/api/videos/${await publicVideo(owner)}/not-interested` }), expect: SIGNED_IN(200) },
  { method: "POST", route: "/api/videos/[id]/comments", call: async (owner) => ({ path: `/api/videos/${await publicVideo(owner)}/comments`, body: { body: "hi" } }), expect: SIGNED_IN(201) },
  {
    method: "POST",
    route: "/api/events",
    // Viewer signals: anyone watching, signed in or not (a signed-out browser is its device), but no banned account.
    call: async (owner) => ({
      path: "/api/events",
      body: { events: [{ id: crypto.randomUUID(), type: "play", videoId: await publicVideo(owner), at: Date.now(), source: "foryou" }] },
    }),
    expect: { anonymous: 202, other: 202, owner: 202, moderator: 202, admin: 202, banned: 401 },
  },
  {
    method: "POST",
    route: "/api/reports",
    call: async (owner) => ({ path: "/api/reports", body: { type: "video", id: await publicVideo(owner), reason: "spam" } }),
    expect: SIGNED_IN(201),
  },

  // Comments: the owner is the comment's author (the video belongs to someone else).
  {
    method: "DELETE",
    route: "/api/comments/[id]",
    call: async (owner) => ({ path: `/api/comments/${await commentBy(owner, await publicVideo(bystander))}` }),
    expect: OWNER_OR_STAFF(200, 403),
  },
  { method: "PUT", route: "/api/comments/[id]/like", call: async (owner) => ({ path: `/api/comments/${await commentBy(owner, await publicVideo(bystander))}/like` }), expect: SIGNED_IN(200) },
  { method: "DELETE", route: "/api/comments/[id]/like", call: async (owner) => ({ path: `/api/comments/${await commentBy(owner, await publicVideo(bystander))}/like` }), expect: SIGNED_IN(200) },

  // Acting on the owner's account.
  { method: "PUT", route: "/api/users/[handle]/follow", call: async (owner) => ({ path: `/api/users/${owner.handle}/follow` }), expect: ON_OWNER(200) },
  { method: "DELETE", route: "/api/users/[handle]/follow", call: async (owner) => ({ path: `/api/users/${owner.handle}/follow` }), expect: SIGNED_IN(200) },
  { method: "POST", route: "/api/users/[handle]/block", call: async (owner) => ({ path: `/api/users/${owner.handle}/block` }), expect: ON_OWNER(200) },
  { method: "DELETE", route: "/api/users/[handle]/block", call: async (owner) => ({ path: `/api/users/${owner.handle}/block` }), expect: ON_OWNER(200) },
  { method: "POST", route: "/api/users/[handle]/mute", call: async (owner) => ({ path: `/api/users/${owner.handle}/mute` }), expect: ON_OWNER(200) },
  { method: "DELETE", route: "/api/users/[handle]/mute", call: async (owner) => ({ path: `/api/users/${owner.handle}/mute` }), expect: ON_OWNER(200) },

  // Instance administration.
  { method: "PUT", route: "/api/admin/signup-mode", call: async () => ({ path: "/api/admin/signup-mode", body: { mode: "open" } }), expect: ADMIN_ONLY(200) },
  { method: "POST", route: "/api/admin/signups/[handle]/approve", call: async () => ({ path: `/api/admin/signups/${await pendingSignup()}/approve` }), expect: ADMIN_ONLY(200) },
  { method: "DELETE", route: "/api/admin/signups/[handle]", call: async () => ({ path: `/api/admin/signups/${await pendingSignup()}` }), expect: ADMIN_ONLY(200) },
  { method: "PUT", route: "/api/admin/settings", call: async () => ({ path: "/api/admin/settings", body: { newAccountHold: 0 } }), expect: ADMIN_ONLY(200) },
  { method: "PATCH", route: "/api/admin/users/[handle]", call: async () => ({ path: `/api/admin/users/${await plainUser()}`, body: { role: "user" } }), expect: ADMIN_ONLY(200) },

  // Trust and safety: the review queue is for moderators and admins; an appeal is the creator's own.
  {
    method: "POST",
    route: "/api/admin/moderation/[id]",
    call: async (owner) => ({ path: `/api/admin/moderation/${(await moderationCase(owner, "OPEN")).caseId}`, body: { action: "dismiss", note: "matrix" } }),
    expect: MODERATOR_ONLY(200),
  },
  {
    method: "POST",
    route: "/api/admin/moderation/[id]/appeal",
    call: async (owner) => ({ path: `/api/admin/moderation/${(await moderationCase(owner, "APPEALED")).caseId}/appeal`, body: { decision: "uphold" } }),
    expect: MODERATOR_ONLY(200),
  },
  {
    method: "POST",
    route: "/api/videos/[id]/appeal",
    call: async (owner) => ({ path: `/api/videos/${(await moderationCase(owner, "ACTIONED")).videoId}/appeal`, body: { text: "please look again" } }),
    expect: OWNER_ONLY(200, 404),
  },
  {
    method: "POST",
    route: "/api/comments/[id]/appeal",
    call: async (owner) => ({ path: `/api/comments/${await removedComment(owner)}/appeal`, body: { text: "please look again" } }),
    expect: OWNER_ONLY(200, 404),
  },
];

/** Every exported mutating handler under app/api, as "METHOD /api/route/[param]". */
function mutatingRoutes(): string[] {
  const root = path.resolve("app/api");
  const found: string[] = [];
  for (const entry of readdirSync(root, { recursive: true, encoding: "utf8" })) {
    if (path.basename(entry) !== "route.ts") continue;
    const source = readFileSync(path.join(root, entry), "utf8");
    const route = `/api/${path.dirname(entry).split(path.sep).join("/")}`;
    const methods = new Set<string>();
    for (const match of source.matchAll(/export\s+(?:const|async\s+function|function)\s+(POST|PUT|PATCH|DELETE)\b/g)) methods.add(match[1]!);
    for (const match of source.matchAll(/\bas\s+(POST|PUT|PATCH|DELETE)\b/g)) methods.add(match[1]!);
    for (const method of methods) found.push(`${method} ${route}`);
  }
  return found.sort();
}

let bystander: Actor;
const actors = {} as Record<ActorName, Actor>;

async function makeActor(name: ActorName): Promise<Actor> {
  if (name === "anonymous") return { name, id: null, handle: null, token: null, password: "" };
  const account = await signUp();
  const role = name === "moderator" ? "MODERATOR" : name === "admin" ? "ADMIN" : "USER";
  await getDb().user.update({ where: { id: account.id }, data: { role } });
  const token = await createTokenFor(account.handle);
  // Banned after the token was made: the token must stop working, not merely never have existed.
  if (name === "banned") await getDb().user.update({ where: { id: account.id }, data: { status: "BANNED" } });
  return { name, id: account.id, handle: account.handle, token, password: account.password };
}

async function perform(call: Call, method: string, actor: Actor): Promise<{ status: number; body?: unknown }> {
  if ("send" in call) return { status: await call.send(actor) };
  const response = await api(call.path, { method, body: call.body, token: actor.token ?? undefined });
  return { status: response.status, body: response.body };
}

describe("authorization matrix", () => {
  afterAll(async () => {
    await getDb().moderationCase.deleteMany({ where: { OR: [{ videoId: { in: madeIds } }, { commentId: { in: commentIds } }] } });
    await getDb().video.deleteMany({ where: { id: { in: madeIds } } });
  });

  beforeAll(async () => {
    avatar = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#36c" } }).png().toBuffer();
    for (const name of ACTORS) actors[name] = await makeActor(name);
    bystander = await makeActor("other");
  });

  it("has a row for every mutating route, and no row for a route that does not exist", () => {
    const rows = ROWS.map((row) => `${row.method} ${row.route}`);
    const covered = new Set([...rows, ...Object.keys(EXEMPT)]);
    const missing = mutatingRoutes().filter((route) => !covered.has(route));
    expect(missing, "add a row to ROWS for each of these (who may call it?)").toEqual([]);
    const stale = rows.filter((row) => !mutatingRoutes().includes(row));
    expect(stale, "these rows name routes that no longer exist").toEqual([]);
    expect(new Set(rows).size).toBe(rows.length);
  });

  const cases = ROWS.flatMap((row) => ACTORS.map((actor) => ({ row, actor, name: `${row.method} ${row.route} as ${actor} → ${row.expect[actor]}` })));

  it.each(cases)("$name", async ({ row, actor }) => {
    // The owner is a fresh account per row, so rows never disturb each other (tokens revoked, passwords changed).
    const owner = actor === "owner" ? actors.owner : await makeActor("owner");
    const who = actor === "owner" ? owner : actors[actor];
    const call = await row.call(owner, who);
    const { status, body } = await perform(call, row.method, who);
    expect(status, JSON.stringify(body)).toBe(row.expect[actor]);
  });
});
