// Web benchmark: the feed in headless Chromium against a seeded throwaway instance (the same services the test suite
// starts: PostgreSQL, Redis, `next start` and a worker, with demo videos put through the real media pipeline).
// Prints, each next to a reference measured in the same run:
//   - navigation → first video frame, against navigation → first contentful paint of the same page;
//   - swipe (↓) → first frame of the next video, against swipe → the next animation frame;
//   - JS heap after 100 swipes, against the heap after 20;
//   - the feed route's first-load JS (gzip), against the sign-in page's.
// Targets (issue 4): first frame ≤ 1.0 s, swipe → frame ≤ 150 ms, heap ≤ 1.2× after 100 vs 20, first-load JS ≤ 170 KB.
//
//   npm run bench:web
import { gzipSync } from "node:zlib";
import { chromium, type Page } from "playwright-core";
import { ensureBuild } from "../scripts/build";
import setup from "../tests/global-setup";

const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required", "--enable-precise-memory-info"];
const VIDEOS = 12; // enough distinct videos to swipe through; 100 swipes go down and back up the list
const FIRST_FRAME_RUNS = 3;
const SWIPES_MEASURED = 8;
const TARGETS = { firstFrameS: 1.0, swipeMs: 150, heapRatio: 1.2, firstLoadKb: 170 };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

