// The moderation flow clicked through in Chromium, with a real transcoded video and three people: a viewer reports the
// video from the feed's menu with a reason; a moderator opens /admin/moderation, plays the video inline and hides it
// with a note; the video is gone from the viewer's Following feed and the creator's profile, and the viewer is told
// the outcome; the creator follows the removal notice to the studio and appeals; the moderator sees the appeal and
// reinstates; the video is back where it was.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { api, baseUrl } from "../helpers";
import { publish, uploadFile, waitForModeration } from "../integration/upload-helpers";
import { account, contextFor, launchChromium, waitForPlaying, type Account } from "./browser";

const run = promisify(execFile);

const REPORT_TEXT = "Someone gets hurt at the end.";
const HIDE_NOTE = "graphic, hidden pending appeal";
const APPEAL_TEXT = "It is a test pattern; nobody gets hurt.";

/** The moderator's card for this video in the queue, once the queue lists it in `status`. */
async function caseCard(page: Page, videoId: string, status: "open" | "appealed"): Promise<Locator> {
  const card = page.locator(`[data-testid="moderation-case"][data-target-id="${videoId}"][data-status="${status}"]`);
  await card.waitFor({ timeout: 15_000 });
  return card;
}

/** The video ids a profile page links to. */
async function profileVideoIds(page: Page, handle: string): Promise<string[]> {
  await page.goto(`${baseUrl()}/@${handle}`);
  await page.getByTestId("profile-handle").waitFor();
  const hrefs = await page.locator('a[href^="/v/"]').evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
  return hrefs.map((href) => href.slice("/v/".length));
}

