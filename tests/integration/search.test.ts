// Search and hashtag pages against the running test instance and real PostgreSQL (pg_trgm, full text). Videos are
// made as database rows (already "processed"), with their hashtags linked as the publishing API links them. Words
// that must not collide with other test files' rows get a random suffix; the brief's own examples ("dnace",
// "cokking") are used literally and asserted by inclusion, so other rows in the shared database cannot break them.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import type { ModerationState, VideoStatus, Visibility } from "@/lib/generated/prisma/enums";
import { api, baseUrl, freshIp, signUp } from "../helpers";
import { createVideoRow } from "./video-rows";

/** Letters only, so it reads as one word to full-text search and is a valid hashtag and handle. */
function word(length = 8): string {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  return Array.from(randomBytes(length), (byte) => letters[byte % 26]).join("");
}

type Person = { id: string; handle: string };

async function person(handle?: string): Promise<Person> {
  const account = await signUp(handle ? { handle } : {});
  return { id: account.id, handle: account.handle };
}

const made: string[] = [];
let minutesAgo = 0;

async function makeVideo(
  author: Person,
  caption: string,
  options: { visibility?: Visibility; status?: VideoStatus; moderation?: ModerationState; likes?: Person[] } = {},
): Promise<string> {
  minutesAgo += 1;
  const publishedAt = new Date(Date.now() - minutesAgo * 60_000);
  const { likes, ...row } = options;
  const id = await createVideoRow(author.id, { caption, publishedAt, linkHashtags: true, ...row });
  for (const fan of likes ?? []) await getDb().like.create({ data: { userId: fan.id, videoId: id } });
  made.push(id);
  return id;
}

const ids = (list: Array<{ id: string }>) => list.map((item) => item.id);

afterAll(async () => {
  await getDb().video.deleteMany({ where: { id: { in: made } } });
});