// Runs in the page before any of its scripts: records when the first video frame of the page is presented.
const FIRST_FRAME_PROBE = `
  window.__flickFirstFrame = null;
  document.addEventListener("playing", (event) => {
    const video = event.target;
    if (window.__flickFirstFrame !== null || !video.requestVideoFrameCallback) return;
    video.requestVideoFrameCallback((now) => { window.__flickFirstFrame ??= now; });
  }, true);
`;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  ensureBuild(log);
  const teardown = await setup();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_FLAGS });
  try {
    await seed();
    const base = process.env.TEST_BASE_URL!;

    const firstFrames: Array<{ frame: number; fcp: number }> = [];
    for (let run = 0; run < FIRST_FRAME_RUNS; run += 1) {
      // A new context each time: a first visit, no cache, a new anonymous device.
      const context = await browser.newContext(PHONE);
      await context.addInitScript(FIRST_FRAME_PROBE);
      const page = await context.newPage();
      page.on("pageerror", (error) => log(`page error: ${error.message}`));
      page.on("response", (response) => {
        if (response.status() >= 400) log(`HTTP ${response.status()} ${response.url()}`);
      });
      page.on("console", (message) => {
        if (message.type() === "error") log(`console error: ${message.text()}`);
      });
      await page.goto(base);
      // A function, not a string: Playwright evaluates a string predicate with eval, which the page's CSP refuses.
      await page.waitForFunction(() => (window as unknown as { __flickFirstFrame: number | null }).__flickFirstFrame !== null, undefined, { timeout: 30_000 });
      firstFrames.push(
        (await page.evaluate(`({ frame: window.__flickFirstFrame, fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN })`)) as {
          frame: number;
          fcp: number;
        },
      );
      if (run === FIRST_FRAME_RUNS - 1) log(`first visit's requests (last run):\n${await describeTimeline(page)}`);
      await context.close();
    }
    const bestFrame = firstFrames.reduce((best, run) => (run.frame < best.frame ? run : best));
    log(`first frame: ${firstFrames.map((run) => `${run.frame.toFixed(0)} ms (FCP ${run.fcp.toFixed(0)} ms)`).join(", ")}`);

    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(base);
    await waitForActivePlaying(page, 0);
    const swipes: Array<{ frame: number; animationFrame: number }> = [];
    for (let index = 1; index <= SWIPES_MEASURED; index += 1) {
      // Give the preloader the time a person spends watching before swiping.
      await page.waitForTimeout(1500);
      swipes.push(await measureSwipe(page, index));
    }
    const swipeMedian = median(swipes.map((swipe) => swipe.frame));
    const animationMedian = median(swipes.map((swipe) => swipe.animationFrame));
    log(`swipe → frame: ${swipes.map((swipe) => swipe.frame.toFixed(0)).join(", ")} ms`);

    const cdp = await context.newCDPSession(page);
    const heapAfter = async () => {
      await cdp.send("HeapProfiler.collectGarbage");
      return ((await cdp.send("Runtime.getHeapUsage")) as { usedSize: number }).usedSize;
    };
    const count = await page.locator('[data-testid="feed-item"]').count();
    let position = SWIPES_MEASURED;
    let direction = 1;
    let heap20 = 0;
    for (let swipe = SWIPES_MEASURED + 1; swipe <= 100; swipe += 1) {
      if (position + direction >= count || position + direction < 0) direction = -direction;
      await page.keyboard.press(direction > 0 ? "ArrowDown" : "ArrowUp");
      position += direction;
      await page.waitForTimeout(150);
      if (swipe === 20) heap20 = await heapAfter();
    }
    const heap100 = await heapAfter();
    log(`heap: ${(heap20 / 1e6).toFixed(1)} MB after 20 swipes, ${(heap100 / 1e6).toFixed(1)} MB after 100 (over ${count} videos)`);
    await context.close();

    const feedJs = await measureFirstLoadJs(browser, base);
    const signInJs = await measureFirstLoadJs(browser, `${base}/sign-in`);

    const rows: Array<[string, string, string, string, string]> = [
      ["navigation → first video frame", `${(bestFrame.frame / 1000).toFixed(2)} s`, `FCP ${(bestFrame.fcp / 1000).toFixed(2)} s`, ratio(bestFrame.frame, bestFrame.fcp), verdict(bestFrame.frame / 1000 <= TARGETS.firstFrameS, `≤ ${TARGETS.firstFrameS} s`)],
      ["swipe → next video frame (median)", `${swipeMedian.toFixed(0)} ms`, `next animation frame ${animationMedian.toFixed(0)} ms`, ratio(swipeMedian, animationMedian), verdict(swipeMedian <= TARGETS.swipeMs, `≤ ${TARGETS.swipeMs} ms`)],
      ["JS heap after 100 swipes", `${(heap100 / 1e6).toFixed(1)} MB`, `after 20: ${(heap20 / 1e6).toFixed(1)} MB`, ratio(heap100, heap20), verdict(heap100 / heap20 <= TARGETS.heapRatio, `≤ ${TARGETS.heapRatio}×`)],
      ["feed first-load JS (gzip)", `${(feedJs.initial / 1024).toFixed(1)} KB`, `/sign-in ${(signInJs.initial / 1024).toFixed(1)} KB`, ratio(feedJs.initial, signInJs.initial), verdict(feedJs.initial / 1024 <= TARGETS.firstLoadKb, `≤ ${TARGETS.firstLoadKb} KB`)],
      ["feed JS incl. lazy chunks (hls.js)", `${(feedJs.total / 1024).toFixed(1)} KB`, `/sign-in ${(signInJs.total / 1024).toFixed(1)} KB`, ratio(feedJs.total, signInJs.total), "(for reference)"],
    ];
    log("");
    log("| measurement | value | reference (same run) | ratio | target |");
    log("| --- | ---: | ---: | ---: | --- |");
    for (const row of rows) log(`| ${row.join(" | ")} |`);
  } finally {
    await browser.close();
    await teardown();
  }
  // In-process database and queue connections (from seeding) would keep the script alive after the services stopped.
  process.exit(0);
}

