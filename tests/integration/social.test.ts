// The feed API and the social layer against the running test instance: For You that never repeats itself (signed in
// and signed out), Following, likes, bookmarks, shares, follows, "not interested", comments with replies, reports,
// and notifications pushed live over server-sent events. Videos are made as database rows (already "processed") so
// these tests do not wait for ffmpeg; the media pipeline has tests of its own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import type { Visibility } from "@/lib/generated/prisma/enums";
import { api, baseUrl, freshIp, signUp } from "../helpers";
import { createTokenFor } from "./tokens-helper";
import { createVideoRow } from "./video-rows";

type Person = { id: string; handle: string; token: string };

async function person(): Promise<Person> {
  const account = await signUp();
  await getDb().user.update({ where: { id: account.id }, data: { role: "USER" } });
  return { id: account.id, handle: account.handle, token: await createTokenFor(account.handle) };
}

let minutesAgo = 0;
/** A processed, approved video; each one published a minute before the previous, so "newest" is well defined. */
async function makeVideo(author: Person, options: { visibility?: Visibility; caption?: string; status?: "READY" | "PROCESSING"; allowComments?: boolean } = {}) {
  minutesAgo += 1;
  const publishedAt = new Date(Date.now() - minutesAgo * 60_000);
  return createVideoRow(author.id, { caption: `clip ${minutesAgo}`, publishedAt, ...options });
}

/** Pages through For You until it ends, returning every id served, with the cookie jar of a browser. */
async function readWholeFeed(options: { token?: string; cookie?: string; ip: string }): Promise<{ ids: string[]; cookie?: string }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let cookie = options.cookie;
  for (let page = 0; page < 200; page += 1) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const response = await api(`/api/feed?tab=foryou&limit=30${query}`, { token: options.token, ip: options.ip, headers: cookie ? { cookie } : {} });
    expect(response.status).toBe(200);
    const set = response.headers.get("set-cookie");
    if (set?.startsWith("flick_device=")) cookie = set.split(";")[0];
    ids.push(...response.body.items.map((item: { id: string }) => item.id));
    cursor = response.body.cursor;
    if (!cursor || response.body.items.length === 0) break;
  }
  return { ids, cookie };
}

