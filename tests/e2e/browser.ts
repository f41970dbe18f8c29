// What the browser tests share: Chromium launched the way this machine runs it (Debian's build, headless, nothing
// phoning home), a phone-sized context signed in as a fresh account, and "this feed item is really playing".
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { getDb } from "@/lib/db";
import { baseUrl, freshIp, signIn, signUp } from "../helpers";
import { createTokenFor } from "../integration/tokens-helper";

const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** A 390×844 touch phone at 2× density, the shape the feed is designed for. */
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, hasTouch: true };

/** Debian's Chromium; `autoplay` lets videos start with sound and no gesture, as after a viewer's first tap. */
export function launchChromium(options: { autoplay?: boolean } = {}): Promise<Browser> {
  const args = options.autoplay ? [...CHROMIUM_FLAGS, "--autoplay-policy=no-user-gesture-required"] : CHROMIUM_FLAGS;
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args });
}

export type Account = { id: string; handle: string; email: string; password: string; token: string };

/** A fresh ordinary account (sign-up may make the first one an admin) with an API token for setup calls. */
export async function account(): Promise<Account> {
  const user = await signUp();
  await getDb().user.update({ where: { id: user.id }, data: { role: "USER" } });
  return { id: user.id, handle: user.handle, email: user.email, password: user.password, token: await createTokenFor(user.handle) };
}

/** A browser context from its own IP (so rate limits never carry over), signed in as `who` unless null. */
export async function contextFor(browser: Browser, who: Account | null, device: BrowserContextOptions = PHONE): Promise<BrowserContext> {
  const context = await browser.newContext({ ...device, extraHTTPHeaders: { "x-forwarded-for": freshIp() } });
  if (who) {
    const { cookie } = await signIn(who.email, who.password);
    const [name, value] = cookie!.split("=");
    await context.addCookies([{ name: name!, value: value!, url: baseUrl() }]);
  }
  return context;
}

/** Waits until feed item `index` is the active one and its video is playing (time advancing); returns its video id. */
export async function waitForPlaying(page: Page, index: number): Promise<string> {
  await page.waitForFunction(
    (wanted) => {
      const item = document.querySelectorAll<HTMLElement>('[data-testid="feed-item"]')[wanted];
      const video = item?.querySelector<HTMLVideoElement>('[data-testid="feed-video"]');
      return item?.dataset.active === "true" && !!video && !video.paused && video.currentTime > 0.3;
    },
    index,
    { timeout: 30_000 },
  );
  return (await page.locator('[data-testid="feed-item"]').nth(index).getAttribute("data-video-id")) ?? "";
}
