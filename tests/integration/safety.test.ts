// User-level safety against the running instance: blocking makes two accounts disappear from each other everywhere
// on the very next request (For You, Following, profiles, tag pages, search, comments, notifications), and a blocked
// person trying to like, comment, reply or follow is told why; muting quietly drops an account's videos from the
// muter's feeds, search and tag pages; who may comment (everyone, followers, nobody); and the comment word filter.
// Videos are database rows that look processed (tests/integration/video-rows.ts), so nothing waits for ffmpeg.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { api, baseUrl, freshIp, signIn, signUp } from "../helpers";
import { createTokenFor } from "./tokens-helper";
import { createVideoRow } from "./video-rows";

type Person = { id: string; handle: string; token: string; email: string; password: string };

async function person(): Promise<Person> {
  const account = await signUp();
  await getDb().user.update({ where: { id: account.id }, data: { role: "USER" } });
  return { id: account.id, handle: account.handle, email: account.email, password: account.password, token: await createTokenFor(account.handle) };
}

/** Letters only: one word to full-text search, and a valid hashtag. */
function word(length = 10): string {
  return Array.from(randomBytes(length), (byte) => "abcdefghijklmnopqrstuvwxyz"[byte % 26]).join("");
}

const made: string[] = [];
let minutesAgo = 0;
async function makeVideo(author: Person, caption: string, options: { allowComments?: boolean } = {}): Promise<string> {
  minutesAgo += 1;
  const id = await createVideoRow(author.id, { caption, publishedAt: new Date(Date.now() - minutesAgo * 60_000), linkHashtags: true, ...options });
  made.push(id);
  return id;
}

afterAll(async () => {
  await getDb().video.deleteMany({ where: { id: { in: made } } });
});

const idsOf = (items: Array<{ id: string }>) => items.map((item) => item.id);

/** Every video For You serves this viewer from a fresh start (the seen set is reset first). */
async function wholeForYou(who: Person): Promise<string[]> {
  await api("/api/me/feed/reset", { method: "POST", token: who.token });
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page += 1) {
    const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const response = await api(`/api/feed?tab=foryou&limit=30${suffix}`, { token: who.token });
    expect(response.status).toBe(200);
    ids.push(...idsOf(response.body.items));
    cursor = response.body.cursor;
    if (!cursor || response.body.items.length === 0) break;
  }
  return ids;
}

async function following(who: Person): Promise<string[]> {
  const response = await api("/api/feed?tab=following&limit=30", { token: who.token });
  expect(response.status).toBe(200);
  return idsOf(response.body.items);
}

async function tagVideos(tag: string, who: Person | null): Promise<string[]> {
  const response = await api(`/api/tags/${tag}/videos`, { token: who?.token });
  return response.status === 200 ? idsOf(response.body.videos) : [];
}

async function searchVideos(q: string, who: Person | null): Promise<string[]> {
  const response = await api(`/api/search?type=videos&q=${q}`, { token: who?.token });
  expect(response.status).toBe(200);
  return idsOf(response.body.videos);
}

async function searchUsers(q: string, who: Person | null): Promise<string[]> {
  const response = await api(`/api/search?type=users&q=${q}`, { token: who?.token });
  expect(response.status).toBe(200);
  return response.body.users.map((user: { handle: string }) => user.handle);
}

async function commentBodies(videoId: string, who: Person | null): Promise<string[]> {
  const response = await api(`/api/videos/${videoId}/comments`, { token: who?.token });
  expect(response.status).toBe(200);
  return response.body.items.map((comment: { body: string }) => comment.body);
}

async function page(path: string, who?: { cookie: string }): Promise<{ status: number; html: string }> {
  const response = await fetch(`${baseUrl()}${path}`, { headers: { "x-forwarded-for": freshIp(), ...(who ? { cookie: who.cookie } : {}) }, redirect: "manual" });
  return { status: response.status, html: await response.text() };
}