describe("feed and social layer", () => {
  let creator: Person;
  let viewer: Person;
  let stranger: Person;
  const publicIds: string[] = [];
  let privateId: string;
  let unlistedId: string;
  let processingId: string;

  beforeAll(async () => {
    [creator, viewer, stranger] = await Promise.all([person(), person(), person()]);
    for (let index = 0; index < 5; index += 1) publicIds.push(await makeVideo(creator, { caption: `Dance ${index} #dance` }));
    privateId = await makeVideo(creator, { visibility: "PRIVATE" });
    unlistedId = await makeVideo(creator, { visibility: "UNLISTED" });
    processingId = await makeVideo(creator, { status: "PROCESSING" });
  });

  afterAll(async () => {
    await getDb().video.deleteMany({ where: { authorId: creator.id } });
  });

  it("For You serves the feed contract, never repeats a video, and never lists private, unlisted or unfinished ones", async () => {
    const first = await api("/api/feed?tab=foryou&limit=2", { token: viewer.token });
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toContain("no-store");
    expect(typeof first.body.requestId).toBe("string");
    const item = first.body.items[0];
    expect(Object.keys(item)).toEqual(
      expect.arrayContaining(["id", "hls", "poster", "blurhash", "width", "height", "duration", "caption", "hashtags", "author", "stats", "viewer"]),
    );
    expect(item.hls).toMatch(/\/media\/videos\/.+\/master\.m3u8$/);
    expect(Object.keys(item.author).sort()).toEqual(["avatar", "handle", "name"]);
    expect(Object.keys(item.stats).sort()).toEqual(["comments", "likes", "shares", "views"]);
    expect(Object.keys(item.viewer).sort()).toEqual(["bookmarked", "followingAuthor", "liked"]);

    const rest = await readWholeFeed({ token: viewer.token, ip: freshIp() });
    const all = [...first.body.items.map((entry: { id: string }) => entry.id), ...rest.ids];
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining(publicIds));
    for (const hidden of [privateId, unlistedId, processingId]) expect(all).not.toContain(hidden);

    // Everything has been seen: asking again serves nothing seen before.
    const again = await api("/api/feed?tab=foryou", { token: viewer.token });
    expect(again.status).toBe(200);
    expect(again.body.items.map((entry: { id: string }) => entry.id).filter((id: string) => all.includes(id))).toEqual([]);
  });

  it("signed-out viewers get a feed too, remembered by a device cookie", async () => {
    const ip = freshIp();
    const { ids, cookie } = await readWholeFeed({ ip });
    expect(cookie).toMatch(/^flick_device=[0-9a-f-]{36}$/);
    expect(ids).toEqual(expect.arrayContaining(publicIds));
    expect(new Set(ids).size).toBe(ids.length);
    const again = await api("/api/feed?tab=foryou", { ip, headers: { cookie: cookie! } });
    expect(again.body.items.filter((entry: { id: string }) => publicIds.includes(entry.id))).toEqual([]);
    // A new device starts over.
    const fresh = await readWholeFeed({ ip: freshIp() });
    expect(fresh.ids).toEqual(expect.arrayContaining(publicIds));
  });

  it("a bad cursor or limit is refused with a reason", async () => {
    const badCursor = await api("/api/feed?tab=foryou&cursor=not-a-cursor", { token: viewer.token });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.message).toMatch(/cursor/);
    expect((await api("/api/feed?tab=foryou&limit=1000", { token: viewer.token })).status).toBe(422);
    expect((await api("/api/feed?tab=sideways", { token: viewer.token })).status).toBe(422);
    expect((await api("/api/feed?tab=following")).status).toBe(401);
  });

  it("likes and bookmarks are idempotent, show in the feed, and refuse videos the viewer cannot see", async () => {
    const videoId = publicIds[0]!;
    const liked = await api(`/api/videos/${videoId}/like`, { method: "PUT", token: viewer.token });
    expect(liked.body).toEqual({ liked: true, likes: 1 });
    expect((await api(`/api/videos/${videoId}/like`, { method: "PUT", token: viewer.token })).body).toEqual({ liked: true, likes: 1 });
    expect((await api(`/api/videos/${videoId}/like`, { method: "PUT", token: stranger.token })).body).toEqual({ liked: true, likes: 2 });
    expect((await api(`/api/videos/${videoId}/bookmark`, { method: "PUT", token: viewer.token })).body).toEqual({ bookmarked: true });

    // A fresh device sees the counts; the viewer sees their own state (through Following, which does not run dry).
    await api(`/api/users/${creator.handle}/follow`, { method: "PUT", token: viewer.token });
    const following = await api("/api/feed?tab=following&limit=30", { token: viewer.token });
    const item = following.body.items.find((entry: { id: string }) => entry.id === videoId);
    expect(item.stats.likes).toBe(2);
    expect(item.viewer).toEqual({ liked: true, bookmarked: true, followingAuthor: true });

    expect((await api(`/api/videos/${videoId}/like`, { method: "DELETE", token: viewer.token })).body).toEqual({ liked: false, likes: 1 });
    expect((await api(`/api/videos/${videoId}/bookmark`, { method: "DELETE", token: viewer.token })).body).toEqual({ bookmarked: false });
    expect((await api(`/api/videos/${videoId}/like`, { method: "PUT" })).status).toBe(401);
    for (const hidden of [privateId, processingId]) {
      const refused = await api(`/api/videos/${hidden}/like`, { method: "PUT", token: viewer.token });
      expect(refused.status).toBe(404);
      expect(refused.body.error.code).toBe("not_found");
    }
    // Unlisted: watchable by link, so it can be liked.
    expect((await api(`/api/videos/${unlistedId}/like`, { method: "PUT", token: viewer.token })).status).toBe(200);
  });

  it("Following lists the followed creator's videos newest first, page by page", async () => {
    const fan = await person();
    const followed = await api(`/api/users/${creator.handle}/follow`, { method: "PUT", token: fan.token });
    expect(followed.body.following).toBe(true);
    expect(followed.body.followers).toBeGreaterThanOrEqual(1);
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const page = await api(`/api/feed?tab=following&limit=2${suffix}`, { token: fan.token });
      expect(page.status).toBe(200);
      pages.push(...page.body.items.map((entry: { id: string }) => entry.id));
      cursor = page.body.cursor;
    } while (cursor);
    expect(pages).toEqual(publicIds);
    expect((await api(`/api/users/${fan.handle}/follow`, { method: "PUT", token: fan.token })).status).toBe(422);
    const unfollowed = await api(`/api/users/${creator.handle}/follow`, { method: "DELETE", token: fan.token });
    expect(unfollowed.body.following).toBe(false);
    expect((await api("/api/feed?tab=following", { token: fan.token })).body.items).toEqual([]);
  });

  it("'Not interested' removes a video from both feeds for that viewer only", async () => {
    const picky = await person();
    await api(`/api/users/${creator.handle}/follow`, { method: "PUT", token: picky.token });
    const dropped = publicIds[1]!;
    expect((await api(`/api/videos/${dropped}/not-interested`, { method: "POST", token: picky.token })).body).toEqual({ ok: true });
    const following = await api("/api/feed?tab=following&limit=30", { token: picky.token });
    expect(following.body.items.map((entry: { id: string }) => entry.id)).not.toContain(dropped);
    const forYou = await readWholeFeed({ token: picky.token, ip: freshIp() });
    expect(forYou.ids).not.toContain(dropped);
    expect(forYou.ids).toEqual(expect.arrayContaining(publicIds.filter((id) => id !== dropped)));
  });

  it("counts shares from anyone", async () => {
    const videoId = publicIds[2]!;
    expect((await api(`/api/videos/${videoId}/share`, { method: "POST" })).body).toEqual({ shares: 1 });
    expect((await api(`/api/videos/${videoId}/share`, { method: "POST", token: viewer.token })).body).toEqual({ shares: 2 });
    expect((await api(`/api/videos/${privateId}/share`, { method: "POST" })).status).toBe(404);
  });

  it("comments: post, reply (one level), like, order by top, delete by author or creator only, and respect 'comments off'", async () => {
    const videoId = publicIds[3]!;
    const first = await api(`/api/videos/${videoId}/comments`, { method: "POST", token: viewer.token, body: { body: "  first!  " } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ body: "first!", parentId: null, likes: 0, replyCount: 0, author: { handle: viewer.handle } });
    expect(first.body.viewer).toEqual({ liked: false, canDelete: true });
    const second = await api(`/api/videos/${videoId}/comments`, { method: "POST", token: stranger.token, body: { body: "second <script>alert(1)</script>" } });
    expect(second.body.body).toBe("second <script>alert(1)</script>");

    const reply = await api(`/api/videos/${videoId}/comments`, { method: "POST", token: stranger.token, body: { body: "a reply", parentId: first.body.id } });
    expect(reply.body.parentId).toBe(first.body.id);
    // A reply to the reply joins the same thread.
    const nested = await api(`/api/videos/${videoId}/comments`, { method: "POST", token: viewer.token, body: { body: "back at you", parentId: reply.body.id } });
    expect(nested.body.parentId).toBe(first.body.id);

    expect((await api(`/api/comments/${second.body.id}/like`, { method: "PUT", token: viewer.token })).body).toEqual({ liked: true, likes: 1 });
    const newest = await api(`/api/videos/${videoId}/comments?order=newest`, { token: viewer.token });
    expect(newest.body.items.map((comment: { id: string }) => comment.id)).toEqual([second.body.id, first.body.id]);
    expect(newest.body.items[1].replyCount).toBe(2);
    expect(newest.body.items[0].viewer).toEqual({ liked: true, canDelete: false });
    const top = await api(`/api/videos/${videoId}/comments?order=top`);
    expect(top.body.items[0].id).toBe(second.body.id);
    const replies = await api(`/api/comments/${first.body.id}/replies`);
    expect(replies.body.items.map((comment: { body: string }) => comment.body)).toEqual(["a reply", "back at you"]);

    // The stream of comments shows in the feed counts.
    const following = await api("/api/feed?tab=following&limit=30", { token: viewer.token });
    expect(following.body.items.find((entry: { id: string }) => entry.id === videoId).stats.comments).toBe(4);

    expect((await api(`/api/comments/${second.body.id}`, { method: "DELETE", token: viewer.token })).status).toBe(403);
    expect((await api(`/api/comments/${second.body.id}`, { method: "DELETE", token: creator.token })).status).toBe(200);
    expect((await api(`/api/comments/${first.body.id}`, { method: "DELETE", token: viewer.token })).status).toBe(200);
    expect((await api(`/api/videos/${videoId}/comments`)).body.items).toEqual([]);
    expect((await api(`/api/comments/${first.body.id}/replies`)).status).toBe(404);

    expect((await api(`/api/videos/${videoId}/comments`, { method: "POST", token: viewer.token, body: { body: "   " } })).status).toBe(422);
    expect((await api(`/api/videos/${videoId}/comments`, { method: "POST", token: viewer.token, body: { body: "x".repeat(501) } })).status).toBe(422);
    const closed = await makeVideo(creator, { allowComments: false });
    const refused = await api(`/api/videos/${closed}/comments`, { method: "POST", token: viewer.token, body: { body: "hello?" } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/turned off/);
    expect((await api(`/api/videos/${privateId}/comments`, { token: viewer.token })).status).toBe(404);
  });

  it("reports: one per reporter and target, with a reason from the list", async () => {
    const videoId = publicIds[4]!;
    const first = await api("/api/reports", { method: "POST", token: viewer.token, body: { type: "video", id: videoId, reason: "spam" } });
    expect(first.status).toBe(201);
    const again = await api("/api/reports", { method: "POST", token: viewer.token, body: { type: "video", id: videoId, reason: "violence", text: "on second thought" } });
    expect(again.body.id).toBe(first.body.id);
    expect(await getDb().report.findUnique({ where: { id: first.body.id } })).toMatchObject({ reason: "VIOLENCE", text: "on second thought", status: "OPEN" });
    const account = await api("/api/reports", { method: "POST", token: viewer.token, body: { type: "user", id: creator.handle, reason: "harassment" } });
    expect(account.status).toBe(201);
    expect((await api("/api/reports", { method: "POST", token: viewer.token, body: { type: "video", id: videoId, reason: "boring" } })).status).toBe(422);
    expect((await api("/api/reports", { method: "POST", token: viewer.token, body: { type: "video", id: privateId, reason: "spam" } })).status).toBe(404);
  });

  it("notifications: stored with a sentence, counted unread, and pushed live over server-sent events", async () => {
    const author = await person();
    const fan = await person();
    const videoId = await makeVideo(author);
    expect((await fetch(`${baseUrl()}/api/notifications/stream`, { headers: { "x-forwarded-for": freshIp() } })).status).toBe(401);

    const controller = new AbortController();
    const stream = await fetch(`${baseUrl()}/api/notifications/stream`, {
      headers: { authorization: `Bearer ${author.token}`, "x-forwarded-for": freshIp() },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let received = "";
    const waitFor = async (pattern: RegExp) => {
      const deadline = Date.now() + 10_000;
      while (!pattern.test(received)) {
        if (Date.now() > deadline) throw new Error(`no event matching ${pattern} in ${received}`);
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        received += decoder.decode(value, { stream: true });
      }
    };
    await waitFor(/event: unread\ndata: \{"unread":0\}/);

    await api(`/api/videos/${videoId}/like`, { method: "PUT", token: fan.token });
    await waitFor(/event: notification\ndata: .*liked your video/);
    await api(`/api/users/${author.handle}/follow`, { method: "PUT", token: fan.token });
    await waitFor(/started following you/);
    controller.abort();

    // Liking your own video notifies nobody.
    await api(`/api/videos/${videoId}/like`, { method: "PUT", token: author.token });
    const listed = await api("/api/notifications", { token: author.token });
    expect(listed.body.unread).toBe(2);
    expect(listed.body.items.map((item: { text: string }) => item.text)).toEqual([`@${fan.handle} started following you`, `@${fan.handle} liked your video`]);
    expect((await api("/api/notifications/read", { method: "POST", token: author.token })).body).toEqual({ unread: 0 });
    expect((await api("/api/notifications", { token: author.token })).body.unread).toBe(0);
    expect((await api("/api/notifications", { token: fan.token })).body.items).toEqual([]);
  });
});
