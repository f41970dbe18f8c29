// A video is watchable while it is still encoding: Chromium (hls.js) plays a version whose playlists name only the
// first segments and have no ENDLIST yet, from the beginning rather than the "live" edge, and carries on into the
// segments published after it started, exactly as the transcode job publishes them.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
import { launchChromium } from "./browser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { planLadder } from "@/lib/media/ladder";
import { probeMedia } from "@/lib/media/probe";
import { transcodeToHls } from "@/lib/media/transcode";
import { contentTypeFor, getStorage } from "@/lib/storage";
import { baseUrl, freshIp, signIn, signUp } from "../helpers";

const run = promisify(execFile);
const CLIP_SECONDS = 24;
const VERSION = "a1-s0";

type Player = { currentTime: number; playedFrom: number | null; duration: number; paused: boolean };

describe("watching a video that is still encoding", () => {
  let browser: Browser;
  let work: string;
  let hlsDir: string;
  let rungName: string;

  beforeAll(async () => {
    // The server reads media from the DATA_DIR tests/global-setup.ts made; never write into a real one.
    expect((process.env.DATA_DIR ?? "").startsWith(tmpdir())).toBe(true);
    browser = await launchChromium();
    work = await mkdtemp(path.join(tmpdir(), "flick-progressive-"));
    const input = path.join(work, "source.mp4");
    await run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", `testsrc2=s=360x640:r=30:d=${CLIP_SECONDS}`, "-f", "lavfi", "-i", `sine=frequency=440:duration=${CLIP_SECONDS}`,
      "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", input]);
    const info = await probeMedia(input);
    const rungs = planLadder(info);
    expect(rungs).toHaveLength(1);
    rungName = rungs[0]!.name;
    hlsDir = path.join(work, "hls");
    await transcodeToHls({ input, info, rungs, outDir: hlsDir });
  });

  afterAll(async () => {
    await browser?.close();
    await rm(work, { recursive: true, force: true });
  });

  it("starts at the beginning and plays on into segments published after it started", async () => {
    const author = await signUp();
    const { cookie } = await signIn(author.email, author.password);
    const video = await getDb().video.create({
      data: { authorId: author.id, visibility: "PUBLIC", status: "PROCESSING", progress: 0.3, caption: "still encoding", width: 360, height: 640 },
      select: { id: true },
    });
    const prefix = `videos/${video.id}/${VERSION}`;
    const store = async (relative: string, file: string) =>
      getStorage().putFile(`${prefix}/${relative}`, file, { contentType: contentTypeFor(file), cacheControl: "public, max-age=2" });

    // What the job has published a few seconds into the encode: init, two segments, a playlist without ENDLIST.
    const finalPlaylist = await readFile(path.join(hlsDir, rungName, "playlist.m3u8"), "utf8");
    const segments = finalPlaylist.split("\n").filter((line) => line.startsWith("seg_"));
    expect(segments).toHaveLength(CLIP_SECONDS / 4);
    const partialPlaylist = finalPlaylist.slice(0, finalPlaylist.indexOf(segments[1]!) + segments[1]!.length + 1);
    expect(partialPlaylist).not.toContain("#EXT-X-ENDLIST");
    const partialFile = path.join(work, "partial.m3u8");
    await writeFile(partialFile, partialPlaylist);
    await store(`${rungName}/init.mp4`, path.join(hlsDir, rungName, "init.mp4"));
    for (const segment of segments.slice(0, 2)) await store(`${rungName}/${segment}`, path.join(hlsDir, rungName, segment));
    await store(`${rungName}/playlist.m3u8`, partialFile);
    await store("master.m3u8", path.join(hlsDir, "master.m3u8"));
    await getDb().video.update({ where: { id: video.id }, data: { mediaVersion: VERSION, playableAt: new Date() } });

    const [name, value] = cookie!.split("=");
    const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": freshIp() } });
    await context.addCookies([{ name: name!, value: value!, url: baseUrl() }]);
    const page = await context.newPage();
    const readPlayer = () =>
      page.evaluate((): Player => {
        const element = document.querySelector<HTMLVideoElement>('[data-testid="player"]')!;
        return {
          currentTime: element.currentTime,
          playedFrom: element.played.length > 0 ? element.played.start(0) : null,
          duration: element.duration,
          paused: element.paused,
        };
      });
    await page.goto(`${baseUrl()}/v/${video.id}`);
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="player"]')?.currentTime ?? 0) > 1, undefined, {
      timeout: 30_000,
    });
    const started = await readPlayer();
    // From the first frame, not from the end of what exists (where a live player would join).
    expect(started.playedFrom).not.toBeNull();
    expect(started.playedFrom!).toBeLessThan(0.5);
    expect(started.currentTime).toBeLessThan(8);

    // The encoder finishes: the remaining segments, then the closed playlist, as the job publishes them.
    for (const segment of segments.slice(2)) await store(`${rungName}/${segment}`, path.join(hlsDir, rungName, segment));
    await store(`${rungName}/playlist.m3u8`, path.join(hlsDir, rungName, "playlist.m3u8"));

    // Playback runs past the two segments it started with, without a stall that stops it.
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="player"]')?.currentTime ?? 0) > 12, undefined, {
      timeout: 30_000,
    });
    const later = await readPlayer();
    expect(later.paused).toBe(false);
    expect(later.playedFrom!).toBeLessThan(0.5);
    // Once the playlist is closed the player knows the whole length.
    await page.waitForFunction((seconds) => Math.abs((document.querySelector<HTMLVideoElement>('[data-testid="player"]')?.duration ?? 0) - seconds) < 0.5, CLIP_SECONDS, {
      timeout: 15_000,
    });
    await context.close();
  });
});