describe("moderation in a browser", () => {
  let browser: Browser;
  let creator: Account;
  let viewer: Account;
  let moderator: Account;
  let videoId: string;

  beforeAll(async () => {
    browser = await launchChromium({ autoplay: true });
    [creator, viewer, moderator] = [await account(), await account(), await account()];
    await getDb().user.update({ where: { id: moderator.id }, data: { role: "MODERATOR" } });
    const clip = path.join(mkdtempSync(path.join(tmpdir(), "flick-moderation-e2e-")), "clip.mp4");
    await run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=360x640:rate=30", "-f", "lavfi", "-i", "sine=frequency=440",
      "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", clip]);
    const published = await publish({ token: creator.token }, await uploadFile({ token: creator.token }, clip), { caption: "Watch till the end #review" });
    expect(published.status).toBe(201);
    videoId = published.body.id;
    expect((await waitForModeration({ token: creator.token }, videoId)).moderation).toBe("approved");
    // The viewer follows the creator, so their Following feed is this one video and nothing else.
    expect((await api(`/api/users/${creator.handle}/follow`, { method: "PUT", token: viewer.token })).status).toBe(200);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("report → review with the video playing → hide → appeal → reinstate, each step seen by the person it concerns", async () => {
    const viewerContext = await contextFor(browser, viewer);
    const moderatorContext = await contextFor(browser, moderator);
    const creatorContext = await contextFor(browser, creator);
    const viewerPage = await viewerContext.newPage();
    const moderatorPage = await moderatorContext.newPage();
    const creatorPage = await creatorContext.newPage();

    // 1. The viewer reports the video from the feed's menu, with a reason and a few words.
    await viewerPage.goto(`${baseUrl()}/?tab=following`);
    expect(await waitForPlaying(viewerPage, 0)).toBe(videoId);
    await viewerPage.locator('[data-testid="feed-item"][data-active="true"]').getByTestId("more-button").click();
    await viewerPage.getByTestId("report-button").click();
    const dialog = viewerPage.getByTestId("report-dialog");
    await dialog.getByLabel("Violence or dangerous acts").check();
    await dialog.locator("textarea").fill(REPORT_TEXT);
    await dialog.getByTestId("report-submit").click();
    await viewerPage.getByTestId("toast").getByText("Thanks for reporting").waitFor();

    // 2. The moderator finds the case, with the reason and the reporter's words, and plays the video inline.
    await moderatorPage.goto(`${baseUrl()}/admin/moderation`);
    const open = await caseCard(moderatorPage, videoId, "open");
    await open.getByText("violence ×1").waitFor();
    await open.getByText(REPORT_TEXT).waitFor();
    const player = open.getByTestId("player");
    // Pressed once its first frame is there, as a person would: before hydration the element has no source yet.
    await expect.poll(() => player.evaluate((video: HTMLVideoElement) => video.readyState >= 2), { timeout: 30_000 }).toBe(true);
    expect(await player.evaluate((video: HTMLVideoElement) => video.paused)).toBe(true);
    await player.click();
    await expect
      .poll(() => player.evaluate((video: HTMLVideoElement) => !video.paused && video.currentTime > 0.3 && video.readyState >= 2), { timeout: 30_000 })
      .toBe(true);

    // 3. Hide, with a note for the audit trail: the case leaves the queue.
    await open.getByTestId("case-note").fill(HIDE_NOTE);
    await open.getByTestId("decide-hide").click();
    await moderatorPage.getByText("Case decided: hide.").waitFor();
    await expect.poll(() => moderatorPage.locator(`[data-testid="moderation-case"][data-target-id="${videoId}"]`).count()).toBe(0);

    // 4. Gone from the viewer's Following feed and the creator's profile; the viewer hears the outcome.
    await viewerPage.goto(`${baseUrl()}/?tab=following`);
    await viewerPage.getByTestId("feed-empty").waitFor();
    expect(await profileVideoIds(viewerPage, creator.handle)).not.toContain(videoId);
    await viewerPage.goto(`${baseUrl()}/notifications`);
    await viewerPage.locator('[data-testid="notification"][data-type="report_outcome"]').getByText("A moderator reviewed something you reported").waitFor();

    // 5. The creator follows the removal notice to the studio and appeals there.
    creatorPage.on("dialog", (prompt) => void prompt.accept(APPEAL_TEXT));
    await creatorPage.goto(`${baseUrl()}/notifications`);
    const removal = creatorPage.locator('[data-testid="notification"][data-type="content_actioned"]');
    await removal.getByText("A moderator removed your video").waitFor();
    await removal.getByTestId("notification-studio-link").click();
    await creatorPage.waitForURL(`${baseUrl()}/studio`);
    const item = creatorPage.locator(`[data-testid="studio-item"][data-video-id="${videoId}"]`);
    await item.getByTestId("moderation-badge").getByText("hidden").waitFor();
    await item.getByTestId("appeal-button").click();
    await creatorPage.getByText("Appeal sent.").waitFor();
    // One appeal per decision: the button gives way to where the appeal stands, also after a reload.
    await creatorPage.reload();
    await item.getByTestId("appeal-state").getByText("Appeal sent: a moderator will decide it").waitFor();
    expect(await item.getByTestId("appeal-button").count()).toBe(0);

    // 6. The moderator sees the appeal, with the creator's words and the history, and reinstates the video.
    await moderatorPage.reload();
    const appealed = await caseCard(moderatorPage, videoId, "appealed");
    await appealed.getByText(`Appeal (hide): “${APPEAL_TEXT}”`).waitFor();
    await appealed.locator("summary").click();
    await appealed.getByText(`@${moderator.handle}: hide (${HIDE_NOTE})`).waitFor();
    await appealed.getByTestId("case-note").fill("test pattern, no violence");
    await appealed.getByTestId("appeal-reverse").click();
    await moderatorPage.getByText("Appeal granted: the action was undone.").waitFor();

    // 7. The video is back: in the viewer's Following feed (playing) and on the creator's profile.
    await viewerPage.goto(`${baseUrl()}/?tab=following`);
    expect(await waitForPlaying(viewerPage, 0)).toBe(videoId);
    expect(await profileVideoIds(viewerPage, creator.handle)).toContain(videoId);
    await creatorPage.goto(`${baseUrl()}/notifications`);
    await creatorPage.locator('[data-testid="notification"][data-type="appeal_granted"]').getByText("your video is back").waitFor();

    await Promise.all([viewerContext.close(), moderatorContext.close(), creatorContext.close()]);
  });
});
