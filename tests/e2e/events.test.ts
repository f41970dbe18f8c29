// The real player in Chromium reports what a viewer does, and it lands: an impression, a play and the watched time of
// each video watched in the feed, with For You as the source and the feed response's id; the view still on screen when
// the page goes away arrives by beacon; a like from the feed is reported too; a view opened from a profile's grid
// counts as from the profile; and the creator sees the views in the studio, charts included. Videos are real uploads
// put through the media pipeline.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { baseUrl } from "../helpers";
import { publish, uploadFile, waitForVideo } from "../integration/upload-helpers";
import { account, contextFor, launchChromium, waitForPlaying, type Account } from "./browser";

const run = promisify(execFile);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function eventsOf(where: { deviceId?: string; userId?: string; videoId: string }) {
  return getDb().event.findMany({ where, orderBy: { at: "asc" } });
}

describe("viewer signals from the player", () => {
  let browser: Browser;
  let creator: Account;

  beforeAll(async () => {
    browser = await launchChromium({ autoplay: true });
    creator = await account();
    const dir = mkdtempSync(path.join(tmpdir(), "flick-events-e2e-"));
    const ids: string[] = [];
    for (const index of [0, 1]) {
      const clip = path.join(dir, `clip-${index}.mp4`);
      // 540×960: two rungs, like the other feed tests' videos, in case these come first in someone else's feed.
      await run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", `testsrc2=size=540x960:rate=30,hue=h=${index * 90}`, "-f", "lavfi", "-i", `sine=frequency=${400 + index * 100}`,
        "-t", "6", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", clip]);
      const published = await publish({ token: creator.token }, await uploadFile({ token: creator.token }, clip), { caption: `Signals ${index} #signals` });
      expect(published.status).toBe(201);
      ids.push(published.body.id);
    }
    // No likes: the feed tests below watch whatever For You serves first (these, or other test files' real videos),
    // and other test files may count on their own videos leading trending.
    for (const id of ids) expect((await waitForVideo({ token: creator.token }, id)).status).toBe("ready");
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("reports impressions, plays and watched time from the feed, and the view on screen by beacon when the page goes away", async () => {
    const context = await contextFor(browser, null);
    const page = await context.newPage();
    await page.goto(baseUrl());
    const first = await waitForPlaying(page, 0);
    const deviceId = (await context.cookies()).find((cookie) => cookie.name === "flick_device")?.value;
    expect(deviceId).toMatch(UUID);

    // Watch three seconds, then move on: the view ends, and the tracker sends it with its next batch.
    await page.waitForTimeout(3_000);
    await page.keyboard.press("ArrowDown");
    const second = await waitForPlaying(page, 1);
    expect(second).not.toBe(first);
    await expect
      .poll(async () => (await eventsOf({ deviceId, videoId: first })).map((event) => event.type), { timeout: 15_000 })
      .toEqual(expect.arrayContaining(["IMPRESSION", "PLAY", "PROGRESS"]));
    const firstEvents = await eventsOf({ deviceId, videoId: first });
    for (const event of firstEvents) {
      expect(event.source).toBe("FOR_YOU");
      expect(event.feedRequestId).toMatch(UUID);
      expect(event.userId).toBeNull();
    }
    const progress = firstEvents.find((event) => event.type === "PROGRESS")!;
    expect(progress.watchedMs).toBeGreaterThan(2_000);
    expect(progress.watchedMs).toBeLessThan(12_000);
    expect(firstEvents.filter((event) => event.type === "PLAY")).toHaveLength(1);
    // A skip exactly when the view left within 2 s or a quarter of the video (three seconds of a 6 s clip is none).
    const { durationMs } = (await getDb().video.findUniqueOrThrow({ where: { id: first }, select: { durationMs: true } }));
    const early = progress.watchedMs! < 2_000 || progress.watchedMs! < 0.25 * (durationMs ?? 0);
    expect(firstEvents.some((event) => event.type === "SKIP")).toBe(early);

    // Leave while the second one plays: pagehide ends its view and beacons it.
    await page.waitForTimeout(1_500);
    await page.goto("about:blank");
    await expect
      .poll(async () => (await eventsOf({ deviceId, videoId: second })).map((event) => event.type), { timeout: 15_000 })
      .toEqual(expect.arrayContaining(["PLAY", "PROGRESS"]));
    const secondProgress = (await eventsOf({ deviceId, videoId: second })).find((event) => event.type === "PROGRESS")!;
    expect(secondProgress.watchedMs).toBeGreaterThan(500);
    await context.close();
  });

  it("reports a like from the feed, for the signed-in account", async () => {
    const viewer = await account();
    const context = await contextFor(browser, viewer);
    const page = await context.newPage();
    await page.goto(baseUrl());
    const videoId = await waitForPlaying(page, 0);
    const like = page.locator('[data-testid="feed-item"][data-active="true"]').getByTestId("like-button");
    await like.click();
    await expect.poll(() => like.getAttribute("aria-pressed")).toBe("true");
    await expect
      .poll(async () => (await eventsOf({ userId: viewer.id, videoId })).map((event) => event.type), { timeout: 15_000 })
      .toEqual(expect.arrayContaining(["PLAY", "LIKE"]));
    await context.close();
  });

  it("counts a view opened from a profile's grid as from the profile, and the same page opened by link as a shared link", async () => {
    const context = await contextFor(browser, null);
    // A browser that has been here before (the feed gives the cookie; a profile visited first does not).
    const deviceId = crypto.randomUUID();
    await context.addCookies([{ name: "flick_device", value: deviceId, url: baseUrl() }]);
    const page = await context.newPage();
    await page.goto(`${baseUrl()}/@${creator.handle}`);
    const tile = page.getByTestId("video-grid-item").first();
    const href = (await tile.getAttribute("href"))!;
    // The link is the video's own address: copied from the address bar, it is a plain shared link.
    expect(href).toMatch(/^\/v\/[^?]+$/);
    const videoId = href.split("/").pop()!;
    await tile.click();
    await page.waitForFunction(() => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid="player"]');
      return !!video && !video.paused && video.currentTime > 0.3;
    }, undefined, { timeout: 30_000 });
    await page.goto(`${baseUrl()}/v/${videoId}`);
    await page.waitForFunction(() => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid="player"]');
      return !!video && !video.paused && video.currentTime > 0.3;
    }, undefined, { timeout: 30_000 });
    await page.goto("about:blank");
    await expect
      .poll(async () => (await eventsOf({ deviceId, videoId })).filter((event) => event.type === "PLAY").map((event) => event.source), { timeout: 15_000 })
      .toEqual(["PROFILE", "LINK"]);
    await context.close();
  });

  it("shows the creator the views in the studio, with charts", async () => {
    // The profile test above watched one of this creator's videos.
    const watched = async () => (await getDb().videoDailyStats.findFirst({ where: { video: { authorId: creator.id }, views: { gt: 0 } }, select: { videoId: true } }))?.videoId;
    await expect.poll(watched, { timeout: 15_000 }).toBeTruthy();
    const video = { id: (await watched())! };
    const context = await contextFor(browser, creator);
    const page = await context.newPage();
    await page.goto(`${baseUrl()}/studio/${video.id}`);
    await expect.poll(async () => Number((await page.getByTestId("stat-views").textContent()) ?? 0)).toBeGreaterThan(0);
    await page.getByTestId("retention-chart").locator("svg.recharts-surface").first().waitFor({ timeout: 15_000 });
    await page.getByTestId("sources-chart").locator("svg.recharts-surface").first().waitFor({ timeout: 15_000 });
    // Another range: a January long before the video existed has no views.
    await page.getByTestId("range-to").fill("2025-01-31");
    await page.getByTestId("range-from").fill("2025-01-01");
    await expect.poll(async () => page.getByTestId("stat-views").textContent(), { timeout: 15_000 }).toBe("0");
    expect(await page.getByTestId("csv-link").getAttribute("href")).toContain("from=2025-01-01&to=2025-01-31");
    await page.goto(`${baseUrl()}/studio`);
    await page.getByTestId("studio-overview").locator("svg.recharts-surface").first().waitFor({ timeout: 15_000 });
    expect(await page.locator(`[data-video-id="${video.id}"] [data-testid="studio-item-stats"]`).textContent()).toMatch(/\d+ views/);
    await context.close();
  });
});
