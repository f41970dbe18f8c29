// Server-rendered pages around the feed, read as a crawler or a browser receives them: link previews on /v/<id>, the
// /embed/<id> player, profile tabs (Liked and Bookmarks for the owner only), private videos hidden from everyone but
// their author, and what people write always rendered as text.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import type { Visibility } from "@/lib/generated/prisma/enums";
import { api, baseUrl, freshIp, signIn, signUp } from "../helpers";
import { createTokenFor } from "./tokens-helper";
import { createVideoRow } from "./video-rows";

type Person = { id: string; handle: string; token: string; cookie: string };

async function person(): Promise<Person> {
  const account = await signUp();
  await getDb().user.update({ where: { id: account.id }, data: { role: "USER" } });
  const { cookie } = await signIn(account.email, account.password);
  return { id: account.id, handle: account.handle, token: await createTokenFor(account.handle), cookie: cookie! };
}

async function makeVideo(author: Person, caption: string, visibility: Visibility = "PUBLIC"): Promise<string> {
  return createVideoRow(author.id, {
    caption,
    visibility,
    data: {
      posterKey: "videos/x/a1-s0/poster.webp",
      media: { poster: "videos/x/a1-s0/poster.webp", posterJpeg: "videos/x/a1-s0/poster.jpg" },
      width: 1080,
      height: 1920,
      durationMs: 12_000,
    },
  });
}

async function page(path: string, cookie?: string): Promise<{ status: number; html: string }> {
  const response = await fetch(`${baseUrl()}${path}`, { headers: { "x-forwarded-for": freshIp(), ...(cookie ? { cookie } : {}) }, redirect: "manual" });
  return { status: response.status, html: await response.text() };
}

function meta(html: string, key: string): string | null {
  const pattern = new RegExp(`<meta (?:property|name)="${key.replace(/[:.]/g, "\\$&")}" content="([^"]*)"`);
  return pattern.exec(html)?.[1] ?? null;
}

describe("pages", () => {
  let author: Person;
  let other: Person;
  let publicId: string;
  let privateId: string;
  const XSS = `<img src=x onerror="alert('pwned')"><script>alert(1)</script>`;

  beforeAll(async () => {
    [author, other] = await Promise.all([person(), person()]);
    publicId = await makeVideo(author, `Sunset timelapse #sunset\n${XSS}`);
    privateId = await makeVideo(author, "just for me", "PRIVATE");
    await getDb().user.update({ where: { id: author.id }, data: { bio: `I film skies ${XSS}` } });
  });

  // These rows name media that was never made; feeds in later test files (and browsers) must not be served them.
  afterAll(async () => {
    await getDb().video.deleteMany({ where: { authorId: author.id } });
  });

  it("a video page carries Open Graph and Twitter player meta with absolute URLs", async () => {
    const { status, html } = await page(`/v/${publicId}`);
    expect(status).toBe(200);
    expect(meta(html, "og:type")).toBe("video.other");
    expect(meta(html, "og:title")).toBe("Sunset timelapse #sunset");
    expect(meta(html, "og:image")).toMatch(/^http:\/\/.+\/media\/videos\/x\/a1-s0\/poster\.jpg$/);
    expect(meta(html, "og:image:width")).toBe("1080");
    expect(meta(html, "og:image:height")).toBe("1920");
    expect(meta(html, "og:video")).toMatch(new RegExp(`^http://.+/media/videos/${publicId}/a1-s0/master\\.m3u8$`));
    expect(meta(html, "og:video:type")).toBe("application/x-mpegURL");
    expect(meta(html, "twitter:card")).toBe("player");
    expect(meta(html, "twitter:player")).toMatch(new RegExp(`^http://.+/embed/${publicId}$`));
  });

  it("the embed page plays the video alone", async () => {
    const { status, html } = await page(`/embed/${publicId}`);
    expect(status).toBe(200);
    expect(html).toContain('data-testid="player"');
    expect(html).toContain(`href="/v/${publicId}"`);
    expect((await page("/embed/no-such-video")).status).toBe(404);
  });

  it("a private video's page and embed are 404 to everyone but its author, and carry no preview meta", async () => {
    expect((await page(`/v/${privateId}`)).status).toBe(404);
    expect((await page(`/v/${privateId}`, other.cookie)).status).toBe(404);
    expect((await page(`/embed/${privateId}`, other.cookie)).status).toBe(404);
    const own = await page(`/v/${privateId}`, author.cookie);
    expect(own.status).toBe(200);
    expect(meta(own.html, "og:video")).toBeNull();
  });

  it("captions and bios are rendered as text, never as markup", async () => {
    for (const { html } of [await page(`/v/${publicId}`), await page(`/@${author.handle}`)]) {
      expect(html).not.toContain("<script>alert(1)</script>");
      expect(html).not.toContain(`<img src=x onerror`);
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    }
  });

  it("profile: Liked and Bookmarks tabs only for the owner, and a follow button for others", async () => {
    await api(`/api/videos/${publicId}/like`, { method: "PUT", token: other.token });
    await api(`/api/videos/${publicId}/bookmark`, { method: "PUT", token: other.token });

    const own = await page(`/@${other.handle}?tab=liked`, other.cookie);
    expect(own.html).toContain(`href="/v/${publicId}"`);
    expect(own.html).toContain(">Bookmarks</a>");
    expect((await page(`/@${other.handle}?tab=bookmarks`, other.cookie)).html).toContain(`href="/v/${publicId}"`);

    // Someone else asking for those tabs gets the Videos tab, which is empty for this account.
    const visitor = await page(`/@${other.handle}?tab=bookmarks`, author.cookie);
    expect(visitor.html).not.toContain(`href="/v/${publicId}"`);
    expect(visitor.html).not.toContain(">Bookmarks</a>");
    expect(visitor.html).toContain('data-testid="profile-follow"');

    // The author's Videos tab lists the public video, never the private one, to anyone but the author.
    const authorPage = await page(`/@${author.handle}`, other.cookie);
    expect(authorPage.html).toContain(`href="/v/${publicId}"`);
    expect(authorPage.html).not.toContain(`href="/v/${privateId}"`);
  });

  it("installs as an app: a manifest whose icons are served", async () => {
    const response = await fetch(`${baseUrl()}/manifest.webmanifest`);
    expect(response.status).toBe(200);
    const manifest = (await response.json()) as { name: string; display: string; start_url: string; icons: Array<{ src: string; sizes: string }> };
    expect(manifest).toMatchObject({ name: "Flick", display: "standalone", start_url: "/" });
    expect(manifest.icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
    for (const icon of manifest.icons) {
      const served = await fetch(`${baseUrl()}${icon.src}`);
      expect(served.status, icon.src).toBe(200);
      expect(served.headers.get("content-type")).toMatch(/^image\//);
    }
    const home = await page("/");
    expect(home.html).toContain('rel="manifest" href="/manifest.webmanifest"');
  });

  it("the notifications page lists what happened, for its owner only", async () => {
    expect((await page("/notifications")).status).toBe(307);
    await api(`/api/users/${author.handle}/follow`, { method: "PUT", token: other.token });
    const { status, html } = await page("/notifications", author.cookie);
    expect(status).toBe(200);
    expect(html).toContain("started following you");
    expect(html).toContain("liked your video");
  });
});