describe("blocking", () => {
  let blocker: Person;
  let blocked: Person;
  let bystander: Person;
  const tag = word();
  const captionWord = word();
  let blockerVideo: string;
  let blockedVideo: string;
  let bystanderVideo: string;
  let blockerComment: string;
  let blockedComment: string;

  beforeAll(async () => {
    [blocker, blocked, bystander] = await Promise.all([person(), person(), person()]);
    blockerVideo = await makeVideo(blocker, `${captionWord} from the blocker #${tag}`);
    blockedVideo = await makeVideo(blocked, `${captionWord} from the blocked #${tag}`);
    bystanderVideo = await makeVideo(bystander, `${captionWord} from a bystander #${tag}`);
    // They followed each other, commented under a third person's video, and the blocked one liked and followed (which
    // notified the blocker) before the block.
    await api(`/api/users/${blocker.handle}/follow`, { method: "PUT", token: blocked.token });
    await api(`/api/users/${blocked.handle}/follow`, { method: "PUT", token: blocker.token });
    blockerComment = (await api(`/api/videos/${bystanderVideo}/comments`, { method: "POST", token: blocker.token, body: { body: "blocker was here" } })).body.id;
    blockedComment = (await api(`/api/videos/${bystanderVideo}/comments`, { method: "POST", token: blocked.token, body: { body: "blocked was here" } })).body.id;
    expect((await api(`/api/videos/${blockerVideo}/like`, { method: "PUT", token: blocked.token })).status).toBe(200);
    expect((await api("/api/notifications", { token: blocker.token })).body.unread).toBe(2);

    // Before the block, each sees the other everywhere.
    expect(await wholeForYou(blocker)).toContain(blockedVideo);
    expect(await following(blocker)).toContain(blockedVideo);
    expect(await tagVideos(tag, blocker)).toContain(blockedVideo);
    expect(await searchVideos(captionWord, blocker)).toContain(blockedVideo);

    const response = await api(`/api/users/${blocked.handle}/block`, { method: "POST", token: blocker.token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ blocking: true });
  });

  it("ends follows both ways and lists the block in GET /api/me/blocks", async () => {
    expect(await getDb().follow.count({ where: { OR: [{ followerId: blocker.id, followeeId: blocked.id }, { followerId: blocked.id, followeeId: blocker.id }] } })).toBe(0);
    const list = await api("/api/me/blocks", { token: blocker.token });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ handle: blocked.handle, since: expect.any(String) })]);
    // Blocking twice is still one block.
    expect((await api(`/api/users/${blocked.handle}/block`, { method: "POST", token: blocker.token })).status).toBe(200);
    expect((await api("/api/me/blocks", { token: blocker.token })).body.items).toHaveLength(1);
    expect((await api(`/api/users/${blocker.handle}/block`, { method: "POST", token: blocker.token })).status).toBe(422);
  });

  it("the blocker no longer sees the blocked account anywhere", async () => {
    expect(await wholeForYou(blocker)).not.toContain(blockedVideo);
    expect(await wholeForYou(blocker)).toContain(bystanderVideo);
    expect(await following(blocker)).not.toContain(blockedVideo);
    expect(await tagVideos(tag, blocker)).not.toContain(blockedVideo);
    expect(await tagVideos(tag, blocker)).toContain(bystanderVideo);
    expect(await searchVideos(captionWord, blocker)).not.toContain(blockedVideo);
    expect(await searchVideos(captionWord, blocker)).toContain(bystanderVideo);
    expect(await searchUsers(blocked.handle, blocker)).not.toContain(blocked.handle);
    expect(await commentBodies(bystanderVideo, blocker)).toEqual(["blocker was here"]);
    expect((await api(`/api/videos/${blockedVideo}`, { token: blocker.token })).status).toBe(404);

    const notifications = await api("/api/notifications", { token: blocker.token });
    expect(notifications.body.items.map((item: { actor: { handle: string } }) => item.actor.handle)).not.toContain(blocked.handle);
    expect(notifications.body.unread).toBe(0);

    // Their profile is still there for the blocker, with only the way to unblock.
    const profile = await api(`/api/users/${blocked.handle}`, { token: blocker.token });
    expect(profile.status).toBe(200);
    expect(profile.body.viewer).toEqual({ following: false, blocking: true, muting: false });
    const { cookie } = await signIn(blocker.email, blocker.password);
    const html = (await page(`/@${blocked.handle}`, { cookie: cookie! })).html;
    expect(html).toContain('data-testid="profile-blocked"');
    expect(html).not.toContain(`/v/${blockedVideo}`);
  });

  it("the blocked account no longer sees the blocker: profile, videos, comments, feeds, tags, search", async () => {
    expect((await api(`/api/users/${blocker.handle}`, { token: blocked.token })).status).toBe(404);
    const { cookie } = await signIn(blocked.email, blocked.password);
    expect((await page(`/@${blocker.handle}`, { cookie: cookie! })).status).toBe(404);
    expect((await page(`/v/${blockerVideo}`, { cookie: cookie! })).status).toBe(404);
    expect((await page(`/embed/${blockerVideo}`, { cookie: cookie! })).status).toBe(404);
    expect((await api(`/api/videos/${blockerVideo}`, { token: blocked.token })).status).toBe(404);
    expect((await api(`/api/videos/${blockerVideo}/share`, { method: "POST", token: blocked.token })).status).toBe(404);
    // The pages ask with the session, as the API does with the token.
    const tagPage = await page(`/tag/${tag}`, { cookie: cookie! });
    expect(tagPage.html).toContain(`/v/${bystanderVideo}`);
    expect(tagPage.html).not.toContain(`/v/${blockerVideo}`);
    const searchPage = await page(`/search?q=${captionWord}&type=videos`, { cookie: cookie! });
    expect(searchPage.html).toContain(`/v/${bystanderVideo}`);
    expect(searchPage.html).not.toContain(`/v/${blockerVideo}`);
    expect((await page(`/search?q=${blocker.handle}&type=users`, { cookie: cookie! })).html).not.toContain(`/@${blocker.handle}`);
    expect((await api(`/api/videos/${blockerVideo}/comments`, { token: blocked.token })).status).toBe(404);
    expect(await commentBodies(bystanderVideo, blocked)).toEqual(["blocked was here"]);
    expect((await api(`/api/comments/${blockerComment}/replies`, { token: blocked.token })).status).toBe(404);
    expect(await wholeForYou(blocked)).not.toContain(blockerVideo);
    expect(await tagVideos(tag, blocked)).not.toContain(blockerVideo);
    expect(await searchVideos(captionWord, blocked)).not.toContain(blockerVideo);
    expect(await searchUsers(blocker.handle, blocked)).not.toContain(blocker.handle);
    // Everyone else still sees both.
    expect(await commentBodies(bystanderVideo, bystander)).toEqual(["blocked was here", "blocker was here"]);
    expect(await tagVideos(tag, null)).toEqual(expect.arrayContaining([blockerVideo, blockedVideo]));
  });

  it("the blocked account gets a clear 403 trying to like, comment, reply to or follow the blocker", async () => {
    const attempts: Array<[string, string, unknown?]> = [
      [`/api/videos/${blockerVideo}/like`, "PUT"],
      [`/api/videos/${blockerVideo}/comments`, "POST", { body: "let me in" }],
      [`/api/videos/${bystanderVideo}/comments`, "POST", { body: "a reply", parentId: blockerComment }],
      [`/api/comments/${blockerComment}/like`, "PUT"],
      [`/api/users/${blocker.handle}/follow`, "PUT"],
      [`/api/videos/${blockerVideo}/bookmark`, "PUT"],
    ];
    for (const [path, method, body] of attempts) {
      const response = await api(path, { method, token: blocked.token, body });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body.error.code).toBe("forbidden");
      expect(response.body.error.message).toContain(`@${blocker.handle} has blocked you`);
    }
    // The blocker is told too, the other way round.
    const back = await api(`/api/videos/${blockedVideo}/like`, { method: "PUT", token: blocker.token });
    expect(back.status).toBe(403);
    expect(back.body.error.message).toMatch(new RegExp(`You have blocked @${blocked.handle}\\. Unblock them`));
    expect((await api(`/api/users/${blocked.handle}/follow`, { method: "PUT", token: blocker.token })).status).toBe(403);
    // Naming the blocker in a comment elsewhere is not refused, but it does not reach them either.
    const elsewhere = await makeVideo(bystander, "somewhere else");
    expect((await api(`/api/videos/${elsewhere}/comments`, { method: "POST", token: blocked.token, body: { body: `hey @${blocker.handle}` } })).status).toBe(201);
    // Nothing of this reached the blocker's notifications.
    expect((await api("/api/notifications", { token: blocker.token })).body.unread).toBe(0);
  });

  it("a block does not stop reporting: block and report is what someone being harassed does", async () => {
    const report = await api("/api/reports", { method: "POST", token: blocker.token, body: { type: "video", id: blockedVideo, reason: "harassment" } });
    expect(report.status).toBe(201);
    expect((await api("/api/reports", { method: "POST", token: blocker.token, body: { type: "comment", id: blockedComment, reason: "harassment" } })).status).toBe(201);
  });

  it("unblocking brings the content back on the next request, without restoring follows", async () => {
    const response = await api(`/api/users/${blocked.handle}/block`, { method: "DELETE", token: blocker.token });
    expect(response.body).toEqual({ blocking: false });
    expect(await tagVideos(tag, blocker)).toContain(blockedVideo);
    expect(await searchVideos(captionWord, blocker)).toContain(blockedVideo);
    expect((await api(`/api/users/${blocker.handle}`, { token: blocked.token })).status).toBe(200);
    expect(await commentBodies(bystanderVideo, blocked)).toEqual(["blocked was here", "blocker was here"]);
    expect(await following(blocker)).not.toContain(blockedVideo);
    expect((await api("/api/me/blocks", { token: blocker.token })).body.items).toEqual([]);
  });
});

