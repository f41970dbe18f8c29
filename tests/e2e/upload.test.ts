// A creator uploads through the real page in Chromium: pause/resume, a reload that resumes instead of restarting,
// caption, visibility, publish, live processing state in the studio, and the video playing through hls.js.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser, BrowserContext } from "playwright-core";
import { launchChromium } from "./browser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { baseUrl, freshIp, signIn, signUp } from "../helpers";

const run = promisify(execFile);
async function signedInContext(browser: Browser): Promise<{ context: BrowserContext; userId: string }> {
  const user = await signUp();
  const { cookie } = await signIn(user.email, user.password);
  const [name, value] = cookie!.split("=");
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": freshIp() } });
  await context.addCookies([{ name: name!, value: value!, url: baseUrl() }]);
  return { context, userId: user.id };
}

describe("uploading in the browser", () => {
  let browser: Browser;
  let clip: string;
  beforeAll(async () => {
    browser = await launchChromium();
    const dir = mkdtempSync(path.join(tmpdir(), "flick-e2e-"));
    clip = path.join(dir, "phone-video.mp4");
    // A portrait phone-style clip, big enough (~6 MB) that a throttled upload can be paused midway.
    await run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=720x1280:rate=30", "-f", "lavfi", "-i", "sine=frequency=330",
      "-t", "6", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "8M", "-c:a", "aac", "-shortest", clip]);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("pauses, resumes after a reload, publishes, shows progress in the studio and plays", async () => {
    const { context, userId } = await signedInContext(browser);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    // Throttle uploads to ~2 MB/s so there is time to pause and reload mid-upload.
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 2 * 1024 * 1024 });

    await page.goto(`${baseUrl()}/upload`);
    await page.setInputFiles("#file", clip);
    await page.getByRole("button", { name: "Pause" }).click();
    await expect(page.getByTestId("upload-status").textContent()).resolves.toMatch(/Paused at \d+%/);

    // Reload mid-upload and pick the same file: the upload continues (one upload on the server, not two).
    await page.reload();
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await page.setInputFiles("#file", clip);
    await page.getByText("Uploaded").waitFor({ timeout: 60_000 });
    expect(await getDb().upload.count({ where: { userId } })).toBe(1);

    await page.getByLabel("Caption").fill("My first clip #firstpost");
    await page.getByLabel("Who can watch").selectOption("unlisted");
    await page.getByRole("button", { name: "Publish" }).click();
    await page.waitForURL("**/studio**");
    const item = page.getByTestId("studio-item").first();
    await item.waitFor();
    await page.locator('[data-testid="studio-item"][data-status="ready"]').waitFor({ timeout: 120_000 });
    await item.getByRole("link", { name: "Watch" }).click();
    await page.waitForURL("**/v/**");
    await expect(page.getByTestId("caption").textContent()).resolves.toBe("My first clip #firstpost");
    await page.waitForFunction(() => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid="player"]');
      return !!video && video.currentTime > 1;
    }, undefined, { timeout: 30_000 });
    await context.close();
  });

  it("refuses a file that is not a video with a reason the creator understands", async () => {
    const { context } = await signedInContext(browser);
    const page = await context.newPage();
    const dir = mkdtempSync(path.join(tmpdir(), "flick-e2e-bad-"));
    const fake = path.join(dir, "holiday.mp4");
    await import("node:fs/promises").then((fs) => fs.writeFile(fake, "definitely not a video ".repeat(100)));
    await page.goto(`${baseUrl()}/upload`);
    await page.setInputFiles("#file", fake);
    await page.getByText("Uploaded").waitFor();
    await page.getByRole("button", { name: "Publish" }).click();
    await expect(page.getByTestId("upload-error").textContent()).resolves.toMatch(/not a video/i);
    await context.close();
  });
});