/** Demo videos through the real pipeline (upload → transcode → ready), as a new instance gets them. */
async function seed(): Promise<void> {
  const { seedDemoContent } = await import("../lib/demo/seed");
  const { getDb } = await import("../lib/db");
  log(`seeding ${VIDEOS} demo videos through the media pipeline …`);
  await seedDemoContent(VIDEOS);
  const deadline = Date.now() + 10 * 60_000;
  while ((await getDb().video.count({ where: { status: "READY" } })) < VIDEOS) {
    if (Date.now() > deadline) throw new Error("demo videos did not become ready within 10 minutes");
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  // Seeding's own database and queue connections are done: closed now, they do not retry (and log) once the
  // throwaway services stop.
  const { closeDb } = await import("../lib/db");
  const { closeRedis } = await import("../lib/redis");
  const { closeQueueConnection } = await import("../lib/jobs/connection");
  await Promise.all([closeDb(), closeRedis(), closeQueueConnection()]);
}

async function waitForActivePlaying(page: Page, index: number): Promise<void> {
  await page.waitForFunction(
    (wanted) => {
      const items = document.querySelectorAll<HTMLElement>('[data-testid="feed-item"]');
      const item = items[wanted];
      const video = item?.querySelector("video");
      return item?.dataset.active === "true" && !!video && !video.paused && video.currentTime > 0;
    },
    index,
    { timeout: 30_000 },
  );
}

// Runs in the page (as source text: tsx would otherwise wrap named functions in a helper the page does not have).
// Presses ↓ and times the next video's first presented frame while playing, and the next animation frame.
const SWIPE_PROBE = `(wanted) => new Promise((resolve, reject) => {
  const item = document.querySelectorAll('[data-testid="feed-item"]')[wanted];
  const video = item && item.querySelector("video");
  if (!item || !video) return reject(new Error("no feed item " + wanted));
  const started = performance.now();
  let animationFrame = NaN;
  requestAnimationFrame((now) => { animationFrame = now - started; });
  const onFrame = (now) => {
    if (video.paused || item.dataset.active !== "true") return video.requestVideoFrameCallback(onFrame);
    resolve({ frame: now - started, animationFrame });
  };
  video.requestVideoFrameCallback(onFrame);
  setTimeout(() => reject(new Error("feed item " + wanted + " never played")), 10000);
  if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
  document.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
})`;

async function measureSwipe(page: Page, index: number): Promise<{ frame: number; animationFrame: number }> {
  return page.evaluate(`(${SWIPE_PROBE})(${index})`) as Promise<{ frame: number; animationFrame: number }>;
}

/** Where the first visit's time went: each request's start and end, relative to navigation start. */
async function describeTimeline(page: Page): Promise<string> {
  const entries = (await page.evaluate(`performance.getEntriesByType("resource").map((entry) => ({ name: entry.name, start: entry.startTime, end: entry.responseEnd }))`)) as Array<{ name: string; start: number; end: number }>;
  return entries
    .filter((entry) => /\/api\/feed|\.m3u8|\.m4s|\.mp4/.test(entry.name))
    .map((entry) => `  ${entry.start.toFixed(0).padStart(5)}–${entry.end.toFixed(0).padEnd(5)} ms ${new URL(entry.name).pathname.split("/").slice(-2).join("/")}`)
    .join("\n");
}

/**
 * First-load JS as Next.js counts it: the scripts named in the page's HTML, which must arrive before the page is
 * interactive (gzip sizes). Also the total including chunks the page then imports lazily (hls.js for the feed).
 */
async function measureFirstLoadJs(browser: Awaited<ReturnType<typeof chromium.launch>>, url: string): Promise<{ initial: number; total: number }> {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  const sizes = new Map<string, Promise<number>>();
  page.on("response", (response) => {
    if (response.request().resourceType() !== "script") return;
    sizes.set(new URL(response.url()).pathname, response.body().then((body) => gzipSync(body, { level: 9 }).length, () => 0));
  });
  const response = await page.goto(url, { waitUntil: "load" });
  const html = (await response?.text()) ?? "";
  // Not "networkidle": a feed keeps fetching segments of its looping video. Lazy chunks get two seconds to arrive.
  await page.waitForTimeout(2000);
  const named = new Set([...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((match) => new URL(match[1]!, url).pathname));
  let initial = 0;
  let total = 0;
  for (const [pathname, size] of sizes) {
    const bytes = await size;
    total += bytes;
    if (named.has(pathname)) initial += bytes;
  }
  await context.close();
  return { initial, total };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function ratio(value: number, reference: number): string {
  return `${(value / reference).toFixed(2)}`;
}

function verdict(pass: boolean, target: string): string {
  return `${target} ${pass ? "PASS" : "MISS"}`;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
