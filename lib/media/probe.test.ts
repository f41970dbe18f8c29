import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { INVALID_CLIP_KINDS, makeClip, VALID_CLIP_KINDS, type ClipKind } from "../../tests/fixtures/media";
import { inspectUpload, probeMedia, validateMedia, type MediaInfo, type MediaLimits, type MediaRejection } from "./probe";

const run = promisify(execFile);
const LIMITS: MediaLimits = { maxBytes: 100_000_000, maxDurationMs: 5_000 };

beforeAll(async () => {
  // Generate (or reuse) every clip up front, so each test measures only what it is about.
  for (const kind of [...VALID_CLIP_KINDS, ...INVALID_CLIP_KINDS]) await makeClip(kind);
});

describe("inspectUpload accepts every kind of video a phone or camera produces", () => {
  it.each(VALID_CLIP_KINDS)("%s", async (kind) => {
    const { info, verdict } = await inspectUpload(await makeClip(kind), LIMITS);
    expect(verdict).toEqual({ ok: true });
    expect(info?.video).not.toBeNull();
    expect(info!.durationMs).toBeGreaterThan(1_500);
    expect(info!.sizeBytes).toBeGreaterThan(0);
  });
});

describe("probeMedia reports what a viewer will see", () => {
  const probe = async (kind: ClipKind) => probeMedia(await makeClip(kind));

  it("portrait is taller than wide; landscape and square keep their shape", async () => {
    expect((await probe("portrait")).video).toMatchObject({ width: 1080, height: 1920, rotation: 0, codec: "h264" });
    expect((await probe("landscape")).video).toMatchObject({ width: 1280, height: 720 });
    expect((await probe("square")).video).toMatchObject({ width: 720, height: 720 });
  });

  it("a phone video coded landscape with a 90° display matrix reports its displayed portrait size", async () => {
    const file = await makeClip("rotated");
    // The fixture really carries the matrix (ffmpeg 5.1 writes it from the rotate tag), not a portrait stream.
    const { stdout } = await run("ffprobe", ["-v", "error", "-show_streams", "-select_streams", "v", "-of", "json", file]);
    const stream = JSON.parse(stdout).streams[0];
    expect([stream.width, stream.height]).toEqual([1280, 720]);
    expect(stream.side_data_list).toEqual(expect.arrayContaining([expect.objectContaining({ side_data_type: "Display Matrix" })]));

    const info = await probeMedia(file);
    expect(info.video).toMatchObject({ width: 720, height: 1280 });
    expect(info.video!.rotation % 180).toBe(90);
  });

  it("detects variable frame rate and reports the average rate", async () => {
    const vfr = (await probe("vfr")).video!;
    expect(vfr.isVariableFrameRate).toBe(true);
    expect(vfr.fps).toBeGreaterThan(24);
    expect(vfr.fps).toBeLessThan(60);
    for (const kind of ["portrait", "landscape", "mov", "vp9-webm", "hevc"] as const) {
      const video = (await probe(kind)).video!;
      expect(video.isVariableFrameRate, kind).toBe(false);
      expect(video.fps, kind).toBe(30);
    }
  });

  it("detects 10-bit and HDR sources", async () => {
    expect((await probe("ten-bit")).video).toMatchObject({ bitDepth: 10, pixFmt: "yuv420p10le", isHdr: false });
    expect((await probe("hdr")).video).toMatchObject({ codec: "hevc", bitDepth: 10, isHdr: true, colorTransfer: "smpte2084", colorPrimaries: "bt2020" });
    expect((await probe("portrait")).video).toMatchObject({ bitDepth: 8, isHdr: false });
  });

  it("reads codecs, containers, audio and bitrates", async () => {
    const webm = await probe("vp9-webm");
    expect(webm.container).toContain("webm");
    expect(webm.video).toMatchObject({ codec: "vp9" });
    expect(webm.audio).toMatchObject({ codec: "opus", sampleRate: 48_000 });
    // WebM states no per-stream bitrate; the file's overall rate stands in, so the ladder can still be capped.
    expect(webm.video!.bitrate).toBeGreaterThan(0);
    expect((await probe("hevc")).video!.codec).toBe("hevc");
    expect((await probe("mov")).container).toContain("mov");
    const portrait = await probe("portrait");
    expect(portrait.audio).toMatchObject({ codec: "aac", sampleRate: 48_000, channels: 1 });
    expect(portrait.video!.bitrate).toBeGreaterThan(100_000);
    expect((await probe("no-audio")).audio).toBeNull();
  });
});

