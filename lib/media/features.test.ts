import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  extractFeatures,
  hammingDistance,
  isNearDuplicate,
  type VideoFeatures,
} from "./features";

const run = promisify(execFile);
let dir: string;

/** A 3 s H.264 clip from an ffmpeg lavfi video source (a whole graph is allowed) and an optional audio source. */
async function makeClip(name: string, video: string, audio?: string): Promise<string> {
  const file = path.join(dir, name);
  const audioInput = audio ? ["-f", "lavfi", "-i", audio, "-c:a", "aac"] : [];
  await run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi", "-i", video, ...audioInput]
    .concat(["-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", file]));
  return file;
}

/** The same footage again, smaller and at a fraction of the bitrate, as a re-upload would be. */
async function reencode(source: string, name: string): Promise<string> {
  const file = path.join(dir, name);
  await run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", source, "-vf", "scale=320:-2"]
    .concat(["-c:v", "libx264", "-preset", "veryfast", "-b:v", "150k", "-an", file]));
  return file;
}

const info = (width: number, height: number, hasAudio: boolean) => ({ durationMs: 3000, width, height, fps: 30, hasAudio });

const colourCut = (colour: string) => `color=c=${colour}:s=320x240:r=30:d=1`;
// Filled once in beforeAll: each clip is analysed once and the tests read the results.
const features = {} as Record<"still" | "cuts" | "moving" | "reencoded" | "different" | "promisedAudio", VideoFeatures>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "flick-features-test-"));
  const [still, cuts, moving, different] = await Promise.all([
    makeClip("still.mp4", "color=c=gray:s=320x240:r=30", "anullsrc=r=48000:cl=mono"),
    makeClip("cuts.mp4", `${colourCut("red")}[a];${colourCut("blue")}[b];${colourCut("green")}[c];[a][b][c]concat=n=3`),
    makeClip("moving.mp4", "testsrc2=size=640x360:rate=30", "sine=frequency=440:sample_rate=48000"),
    makeClip("different.mp4", "mandelbrot=size=640x360:rate=30"),
  ]);
  const reencoded = await reencode(moving, "reencoded.mp4");
  features.still = await extractFeatures(still, info(320, 240, true));
  features.cuts = await extractFeatures(cuts, info(320, 240, false));
  features.moving = await extractFeatures(moving, info(640, 360, true));
  features.reencoded = await extractFeatures(reencoded, info(320, 180, false));
  features.different = await extractFeatures(different, info(640, 360, false));
  // A probe that wrongly promised audio must not fail the analysis.
  features.promisedAudio = await extractFeatures(cuts, info(320, 240, true));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("extractFeatures", () => {
  it("passes the probed facts through", () => {
    expect(features.moving).toMatchObject({ durationMs: 3000, fps: 30, aspect: 1.7778 });
    expect(features.still.aspect).toBeCloseTo(4 / 3, 3);
  });

  it("sees no motion and no cuts in a still colour", () => {
    expect(features.still.motion).toBeLessThan(0.002);
    expect(features.still.sceneCutRate).toBe(0);
    expect(features.still.brightness).toBeCloseTo(0.5, 1);
  });

  it("counts hard cuts between colours per minute", () => {
    // Two cuts in three seconds.
    expect(features.cuts.sceneCutRate).toBeCloseTo(40, 0);
  });

  it("measures more motion in a moving test pattern than in a still", () => {
    expect(features.moving.motion).toBeGreaterThan(features.still.motion + 0.01);
    expect(features.moving.motion).toBeLessThanOrEqual(1);
    expect(features.moving.sceneCutRate).toBe(0);
  });

  it("hears a tone as louder than silence, and has no loudness without audio", () => {
    expect(features.still.loudnessLufs).toBeLessThanOrEqual(-60);
    expect(features.moving.loudnessLufs).toBeGreaterThan(-30);
    expect(features.cuts.loudnessLufs).toBeNull();
    expect(features.promisedAudio).toEqual({ ...features.cuts, loudnessLufs: null });
  });

  it("finds grey colourless and the test pattern colourful", () => {
    expect(features.still.colorfulness).toBeLessThan(0.02);
    expect(features.moving.colorfulness).toBeGreaterThan(0.5);
    expect(features.cuts.colorfulness).toBeGreaterThan(features.still.colorfulness);
  });

  it("recognises a re-encoded copy as a near duplicate, and a different clip as not", () => {
    for (const { phash } of Object.values(features)) expect(phash).toMatch(/^[0-9a-f]{16}$/);
    expect(isNearDuplicate(features.moving.phash, features.reencoded.phash)).toBe(true);
    expect(isNearDuplicate(features.moving.phash, features.different.phash)).toBe(false);
    expect(hammingDistance(features.moving.phash, features.different.phash)).toBeGreaterThan(16);
  });
});

describe("hammingDistance", () => {
  it("counts differing bits between hex hashes", () => {
    expect(hammingDistance("0000000000000000", "0000000000000000")).toBe(0);
    expect(hammingDistance("0000000000000000", "ffffffffffffffff")).toBe(64);
    expect(hammingDistance("8000000000000001", "0000000000000000")).toBe(2);
    expect(hammingDistance("00000000000000A0", "00000000000000a1")).toBe(1);
    expect(isNearDuplicate("00000000000003ff", "0000000000000000")).toBe(true);
    expect(isNearDuplicate("00000000000007ff", "0000000000000000")).toBe(false);
  });

  it("refuses anything but 16 hex characters", () => {
    expect(() => hammingDistance("abc", "0000000000000000")).toThrow(/16 hex/);
    expect(() => hammingDistance("zzzzzzzzzzzzzzzz", "0000000000000000")).toThrow(/16 hex/);
  });
});