describe("notifications about the other's videos", () => {
  it("a third person's replies and mentions under the blocker's video stop reaching the blocked account, old ones and new", async () => {
    const [blocker, blocked, bystander] = await Promise.all([person(), person(), person()]);
    const videoId = await makeVideo(blocker, "talk to me");
    const first = await api(`/api/videos/${videoId}/comments`, { method: "POST", token: blocked.token, body: { body: "first!" } });
    expect(first.status).toBe(201);
    expect((await api(`/api/videos/${videoId}/comments`, { method: "POST", token: bystander.token, body: { body: "nice one", parentId: first.body.id } })).status).toBe(201);
    const aboutTheVideo = async () => {
      const listed = await api("/api/notifications", { token: blocked.token });
      return { types: listed.body.items.filter((item: { videoId: string | null }) => item.videoId === videoId).map((item: { type: string }) => item.type), unread: listed.body.unread };
    };
    expect(await aboutTheVideo()).toEqual({ types: ["reply"], unread: 1 });

    expect((await api(`/api/users/${blocked.handle}/block`, { method: "POST", token: blocker.token })).status).toBe(200);
    // The bystander did nothing wrong, but the notification would lead the blocked account to the blocker's video.
    expect(await aboutTheVideo()).toEqual({ types: [], unread: 0 });
    // Nor are new ones made (so none is pushed live either): another reply, and a mention, under that video.
    const again = await api(`/api/videos/${videoId}/comments`, { method: "POST", token: bystander.token, body: { body: `@${blocked.handle} still there?`, parentId: first.body.id } });
    expect(again.status).toBe(201);
    expect(await getDb().notification.count({ where: { recipientId: blocked.id, videoId } })).toBe(1);
    // The blocker, whose video it is, still hears of comments on it.
    expect((await api("/api/notifications", { token: blocker.token })).body.items.map((item: { type: string }) => item.type)).toContain("comment");

    // Unblocking lists the old one again, like everything else a block took out of sight.
    await api(`/api/users/${blocked.handle}/block`, { method: "DELETE", token: blocker.token });
    expect((await aboutTheVideo()).types).toEqual(["reply"]);
  });
});

