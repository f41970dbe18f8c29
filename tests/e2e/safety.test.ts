// Safety in Chromium, with a real transcoded video: the Content Security Policy lets the feed play (hls.js workers,
// blob: media, the notification stream) without a single violation while an injected inline script is refused; an
// embed plays inside another site's page while other pages refuse to be framed; and a person blocks and mutes from
// the feed's menu and the profile page, and unblocks from settings.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, baseUrl, freshIp } from "../helpers";
import { publish, uploadFile, waitForVideo } from "../integration/upload-helpers";
import { account, contextFor, launchChromium, type Account } from "./browser";

const run = promisify(execFile);

/** Signed in as `who`, recording every policy violation the page reports, in order. */
async function watchedContext(browser: Browser, who: Account): Promise<BrowserContext> {
  const context = await contextFor(browser, who, { viewport: { width: 390, height: 844 } });
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.effectiveDirective} ${event.blockedURI}`));
  });
  return context;
}

function violations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
}

async function waitForFirstVideoPlaying(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid="feed-item"][data-active="true"] [data-testid="feed-video"]');
      return !!video && !video.paused && video.currentTime > 0.3;
    },
    undefined,
    { timeout: 30_000 },
  );
}

describe("safety in a browser", () => {
  let browser: Browser;
  let creator: Account;
  let videoId: string;
  let thirdParty: Server;
  let thirdPartyUrl: string;

  beforeAll(async () => {
    browser = await launchChromium({ autoplay: true });
    creator = await account();
    const clip = path.join(mkdtempSync(path.join(tmpdir(), "flick-safety-e2e-")), "clip.mp4");
    await run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=360x640:rate=30", "-f", "lavfi", "-i", "sine=frequency=500",
      "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", clip]);
    const published = await publish({ token: creator.token }, await uploadFile({ token: creator.token }, clip), { caption: "Safety first #safety" });
    expect(published.status).toBe(201);
    videoId = published.body.id;
    expect((await waitForVideo({ token: creator.token }, videoId)).status).toBe("ready");

    // Another site (another origin: another port) that frames Flick's embed and, against the rules, a video page.
    thirdParty = createServer((_request, response) => {
      response.setHeader("content-type", "text/html");
      response.end(`<!doctype html><title>A blog</title>
        <iframe name="embed" src="${baseUrl()}/embed/${videoId}" width="360" height="640" allow="autoplay"></iframe>
        <iframe name="page" src="${baseUrl()}/v/${videoId}" width="360" height="640"></iframe>`);
    });
    await new Promise<void>((resolve) => thirdParty.listen(0, "127.0.0.1", resolve));
    thirdPartyUrl = `http://127.0.0.1:${(thirdParty.address() as AddressInfo).port}/`;
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => thirdParty?.close(resolve));
  });

  it("plays the feed under the Content Security Policy without a violation, and refuses an injected inline script", async () => {
    const viewer = await account();
    await api(`/api/users/${creator.handle}/follow`, { method: "PUT", token: viewer.token });
    const context = await watchedContext(browser, viewer);
    const page = await context.newPage();
    // As if a stored XSS slipped a script into the HTML: the server's response, headers and all, plus one inline script
    // without the nonce.
    const feedUrl = `${baseUrl()}/?tab=following`;
    await page.route(feedUrl, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace("</body>", "<script>window.__injected = true</script></body>");
      await route.fulfill({ response, body: html });
    });
    await page.goto(feedUrl);
    await waitForFirstVideoPlaying(page);
    // The live notification stream is connected (same origin, allowed by connect-src).
    await page.getByTestId("nav-notifications").waitFor();
    expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
    // That script is the one and only thing the policy refused: Next's scripts, hls.js (its worker and blob: media),
    // posters and the event stream all passed.
    expect(await violations(page)).toEqual([expect.stringMatching(/^script-src-elem inline/)]);
    await context.close();
  });

  it("an embed plays inside another site's page; a video page refuses to be framed there", async () => {
    const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": freshIp() } });
    const page = await context.newPage();
    await page.goto(thirdPartyUrl);
    const embed = page.frame({ name: "embed" })!;
    await embed.waitForFunction(() => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid="player"]');
      return !!video && video.currentTime > 0.3;
    }, undefined, { timeout: 30_000 });
    const framedPage = page.frame({ name: "page" })!;
    // Chromium replaces a frame its policy refuses with its own error page.
    await expect.poll(() => framedPage.url()).toMatch(/^chrome-error:/);
    expect(await framedPage.evaluate(() => document.querySelector('[data-testid="player"]') !== null)).toBe(false);
    await context.close();
  });

  it("blocks from the feed's menu and the profile, mutes from the profile, and unblocks from settings", async () => {
    const viewer = await account();
    await api(`/api/users/${creator.handle}/follow`, { method: "PUT", token: viewer.token });
    const context = await watchedContext(browser, viewer);
    const page = await context.newPage();
    page.on("dialog", (dialog) => void dialog.accept());

    // Mute from the profile: the button says so, and Following has nothing left.
    await page.goto(`${baseUrl()}/@${creator.handle}`);
    await page.getByTestId("profile-mute").click();
    await expect.poll(() => page.getByTestId("profile-mute").getAttribute("aria-pressed")).toBe("true");
    await page.goto(`${baseUrl()}/?tab=following`);
    await page.getByTestId("feed-empty").waitFor();
    await page.goto(`${baseUrl()}/@${creator.handle}`);
    await page.getByTestId("profile-mute").click();
    await expect.poll(() => page.getByTestId("profile-mute").getAttribute("aria-pressed")).toBe("false");

    // Block from the feed's "more" menu: the video leaves the list at once.
    await page.goto(`${baseUrl()}/?tab=following`);
    await waitForFirstVideoPlaying(page);
    await page.locator('[data-testid="feed-item"][data-active="true"]').getByTestId("more-button").click();
    await page.getByTestId("block-author").click();
    await page.getByTestId("feed-empty").waitFor();

    // The profile shows only the way back, and settings lists the block with an Unblock button.
    await page.goto(`${baseUrl()}/@${creator.handle}`);
    await page.getByTestId("profile-blocked").waitFor();
    expect(await page.getByTestId("profile-follow").count()).toBe(0);
    await page.goto(`${baseUrl()}/settings#blocked`);
    await page.getByTestId(`unblock-${creator.handle}`).click();
    await page.getByText(`Unblocked @${creator.handle}.`).waitFor();
    expect((await api(`/api/users/${creator.handle}`, { token: viewer.token })).body.viewer.blocking).toBe(false);

    // The other way round: the creator blocks the viewer from the viewer's profile, and the creator's profile is then a 404.
    const creatorContext = await watchedContext(browser, creator);
    const creatorPage = await creatorContext.newPage();
    creatorPage.on("dialog", (dialog) => void dialog.accept());
    await creatorPage.goto(`${baseUrl()}/@${viewer.handle}`);
    await creatorPage.getByTestId("profile-block").click();
    await creatorPage.getByTestId("profile-blocked").waitFor();
    const response = await page.goto(`${baseUrl()}/@${creator.handle}`);
    expect(response?.status()).toBe(404);
    await context.close();
    await creatorContext.close();
  });
});