describe("inspectUpload refuses bad files with a reason and a sentence a creator understands", () => {
  const CASES: Array<[ClipKind, MediaRejection, RegExp, Partial<MediaLimits>]> = [
    ["zero-byte", "not_a_video", /empty/i, {}],
    ["text-as-mp4", "not_a_video", /not a video/i, {}],
    ["truncated", "corrupt", /damaged or incomplete/i, {}],
    ["truncated-faststart", "corrupt", /damaged or incomplete/i, {}],
    ["png", "not_a_video", /^This is an image, not a video\.$/, {}],
    ["audio-only", "audio_only", /only audio/i, {}],
    ["too-long", "too_long", /^This video is 12 seconds long; videos can be at most 5 seconds\.$/, {}],
    ["too-large", "too_large", /^This file is \d+ KB; uploads can be at most 500 KB\.$/, { maxBytes: 500_000 }],
  ];

  it.each(CASES)("%s → %s", async (kind, reason, message, limits) => {
    const { verdict } = await inspectUpload(await makeClip(kind), { ...LIMITS, ...limits });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.reason).toBe(reason);
    expect(verdict.message).toMatch(message);
    // A sentence, not a tool's error output.
    expect(verdict.message).toMatch(/^[A-Z].*\.$/);
    expect(verdict.message).not.toMatch(/ffprobe|ffmpeg|moov|atom|stream #/i);
  });

  it("a file cut short after its index still probes whole; only the tail decode finds the damage", async () => {
    const { info, verdict } = await inspectUpload(await makeClip("truncated-faststart"), LIMITS);
    expect(info?.durationMs).toBe(2_000);
    expect(verdict).toMatchObject({ ok: false, reason: "corrupt" });
  });
});

describe("validateMedia", () => {
  const base = (): MediaInfo => ({
    container: "mov,mp4,m4a,3gp,3g2,mj2",
    sizeBytes: 12_000_000,
    durationMs: 30_000,
    video: {
      streamIndex: 0,
      codec: "h264",
      width: 1080,
      height: 1920,
      rotation: 0,
      fps: 30,
      isVariableFrameRate: false,
      pixFmt: "yuv420p",
      bitDepth: 8,
      isHdr: false,
      bitrate: 3_000_000,
      colorTransfer: null,
      colorPrimaries: null,
      frameCount: 900,
    },
    audio: { streamIndex: 1, codec: "aac", channels: 2, sampleRate: 48_000, bitrate: 128_000 },
  });
  const limits: MediaLimits = { maxBytes: 500_000_000, maxDurationMs: 600_000 };

  it("accepts an ordinary phone video", () => {
    expect(validateMedia(base(), limits)).toEqual({ ok: true });
  });

  it("says how long the video is and how long it may be", () => {
    expect(validateMedia({ ...base(), durationMs: 12 * 60_000 }, limits)).toEqual({
      ok: false,
      reason: "too_long",
      message: "This video is 12 minutes long; videos can be at most 10 minutes.",
    });
    expect(validateMedia({ ...base(), durationMs: 10 * 60_000 + 400 }, limits)).toMatchObject({
      message: "This video is 10 minutes 1 second long; videos can be at most 10 minutes.",
    });
  });

  it("never says a file just over the limit is the same size as the limit", () => {
    const verdict = validateMedia({ ...base(), sizeBytes: 500_400_000 }, limits);
    expect(verdict).toEqual({ ok: false, reason: "too_large", message: "This file is 500.4 MB; uploads can be at most 500 MB." });
    expect(validateMedia({ ...base(), sizeBytes: 2_400_000_000 }, limits)).toMatchObject({ message: "This file is 2.4 GB; uploads can be at most 500 MB." });
  });

  it("refuses sizes outside what the player and ladder handle", () => {
    const huge = validateMedia({ ...base(), video: { ...base().video!, width: 4320, height: 7680 } }, limits);
    expect(huge).toMatchObject({ ok: false, reason: "unsupported", message: expect.stringMatching(/4320×7680.*4096/) });
    const tiny = validateMedia({ ...base(), video: { ...base().video!, width: 48, height: 48 } }, limits);
    expect(tiny).toMatchObject({ ok: false, reason: "unsupported", message: expect.stringMatching(/48×48.*64/) });
    expect(validateMedia({ ...base(), video: { ...base().video!, width: 48, height: 48 } }, { ...limits, minDimension: 32 })).toEqual({ ok: true });
  });

  it("tells images, audio and empty containers apart", () => {
    expect(validateMedia({ ...base(), container: "jpeg_pipe", durationMs: 0 }, limits)).toMatchObject({ reason: "not_a_video" });
    expect(validateMedia({ ...base(), durationMs: 0, video: { ...base().video!, frameCount: 1 } }, limits)).toMatchObject({ reason: "not_a_video" });
    expect(validateMedia({ ...base(), video: null }, limits)).toMatchObject({ reason: "audio_only" });
    expect(validateMedia({ ...base(), video: null, audio: null }, limits)).toMatchObject({ reason: "no_video_stream" });
    expect(validateMedia({ ...base(), durationMs: 0, video: { ...base().video!, frameCount: 300 } }, limits)).toMatchObject({ reason: "corrupt" });
  });
});
