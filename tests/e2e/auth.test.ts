// A person signs up, signs out, signs back in and sees their profile, in a real Chromium.
import type { Browser } from "playwright-core";
import { launchChromium, PHONE } from "./browser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, freshIp, uniqueHandle } from "../helpers";

describe("sign-up, sign-out, sign-in in the browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("works end to end and shows the empty profile at /@handle", async () => {
    const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": freshIp() } });
    const page = await context.newPage();
    const handle = uniqueHandle("E2e");
    const password = "a long enough password";

    await page.goto(`${baseUrl()}/`);
    await page.getByRole("link", { name: "Sign up" }).click();
    await page.waitForURL("**/sign-up");
    await page.getByLabel("Handle").fill(handle);
    await page.getByLabel("E-mail").fill(`${handle}@example.com`);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign up" }).click();

    await page.waitForURL(`**/@${handle.toLowerCase()}`);
    await expect(page.getByTestId("profile-handle").textContent()).resolves.toContain(`@${handle.toLowerCase()}`);
    await expect(page.getByText("You have not posted any videos yet.").isVisible()).resolves.toBe(true);
    await expect(page.getByTestId("nav-profile").textContent()).resolves.toBe(`@${handle.toLowerCase()}`);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Sign in" }).waitFor();
    expect(await page.getByTestId("nav-profile").count()).toBe(0);

    await page.getByRole("link", { name: "Sign in" }).click();
    await page.getByLabel("E-mail or handle").fill(handle);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator(".form-error").textContent()).resolves.toContain("Wrong e-mail, handle or password.");

    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`**/@${handle.toLowerCase()}`);
    await expect(page.getByTestId("profile-handle").textContent()).resolves.toContain("this is you");
    await context.close();
  });

  it("on a phone, the signed-in header fits the screen and every link in it can be reached", async () => {
    const context = await browser.newContext({ ...PHONE, extraHTTPHeaders: { "x-forwarded-for": freshIp() } });
    const page = await context.newPage();
    const handle = uniqueHandle("PhoneNavigator");
    await page.goto(`${baseUrl()}/sign-up`);
    await page.getByLabel("Handle").fill(handle);
    await page.getByLabel("E-mail").fill(`${handle}@example.com`);
    await page.getByLabel("Password").fill("a long enough password");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.waitForURL(`**/@${handle.toLowerCase()}`);
    for (const path of ["/", "/search", "/upload", "/studio", "/notifications", "/settings", `/@${handle.toLowerCase()}`]) {
      await page.goto(`${baseUrl()}${path}`);
      // The page never gets wider than the screen (no sideways scrolling of the whole page)…
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), path).toBeLessThanOrEqual(0);
    }
    // …and the last item of the header is still reachable: it signs out.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Sign in" }).waitFor();
    await context.close();
  });

  it("shows the reason when a sign-up is refused", async () => {
    const page = await browser.newPage({ extraHTTPHeaders: { "x-forwarded-for": freshIp() } });
    await page.goto(`${baseUrl()}/sign-up`);
    await page.getByLabel("Handle").fill("no spaces allowed");
    await page.getByLabel("E-mail").fill("someone@example.com");
    await page.getByLabel("Password").fill("password123");
    await page.getByRole("button", { name: "Sign up" }).click();
    await expect(page.locator(".form-error").textContent()).resolves.toContain("Handle may use only letters");
    await page.close();
  });
});