describe("blocking a moderator", () => {
  it("hides nothing from review: the moderator still opens the blocker's videos and profile", async () => {
    const [user, moderator] = await Promise.all([person(), person()]);
    await getDb().user.update({ where: { id: moderator.id }, data: { role: "MODERATOR" } });
    const videoId = await makeVideo(user, "under review");
    await api(`/api/users/${moderator.handle}/block`, { method: "POST", token: user.token });
    expect((await api(`/api/videos/${videoId}`, { token: moderator.token })).status).toBe(200);
    expect((await api(`/api/videos/${videoId}/comments`, { token: moderator.token })).status).toBe(200);
    expect((await api(`/api/users/${user.handle}`, { token: moderator.token })).status).toBe(200);
    // As a person, though, the moderator is blocked like anyone else.
    expect((await api(`/api/videos/${videoId}/like`, { method: "PUT", token: moderator.token })).status).toBe(403);
  });
});

describe("muting", () => {
  it("drops the muted account's videos from the muter's feeds, search and tag pages, and changes nothing for them", async () => {
    const [muter, muted] = await Promise.all([person(), person()]);
    const tag = word();
    const captionWord = word();
    const mutedVideo = await makeVideo(muted, `${captionWord} #${tag}`);
    const muterVideo = await makeVideo(muter, `${captionWord} by the muter #${tag}`);
    await api(`/api/users/${muted.handle}/follow`, { method: "PUT", token: muter.token });
    expect(await following(muter)).toContain(mutedVideo);

    expect((await api(`/api/users/${muted.handle}/mute`, { method: "POST", token: muter.token })).body).toEqual({ muting: true });
    expect(await wholeForYou(muter)).not.toContain(mutedVideo);
    expect(await following(muter)).not.toContain(mutedVideo);
    expect(await tagVideos(tag, muter)).toEqual([muterVideo]);
    expect(await searchVideos(captionWord, muter)).toEqual([muterVideo]);
    // Still following, and the profile is a click away.
    expect((await api(`/api/users/${muted.handle}`, { token: muter.token })).body.viewer).toEqual({ following: true, blocking: false, muting: true });
    expect((await api("/api/me/mutes", { token: muter.token })).body.items.map((item: { handle: string }) => item.handle)).toEqual([muted.handle]);

    // The muted account notices nothing.
    expect(await tagVideos(tag, muted)).toEqual(expect.arrayContaining([mutedVideo, muterVideo]));
    expect((await api(`/api/videos/${muterVideo}/like`, { method: "PUT", token: muted.token })).status).toBe(200);

    expect((await api(`/api/users/${muted.handle}/mute`, { method: "DELETE", token: muter.token })).body).toEqual({ muting: false });
    expect(await following(muter)).toContain(mutedVideo);
  });

  it("hides the muted account's comments and their videos from the muter's hashtag counts", async () => {
    const [muter, muted, creator] = await Promise.all([person(), person(), person()]);
    const tag = word();
    const video = await makeVideo(creator, `talk #${tag}`);
    await makeVideo(muted, `more #${tag}`);
    const said = `muted says ${word()}`;
    expect((await api(`/api/videos/${video}/comments`, { method: "POST", token: muted.token, body: { body: said } })).status).toBe(201);
    expect(await commentBodies(video, muter)).toContain(said);
    const tagCount = async () => (await api(`/api/search?type=hashtags&q=${tag}`, { token: muter.token })).body.hashtags.find((found: { name: string }) => found.name === tag)?.videos;
    expect(await tagCount()).toBe(2);

    await api(`/api/users/${muted.handle}/mute`, { method: "POST", token: muter.token });
    expect(await commentBodies(video, muter)).not.toContain(said);
    expect(await tagCount()).toBe(1);
    // Everyone else still sees the comment.
    expect(await commentBodies(video, creator)).toContain(said);
  });
});

