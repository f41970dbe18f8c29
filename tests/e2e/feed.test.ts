// The feed in Chromium against an instance seeded with real videos (uploaded and transcoded by the pipeline): the first
// video plays on a rung above the lowest, ↓ and the wheel land on a video that is already playing, a like survives a
// reload, a reply appears, following fills the Following tab, a notification arrives live in another browser, and what
// people write renders as text.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { baseUrl, freshIp } from "../helpers";
import { publish, uploadFile, waitForVideo } from "../integration/upload-helpers";
import { account, contextFor, launchChromium, waitForPlaying, type Account } from "./browser";

const run = promisify(execFile);
const XSS_CAPTION = `Night drive <img src=x onerror="window.__pwned=1"> <script>window.__pwned=1</script> #drive`;

function activeItem(page: Page) {
  return page.locator('[data-testid="feed-item"][data-active="true"]');
}

describe("the feed in a browser", () => {
  let browser: Browser;
  let creator: Account;
  const videoIds: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium({ autoplay: true });
    creator = await account();
    const dir = mkdtempSync(path.join(tmpdir(), "flick-feed-e2e-"));
    const captions = ["Morning run #running", "Pasta night #cooking", XSS_CAPTION, "Sunset over the bay #sunset"];
    for (const [index, caption] of captions.entries()) {
      // 720×1280: a three-rung ladder (360p, 540p, 720p), so starting above the lowest rung is observable.
      const clip = path.join(dir, `clip-${index}.mp4`);
      await run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", `testsrc2=size=720x1280:rate=30,hue=h=${index * 60}`, "-f", "lavfi", "-i", `sine=frequency=${300 + index * 50}`,
        "-t", "6", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", clip]);
      const uploadId = await uploadFile({ token: creator.token }, clip);
      const published = await publish({ token: creator.token }, uploadId, { caption });
      expect(published.status).toBe(201);
      videoIds.push(published.body.id);
    }
    for (const id of videoIds) expect((await waitForVideo({ token: creator.token }, id)).status).toBe("ready");
    // Likes from a few accounts put these videos at the top of trending, ahead of anything other test files left.
    for (let index = 0; index < 3; index += 1) {
      const fan = await account();
      for (const id of videoIds) await fetch(`${baseUrl()}/api/videos/${id}/like`, { method: "PUT", headers: { authorization: `Bearer ${fan.token}`, "x-forwarded-for": freshIp() } });
    }
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("starts playing at once above the lowest rung, and ↓ and the wheel land on videos that are already playing", async () => {
    const context = await contextFor(browser, null);
    const page = await context.newPage();
    await page.goto(baseUrl());
    await waitForPlaying(page, 0);
    const first = activeItem(page).locator('[data-testid="feed-video"]');
    // Above the lowest rung, as bandwidth on localhost allows: at once when the browser's bandwidth estimate says so,
    // else within the first segments as hls.js measures.
    await page.waitForFunction(() => Number(document.querySelector<HTMLVideoElement>('[data-testid="feed-item"][data-active="true"] video')?.dataset.level ?? 0) > 0, undefined, {
      timeout: 15_000,
    });
    expect(Number(await first.getAttribute("data-levels"))).toBeGreaterThan(1);

    // The next two are preloaded: they have buffered media before anyone swipes to them.
    await page.waitForFunction(() => {
      const videos = [...document.querySelectorAll<HTMLVideoElement>('[data-testid="feed-item"] video')].slice(1, 3);
      return videos.length === 2 && videos.every((video) => video.buffered.length > 0);
    }, undefined, { timeout: 20_000 });

    await page.keyboard.press("ArrowDown");
    await waitForPlaying(page, 1);
    // Only one video moves at a time; the ones a swipe away are primed: running at rate 0, still on their first frame.
    const states = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLVideoElement>('[data-testid="feed-video"]')].map((video) => ({ paused: video.paused, rate: video.playbackRate, time: video.currentTime })),
    );
    expect(states.filter((state) => !state.paused && state.rate > 0)).toHaveLength(1);
    expect(states[1]).toMatchObject({ paused: false, rate: 1 });
    await page.waitForFunction(() => {
      const video = document.querySelectorAll<HTMLVideoElement>('[data-testid="feed-video"]')[2];
      return !!video && !video.paused && video.playbackRate === 0;
    }, undefined, { timeout: 10_000 });
    expect(states.filter((state) => !state.paused && state.rate === 0).every((state) => state.time < 0.1)).toBe(true);

    await page.mouse.move(195, 400);
    await page.mouse.wheel(0, 600);
    await waitForPlaying(page, 2);
    await page.keyboard.press("k");
    await waitForPlaying(page, 1);
    await context.close();
  });

  it("follow fills Following; a like there survives a reload; a reply appears in the comments", async () => {
    const viewer = await account();
    const context = await contextFor(browser, viewer);
    const page = await context.newPage();
    await page.goto(baseUrl());
    await waitForPlaying(page, 0);

    // Follow the creator from one of their videos (find one in the For You feed).
    await page.goto(`${baseUrl()}/@${creator.handle}`);
    // The button turns "Following" at once (optimistic); navigating before the server has the follow could render an
    // empty Following tab, so wait for its answer.
    const followed = page.waitForResponse((response) => response.url().includes("/follow") && response.request().method() === "PUT");
    await page.getByTestId("profile-follow").click();
    expect((await followed).status()).toBe(200);
    await expect.poll(() => page.getByTestId("profile-follow").getAttribute("aria-pressed")).toBe("true");

    await page.goto(`${baseUrl()}/?tab=following`);
    await waitForPlaying(page, 0);
    const ids = await page.locator('[data-testid="feed-item"]').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.videoId));
    expect(ids).toEqual([...videoIds].reverse());

    const like = activeItem(page).getByTestId("like-button");
    const before = Number(await activeItem(page).getByTestId("like-count").textContent());
    await like.click();
    await expect.poll(() => like.getAttribute("aria-pressed")).toBe("true");
    await expect.poll(async () => Number(await activeItem(page).getByTestId("like-count").textContent())).toBe(before + 1);
    await page.waitForResponse((response) => response.url().includes("/like") && response.request().method() === "PUT").catch(() => undefined);
    await page.reload();
    await waitForPlaying(page, 0);
    await expect.poll(() => activeItem(page).getByTestId("like-button").getAttribute("aria-pressed")).toBe("true");
    expect(Number(await activeItem(page).getByTestId("like-count").textContent())).toBe(before + 1);

    await activeItem(page).getByTestId("comment-button").click();
    const drawer = page.getByTestId("comments-drawer");
    await drawer.waitFor();
    await drawer.getByTestId("comment-input").fill("Where is this? @" + creator.handle);
    await drawer.getByTestId("comment-submit").click();
    const comment = drawer.getByTestId("comment").filter({ hasText: "Where is this?" });
    await comment.waitFor();
    await comment.getByTestId("comment-reply").click();
    await drawer.getByTestId("comment-input").fill("Lisbon, last summer");
    await drawer.getByTestId("comment-submit").click();
    await drawer.getByTestId("comment-body").filter({ hasText: "Lisbon, last summer" }).waitFor();
    const stored = await getDb().comment.findFirst({ where: { body: "Lisbon, last summer" }, select: { parentId: true } });
    expect(stored?.parentId).toBeTruthy();
    await context.close();
  });

  it("a notification reaches the creator's other browser live, without a reload", async () => {
    const creatorContext = await contextFor(browser, creator);
    const creatorPage = await creatorContext.newPage();
    await creatorPage.goto(`${baseUrl()}/@${creator.handle}`);
    await creatorPage.getByTestId("nav-notifications").waitFor();
    // Let the event stream connect before anything happens.
    await creatorPage.waitForTimeout(1000);
    const before = Number((await creatorPage.getByTestId("unread-badge").textContent({ timeout: 1000 }).catch(() => "0")) ?? "0");

    const fan = await account();
    await fetch(`${baseUrl()}/api/users/${creator.handle}/follow`, { method: "PUT", headers: { authorization: `Bearer ${fan.token}`, "x-forwarded-for": freshIp() } });
    await expect.poll(async () => Number(await creatorPage.getByTestId("unread-badge").textContent().catch(() => "0")), { timeout: 10_000 }).toBe(before + 1);
    await creatorContext.close();
  });

  it("a caption with markup renders as text in the feed", async () => {
    const viewer = await account();
    await fetch(`${baseUrl()}/api/users/${creator.handle}/follow`, { method: "PUT", headers: { authorization: `Bearer ${viewer.token}`, "x-forwarded-for": freshIp() } });
    const context = await contextFor(browser, viewer);
    const page = await context.newPage();
    await page.goto(`${baseUrl()}/?tab=following`);
    await waitForPlaying(page, 0);
    const item = page.locator(`[data-testid="feed-item"][data-video-id="${videoIds[2]}"]`);
    const caption = item.getByTestId("caption");
    await expect.poll(() => caption.textContent()).toContain("<script>window.__pwned=1</script>");
    expect(await caption.locator("img, script").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await expect.poll(() => item.getByRole("link", { name: "#drive" }).getAttribute("href")).toBe("/tag/drive");
    await context.close();
  });
});
