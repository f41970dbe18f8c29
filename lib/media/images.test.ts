import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { decode, isBlurhashValid } from "blurhash";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  extractFrames,
  FfmpegError,
  makeCoverCandidates,
  makePoster,
  makeThumbnailSprite,
  runFfmpeg,
} from "./images";

const run = promisify(execFile);
let dir: string;
let landscape: string;
let portrait: string;
let large: string;
let anamorphic: string;

/** A 3 s H.264 clip from an ffmpeg lavfi source; `rotate` adds a display rotation the way phones record portrait. */
async function makeClip(name: string, source: string, { rotate }: { rotate?: number } = {}): Promise<string> {
  const file = path.join(dir, name);
  const encoded = rotate ? path.join(dir, `unrotated-${name}`) : file;
  await run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi", "-i", source]
    .concat(["-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", encoded]));
  // ffmpeg 5.1 has no -display_rotation and drops the rotate tag when encoding, so it is added by a stream copy.
  if (rotate) {
    await run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", encoded, "-c", "copy"]
      .concat(["-metadata:s:v:0", `rotate=${rotate}`, file]));
  }
  return file;
}

async function sizeOf(file: string) {
  const { width, height, format } = await sharp(file).metadata();
  return { width, height, format };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "flick-images-test-"));
  [landscape, portrait, large, anamorphic] = await Promise.all([
    makeClip("landscape.mp4", "testsrc2=size=640x360:rate=30"),
    // Stored 1920×1080 with a 90° display matrix: shown 1080×1920, like a phone's portrait recording.
    makeClip("portrait.mp4", "testsrc2=size=1920x1080:rate=30", { rotate: 90 }),
    makeClip("large.mp4", "testsrc2=size=1920x1200:rate=10"),
    // 480×360 stored with 4:3 pixels, shown 640×360, as some camcorders record.
    makeClip("anamorphic.mp4", "testsrc2=size=480x360:rate=30,setsar=4/3"),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("extractFrames", () => {
  it("writes one frame per time, upright and at the requested width", async () => {
    const frames = await extractFrames(portrait, [0.5, 1.5, 2.5], path.join(dir, "frames"), { width: 180 });
    expect(frames).toHaveLength(3);
    for (const frame of frames) expect(await sizeOf(frame)).toEqual({ width: 180, height: 320, format: "png" });
    const jpegs = await extractFrames(landscape, [1], path.join(dir, "frames"), { width: 320, format: "jpeg" });
    expect(await sizeOf(jpegs[0] ?? "")).toEqual({ width: 320, height: 180, format: "jpeg" });
  });

  it("fails, naming the time, when asked for a frame past the end", async () => {
    await expect(extractFrames(landscape, [10], path.join(dir, "frames"), { width: 160 })).rejects.toThrow(/10\.000 s/);
  });
});

describe("makePoster", () => {
  it("makes a portrait WebP and JPEG at the displayed size of a rotated phone video", async () => {
    const poster = await makePoster(portrait, { timeSec: 1, outDir: path.join(dir, "poster-portrait") });
    expect({ width: poster.width, height: poster.height }).toEqual({ width: 1080, height: 1920 });
    expect(await sizeOf(poster.webp)).toEqual({ width: 1080, height: 1920, format: "webp" });
    expect(await sizeOf(poster.jpeg)).toEqual({ width: 1080, height: 1920, format: "jpeg" });
    // 4×7 components for portrait: 4 + 2·4·7 characters, and it decodes to pixels the player can paint.
    expect(poster.blurhash).toHaveLength(60);
    expect(isBlurhashValid(poster.blurhash).result).toBe(true);
    expect(decode(poster.blurhash, 9, 16)).toHaveLength(9 * 16 * 4);
  });

  it("keeps small landscape videos at their size, with a 4×3 blurhash", async () => {
    const poster = await makePoster(landscape, { timeSec: 0, outDir: path.join(dir, "poster-landscape") });
    expect(await sizeOf(poster.webp)).toEqual({ width: 640, height: 360, format: "webp" });
    expect(poster.blurhash).toHaveLength(28);
    expect(isBlurhashValid(poster.blurhash).result).toBe(true);
  });

  it("shows non-square pixels at their displayed shape", async () => {
    const poster = await makePoster(anamorphic, { timeSec: 1, outDir: path.join(dir, "poster-anamorphic") });
    expect(await sizeOf(poster.webp)).toEqual({ width: 640, height: 360, format: "webp" });
    const [frame] = await extractFrames(anamorphic, [1], path.join(dir, "frames"), { width: 320 });
    expect(await sizeOf(frame ?? "")).toEqual({ width: 320, height: 180, format: "png" });
  });

  it("caps the short edge at 1080", async () => {
    const poster = await makePoster(large, { timeSec: 1, outDir: path.join(dir, "poster-large") });
    expect(await sizeOf(poster.jpeg)).toEqual({ width: 1728, height: 1080, format: "jpeg" });
  });

  it("reports ffmpeg's own words when the input is unreadable", async () => {
    const failure = makePoster(path.join(dir, "missing.mp4"), { timeSec: 0, outDir: path.join(dir, "poster-missing") });
    await expect(failure).rejects.toBeInstanceOf(FfmpegError);
    await expect(failure).rejects.toThrow(/No such file or directory/);
  });
});

describe("makeCoverCandidates", () => {
  it("offers evenly spaced thumbnails from the middle 90 % of the video", async () => {
    const candidates = await makeCoverCandidates(portrait, 3, path.join(dir, "covers"));
    expect(candidates).toHaveLength(6);
    const times = candidates.map((candidate) => candidate.timeSec);
    expect(times[0]).toBeGreaterThanOrEqual(0.15);
    expect(times.at(-1)).toBeLessThanOrEqual(2.85);
    const gaps = times.slice(1).map((time, i) => time - (times[i] ?? 0));
    for (const gap of gaps) expect(gap).toBeCloseTo(0.45, 2);
    for (const { webp } of candidates) expect(await sizeOf(webp)).toEqual({ width: 270, height: 480, format: "webp" });
  });
});

type Cue = { start: number; end: number; file: string; x: number; y: number; w: number; h: number };

function parseSpriteVtt(text: string): Cue[] {
  expect(text.startsWith("WEBVTT\n\n")).toBe(true);
  const seconds = (stamp: string) => {
    const [h, m, s] = stamp.split(":").map(Number);
    return (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
  };
  const cue = /(\d\d:\d\d:\d\d\.\d\d\d) --> (\d\d:\d\d:\d\d\.\d\d\d)\n([^#\n]+)#xywh=(\d+),(\d+),(\d+),(\d+)/g;
  return [...text.matchAll(cue)].map((match) => ({
    start: seconds(match[1] ?? ""),
    end: seconds(match[2] ?? ""),
    file: match[3] ?? "",
    x: Number(match[4]),
    y: Number(match[5]),
    w: Number(match[6]),
    h: Number(match[7]),
  }));
}

/** Cues follow one another from 0 to the end, each pointing inside the sprite at a distinct tile. */
async function expectSpriteCovers(sprite: Awaited<ReturnType<typeof makeThumbnailSprite>>, durationSec: number) {
  const cues = parseSpriteVtt(await readFile(sprite.vtt, "utf8"));
  const image = await sizeOf(sprite.spriteWebp);
  expect(image.format).toBe("webp");
  expect(path.basename(sprite.spriteWebp)).toBe("sprite.webp");
  expect(cues[0]?.start).toBe(0);
  expect(cues.at(-1)?.end).toBeCloseTo(durationSec, 3);
  cues.forEach((cue, i) => {
    if (i > 0) expect(cue.start).toBeCloseTo(cues[i - 1]?.end ?? NaN, 3);
    expect(cue.end).toBeGreaterThan(cue.start);
    expect(cue.file).toBe("sprite.webp");
    expect({ w: cue.w, h: cue.h }).toEqual({ w: sprite.tileWidth, h: sprite.tileHeight });
    expect(cue.x + cue.w).toBeLessThanOrEqual(image.width ?? 0);
    expect(cue.y + cue.h).toBeLessThanOrEqual(image.height ?? 0);
  });
  expect(new Set(cues.map((cue) => `${cue.x},${cue.y}`)).size).toBe(cues.length);
  return cues;
}

describe("makeThumbnailSprite", () => {
  it("tiles a portrait video one frame a second, with VTT cues over the whole duration", async () => {
    const sprite = await makeThumbnailSprite(portrait, 3, path.join(dir, "sprite-portrait"));
    expect(sprite).toMatchObject({ columns: 3, rows: 1, tileWidth: 160, tileHeight: 284, intervalSec: 1 });
    expect(await sizeOf(sprite.spriteWebp)).toEqual({ width: 480, height: 284, format: "webp" });
    expect(await expectSpriteCovers(sprite, 3)).toHaveLength(3);
  });

  it("widens the interval so a sprite never holds more than about 100 tiles", async () => {
    const sprite = await makeThumbnailSprite(landscape, 3, path.join(dir, "sprite-dense"), { intervalSec: 0.02 });
    expect(sprite.intervalSec).toBeGreaterThan(0.02);
    const cues = await expectSpriteCovers(sprite, 3);
    expect(cues.length).toBeLessThanOrEqual(100);
    expect(sprite.columns * sprite.rows).toBeGreaterThanOrEqual(cues.length);
    expect(sprite.tileHeight).toBe(90);
  });
});

describe("runFfmpeg", () => {
  // An endless test pattern: ffmpeg would run until killed.
  const endless = ["-f", "lavfi", "-i", "testsrc2=size=64x64", "-f", "null", "-"];

  it("kills a run that takes too long and says so", async () => {
    const started = Date.now();
    await expect(runFfmpeg(endless, { timeoutMs: 300 })).rejects.toThrow(/timed out after 300 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("kills a run when its job is cancelled", async () => {
    const controller = new AbortController();
    const running = runFfmpeg(endless, { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await expect(running).rejects.toThrow(/cancelled/);
  });
});