describe("who may comment", () => {
  it("everyone, followers only, or nobody: enforced with a 403 that says why, and told to the comments drawer", async () => {
    const [creator, fan, stranger] = await Promise.all([person(), person(), person()]);
    const videoId = await makeVideo(creator, "comment rules");
    await api(`/api/users/${creator.handle}/follow`, { method: "PUT", token: fan.token });

    const settings = await api("/api/me/comment-settings", { token: creator.token });
    expect(settings.body).toEqual({ commentPolicy: "everyone", filterWords: [] });
    expect((await api(`/api/videos/${videoId}/comments`, { token: stranger.token })).body.commenting).toEqual({ allowed: true, reason: null });

    expect((await api("/api/me/comment-settings", { method: "PATCH", token: creator.token, body: { commentPolicy: "followers" } })).body.commentPolicy).toBe("followers");
    const refused = await api(`/api/videos/${videoId}/comments`, { method: "POST", token: stranger.token, body: { body: "hi" } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(`Only people who follow @${creator.handle} can comment on their videos.`);
    expect((await api(`/api/videos/${videoId}/comments`, { token: stranger.token })).body.commenting).toEqual({ allowed: false, reason: refused.body.error.message });
    expect((await api(`/api/videos/${videoId}/comments`, { method: "POST", token: fan.token, body: { body: "hi from a fan" } })).status).toBe(201);
    expect((await api(`/api/videos/${videoId}/comments`, { token: fan.token })).body.commenting.allowed).toBe(true);

    await api("/api/me/comment-settings", { method: "PATCH", token: creator.token, body: { commentPolicy: "nobody" } });
    const nobody = await api(`/api/videos/${videoId}/comments`, { method: "POST", token: fan.token, body: { body: "still there?" } });
    expect(nobody.status).toBe(403);
    expect(nobody.body.error.message).toMatch(/turned off comments/);
    // The creator may still comment on their own video; comments already posted stay.
    expect((await api(`/api/videos/${videoId}/comments`, { method: "POST", token: creator.token, body: { body: "thanks all" } })).status).toBe(201);
    expect(await commentBodies(videoId, stranger)).toEqual(["thanks all", "hi from a fan"]);

    // The per-video switch still applies on top of "everyone".
    await api("/api/me/comment-settings", { method: "PATCH", token: creator.token, body: { commentPolicy: "everyone" } });
    const closed = await makeVideo(creator, "no comments here", { allowComments: false });
    expect((await api(`/api/videos/${closed}/comments`, { method: "POST", token: fan.token, body: { body: "hm" } })).body.error.message).toMatch(/turned off/);

    for (const bad of [{ commentPolicy: "friends" }, { unknown: 1 }, {}, { filterWords: ["x".repeat(51)] }]) {
      expect((await api("/api/me/comment-settings", { method: "PATCH", token: creator.token, body: bad })).status).toBe(422);
    }
  });
});

describe("comment word filter", () => {
  it("hides matching comments from everyone but their writer, silently, and re-applies when the list changes", async () => {
    const [creator, writer, reader] = await Promise.all([person(), person(), person()]);
    const videoId = await makeVideo(creator, "filter me");
    const saved = await api("/api/me/comment-settings", { method: "PATCH", token: creator.token, body: { filterWords: [" Spoiler ", "spoiler", "free money"] } });
    expect(saved.body.filterWords).toEqual(["spoiler", "free money"]);

    const hidden = await api(`/api/videos/${videoId}/comments`, { method: "POST", token: writer.token, body: { body: "Huge SPOILER: it was a dream" } });
    expect(hidden.status).toBe(201);
    await api(`/api/videos/${videoId}/comments`, { method: "POST", token: writer.token, body: { body: "lovely light" } });
    const reply = await api(`/api/videos/${videoId}/comments`, { method: "POST", token: writer.token, body: { body: "get FREE  money", parentId: hidden.body.id } });
    expect(reply.status).toBe(201);

    expect(await commentBodies(videoId, writer)).toEqual(["lovely light", "Huge SPOILER: it was a dream"]);
    for (const other of [reader, creator, null]) expect(await commentBodies(videoId, other)).toEqual(["lovely light"]);
    expect((await api(`/api/comments/${hidden.body.id}/replies`, { token: reader.token })).status).toBe(404);
    expect((await api(`/api/comments/${hidden.body.id}/like`, { method: "PUT", token: reader.token })).status).toBe(404);
    // Nobody was told about the filtered ones: only "lovely light" notified the creator.
    const notified = await api("/api/notifications", { token: creator.token });
    expect(notified.body.items.filter((item: { type: string }) => item.type === "comment")).toHaveLength(1);

    // Emptying the list shows them again, at once; filtering again hides them again.
    await api("/api/me/comment-settings", { method: "PATCH", token: creator.token, body: { filterWords: [] } });
    expect(await commentBodies(videoId, reader)).toEqual(["lovely light", "Huge SPOILER: it was a dream"]);
    expect((await api(`/api/comments/${hidden.body.id}/replies`, { token: reader.token })).body.items.map((item: { body: string }) => item.body)).toEqual([
      "get FREE  money",
    ]);
    await api("/api/me/comment-settings", { method: "PATCH", token: creator.token, body: { filterWords: ["dream"] } });
    expect(await commentBodies(videoId, reader)).toEqual(["lovely light"]);
    // The creator's own comments are never filtered by their own list.
    await api(`/api/videos/${videoId}/comments`, { method: "POST", token: creator.token, body: { body: "it was not a dream" } });
    expect(await commentBodies(videoId, reader)).toEqual(["it was not a dream", "lovely light"]);
  });
});