describe("search", () => {
  let creator: Person;
  let fans: Person[];
  beforeAll(async () => {
    creator = await person();
    fans = await Promise.all([person(), person(), person()]);
  });

  it("finds a video through a misspelled hashtag, and a misspelled caption word", async () => {
    const dance = await makeVideo(creator, "Friday night #dance party");
    const cooking = await makeVideo(creator, "#cooking pasta");

    const dnace = await api("/api/search?q=dnace");
    expect(dnace.status).toBe(200);
    expect(ids(dnace.body.videos)).toContain(dance);
    expect(dnace.body.hashtags.map((tag: { name: string }) => tag.name)).toContain("dance");

    const cokking = await api("/api/search?q=cokking");
    expect(ids(cokking.body.videos)).toContain(cooking);
    const videosTab = await api("/api/search?q=cokking&type=videos");
    expect(ids(videosTab.body.videos)).toContain(cooking);

    // A typo in a caption word that is no hashtag: found by word similarity against the caption itself.
    const lasagna = await makeVideo(creator, "grandma makes lasagna on sundays");
    expect(ids((await api("/api/search?q=lasagan&type=videos")).body.videos)).toContain(lasagna);

    // Correctly spelled, through the English stemmer: "cooked" and "cooking" share the stem "cook".
    expect(ids((await api("/api/search?q=cooked&type=videos")).body.videos)).toContain(cooking);
  });

  it("answers in the documented shape", async () => {
    const unique = word();
    await makeVideo(creator, `shape check #${unique}`, { likes: [fans[0]!] });
    const response = await api(`/api/search?q=${unique}`);
    expect(Object.keys(response.body)).toEqual(expect.arrayContaining(["users", "videos", "hashtags", "cursor"]));
    const [video] = response.body.videos;
    expect(Object.keys(video).sort()).toEqual(["author", "caption", "id", "likes", "poster"]);
    expect(video).toMatchObject({ caption: `shape check #${unique}`, author: { handle: creator.handle }, likes: 1 });
    expect(response.body.hashtags).toEqual([{ name: unique, videos: 1 }]);
    const users = await api(`/api/search?q=${creator.handle}&type=users`);
    expect(users.body.users[0]).toEqual({ handle: creator.handle, name: creator.handle, avatar: null, followers: 0 });
  });

  it("never shows private, unlisted, unfinished or held videos, or anything of a banned account", async () => {
    const secret = word();
    const banned = await person();
    const listed = await makeVideo(creator, `the ${secret} reveal`);
    const hidden = [
      await makeVideo(creator, `private ${secret}`, { visibility: "PRIVATE" }),
      await makeVideo(creator, `unlisted ${secret}`, { visibility: "UNLISTED" }),
      await makeVideo(creator, `processing ${secret}`, { status: "PROCESSING" }),
      await makeVideo(creator, `failed ${secret}`, { status: "FAILED" }),
      await makeVideo(creator, `held ${secret}`, { moderation: "HELD" }),
      await makeVideo(banned, `banned ${secret}`),
    ];
    // A tag only private videos carry must not surface either, not even as a name.
    const privateTag = word();
    await makeVideo(creator, `#${privateTag}`, { visibility: "PRIVATE" });
    await getDb().user.update({ where: { id: banned.id }, data: { status: "BANNED" } });

    for (const type of ["all", "videos"]) {
      const found = ids((await api(`/api/search?q=${secret}&type=${type}`)).body.videos);
      expect(found).toContain(listed);
      for (const id of hidden) expect(found).not.toContain(id);
    }
    const typo = ids((await api(`/api/search?q=${secret.slice(0, -1)}x&type=videos`)).body.videos);
    for (const id of hidden) expect(typo).not.toContain(id);
    expect((await api(`/api/search?q=${privateTag}`)).body.hashtags).toEqual([]);
    expect((await api(`/api/search?q=${privateTag}`)).body.videos).toEqual([]);
    expect((await api(`/api/search?q=${banned.handle}&type=users`)).body.users.map((user: { handle: string }) => user.handle)).not.toContain(banned.handle);
  });

  it("ranks the exact match first", async () => {
    const stem = word(7);
    // The near match is more popular, and would win on likes or recency alone.
    const exact = await makeVideo(creator, `#${stem} the original`);
    const near = await makeVideo(creator, `#${stem}s everywhere`, { likes: fans });
    const videos = ids((await api(`/api/search?q=${stem}&type=videos`)).body.videos);
    expect(videos.slice(0, 2)).toEqual([exact, near]);
    const tags = (await api(`/api/search?q=${stem}&type=hashtags`)).body.hashtags.map((tag: { name: string }) => tag.name);
    expect(tags.slice(0, 2)).toEqual([stem, `${stem}s`]);

    const handle = word(10);
    const [fan, person1] = [await person(`${handle}_fan`), await person(handle)];
    await getDb().follow.createMany({ data: fans.map((follower) => ({ followerId: follower.id, followeeId: fan.id })) });
    const users = (await api(`/api/search?q=@${handle}&type=users`)).body.users.map((user: { handle: string }) => user.handle);
    expect(users.slice(0, 2)).toEqual([person1.handle, fan.handle]);
    // A typo in the handle still finds the account.
    const typo = `${handle.slice(0, 4)}${handle[5]}${handle[4]}${handle.slice(6)}`;
    expect((await api(`/api/search?q=${typo}&type=users`)).body.users.map((user: { handle: string }) => user.handle)).toContain(person1.handle);
  });

  it("pages a single kind with a cursor, without repeats", async () => {
    const topic = word();
    const all = [];
    for (let index = 0; index < 30; index += 1) all.push(await makeVideo(creator, `${topic} part ${index}`));
    const first = await api(`/api/search?q=${topic}&type=videos`);
    expect(first.body.videos).toHaveLength(24);
    expect(typeof first.body.cursor).toBe("string");
    const second = await api(`/api/search?q=${topic}&type=videos&cursor=${encodeURIComponent(first.body.cursor)}`);
    expect(second.body.videos).toHaveLength(6);
    expect(second.body.cursor).toBeNull();
    expect(new Set([...ids(first.body.videos), ...ids(second.body.videos)])).toEqual(new Set(all));
    // The Top tab is a glance: limited sections, no cursor.
    const top = await api(`/api/search?q=${topic}`);
    expect(top.body.videos.length).toBeLessThanOrEqual(12);
    expect(top.body.cursor).toBeNull();
  });

  it.each([
    ["/api/search?q=", 422, /Type something to search for/],
    ["/api/search?q=%20%20", 422, /Type something to search for/],
    ["/api/search", 422, /Type something to search for/],
    [`/api/search?q=${"a".repeat(101)}`, 422, /at most 100 characters/],
    ["/api/search?q=dance&type=people", 422, /type must be one of all, users, videos or hashtags/],
    ["/api/search?q=dance&type=videos&cursor=not-a-cursor", 400, /cursor is not valid/],
  ])("GET %s → %i with a clear message", async (path, status, message) => {
    const response = await api(path);
    expect(response.status).toBe(status);
    expect(response.body.error.message).toMatch(message);
  });

  it("returns an XSS payload in a caption as plain data, and the page shows it as text", async () => {
    const marker = word();
    const payload = `<img src=x onerror="alert('${marker}')"><script>alert(1)</script> ${marker}`;
    const id = await makeVideo(creator, payload);
    const response = await api(`/api/search?q=${marker}&type=videos`);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.body.videos.find((video: { id: string }) => video.id === id)?.caption).toBe(payload);

    const page = await fetch(`${baseUrl()}/search?q=${marker}&type=videos`, { headers: { "x-forwarded-for": freshIp() } });
    const html = await page.text();
    expect(html).toContain(`href="/v/${id}"`);
    expect(html).not.toContain(`<img src=x onerror`);
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("renders /search from the query string, with tabs and links to accounts, videos and tags", async () => {
    const topic = word();
    const fan = await person(`${topic}_maker`);
    const id = await makeVideo(fan, `#${topic} tutorial`);
    const page = await fetch(`${baseUrl()}/search?q=${topic}`, { headers: { "x-forwarded-for": freshIp() } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`value="${topic}"`);
    for (const tab of ["Top", "Users", "Videos", "Hashtags"]) expect(html).toContain(`>${tab}</a>`);
    expect(html).toContain(`href="/@${fan.handle}"`);
    expect(html).toContain(`href="/v/${id}"`);
    expect(html).toContain(`href="/tag/${topic}"`);

    const empty = await fetch(`${baseUrl()}/search`, { headers: { "x-forwarded-for": freshIp() } });
    expect(empty.status).toBe(200);
    expect(await empty.text()).toContain("Search for people");
  });
});

describe("hashtag pages", () => {
  let creator: Person;
  beforeAll(async () => {
    creator = await person();
  });

  it("lists a tag's listed videos newest first, paged by cursor, with the count", async () => {
    const tag = word();
    const newestFirst: string[] = [];
    // Made oldest first: each makeVideo is published a minute before the previous one, so reverse the order.
    for (let index = 0; index < 26; index += 1) newestFirst.push(await makeVideo(creator, `step ${index} #${tag}`));
    await makeVideo(creator, `not for everyone #${tag}`, { visibility: "PRIVATE" });

    const first = await api(`/api/tags/${tag}/videos`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ name: tag, count: 26 });
    expect(ids(first.body.videos)).toEqual(newestFirst.slice(0, 24));
    expect(Object.keys(first.body.videos[0]).sort()).toEqual(["author", "caption", "id", "likes", "poster"]);
    const second = await api(`/api/tags/${tag}/videos?cursor=${encodeURIComponent(first.body.cursor)}`);
    expect(ids(second.body.videos)).toEqual(newestFirst.slice(24));
    expect(second.body.cursor).toBeNull();

    // "#Tag" in any case names the same tag.
    expect((await api(`/api/tags/%23${tag.toUpperCase()}/videos`)).body.name).toBe(tag);

    const page = await fetch(`${baseUrl()}/tag/${tag}`, { headers: { "x-forwarded-for": freshIp() } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`>#${tag}</h1>`);
    expect(html).toContain(">26 videos</p>");
    expect(html).toContain(`href="/v/${newestFirst[0]}"`);
    expect(html).toContain(`/tag/${tag}?cursor=`);
  });

  it("answers an unknown tag, a tag only private videos carry, and a bad cursor with a clear error", async () => {
    const unknown = word();
    const missing = await api(`/api/tags/${unknown}/videos`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(`No videos are tagged #${unknown} yet.`);
    expect((await fetch(`${baseUrl()}/tag/${unknown}`, { headers: { "x-forwarded-for": freshIp() } })).status).toBe(404);

    const privateTag = word();
    await makeVideo(creator, `#${privateTag}`, { visibility: "PRIVATE" });
    expect((await api(`/api/tags/${privateTag}/videos`)).status).toBe(404);
    expect((await fetch(`${baseUrl()}/tag/${privateTag}`, { headers: { "x-forwarded-for": freshIp() } })).status).toBe(404);

    expect((await api("/api/tags/not%20a%20tag/videos")).status).toBe(404);
    const tag = word();
    await makeVideo(creator, `#${tag}`);
    const badCursor = await api(`/api/tags/${tag}/videos?cursor=nope`);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.message).toMatch(/cursor is not valid/);
  });
});
