// The whole upload pipeline through the running instance: tus upload → POST /api/videos (ffprobe validation) →
// transcode worker → published HLS ladder served from /media, for every kind of input a phone or camera produces,
// and a clear refusal for every kind of bad file.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";

import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { makeClip } from "../fixtures/media";
import { api, baseUrl, signUp } from "../helpers";
import { createTokenFor } from "./tokens-helper";
import { createTusUpload, publish, uploadFile, waitForModeration, waitForVideo, type Auth } from "./upload-helpers";

const run = promisify(execFile);
const SEGMENT_SECONDS = 4;

async function ffprobeJson(url: string): Promise<any> {
  const { stdout } = await run("ffprobe", ["-v", "error", "-print_format", "json", "-show_streams", url]);
  return JSON.parse(stdout);
}

async function checkLadder(video: any) {
  expect(video.hls).toMatch(/\/media\/videos\/.+\/master\.m3u8$/);
  const master = await (await fetch(`${baseUrl()}${video.hls}`)).text();
  const variants = master.split("\n").filter((line) => line.startsWith("#EXT-X-STREAM-INF"));
  expect(variants.length).toBeGreaterThan(0);
  for (const line of variants) {
    expect(line).toMatch(/BANDWIDTH=\d+/);
    expect(line).toMatch(/RESOLUTION=\d+x\d+/);
    expect(line).toMatch(/CODECS="avc1\.[0-9a-fA-F]{6}/);
  }
  const base = new URL(video.hls, baseUrl());
  const playlists = master.split("\n").filter((line) => line && !line.startsWith("#"));
  for (const playlist of playlists) {
    const text = await (await fetch(new URL(playlist, base))).text();
    expect(text).toContain("#EXT-X-ENDLIST");
    expect(text).toContain("#EXT-X-MAP");
    const durations = [...text.matchAll(/#EXTINF:([\d.]+)/g)].map((match) => Number(match[1]));
    expect(durations.length).toBeGreaterThan(0);
    durations.slice(0, -1).forEach((duration) => expect(Math.abs(duration - SEGMENT_SECONDS)).toBeLessThan(0.6));
  }
  const probe = await ffprobeJson(new URL(playlists[0]!, base).toString());
  const stream = probe.streams.find((s: any) => s.codec_type === "video");
  expect(stream.codec_name).toBe("h264");
  expect(stream.pix_fmt).toBe("yuv420p");
  expect(probe.streams.some((s: any) => s.codec_type === "audio")).toBe(true);
  return { stream, playlists };
}

describe("upload pipeline", () => {
  let auth: Auth;
  let clips: string;
  beforeAll(async () => {
    const user = await signUp();
    auth = { token: await createTokenFor(user.handle) };
    clips = mkdtempSync(path.join(tmpdir(), "flick-clips-"));
  });

  const VALID = ["portrait", "landscape", "square", "rotated", "vfr", "no-audio", "ten-bit", "hdr", "hevc", "vp9-webm", "mov"] as const;

  it.each(VALID)("%s input ends ready with a playable HLS ladder", async (kind) => {
    const file = await makeClip(kind, clips);
    const uploadId = await uploadFile(auth, file);
    const created = await publish(auth, uploadId, { caption: `a ${kind} clip #${kind.replace(/-/g, "_")} #test` });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const video = await waitForModeration(auth, created.body.id);
    expect(video.status, video.error).toBe("ready");
    expect(video.progress).toBe(1);
    expect(video.poster).toMatch(/\.webp$/);
    expect(video.blurhash).toBeTruthy();
    expect(video.hashtags).toContain(kind.replace(/-/g, "_"));
    const { stream } = await checkLadder(video);
    if (kind === "portrait" || kind === "rotated") {
      expect(video.height).toBeGreaterThan(video.width);
      expect(stream.height).toBeGreaterThan(stream.width);
    }
    const poster = await fetch(`${baseUrl()}${video.poster}`);
    expect(poster.status).toBe(200);
    expect(poster.headers.get("content-type")).toBe("image/webp");
  }, 180_000); // transcode, features and the moderation stage, on a machine other test runs share

  const INVALID: Array<[string, RegExp, string]> = [
    ["zero-byte", /empty/i, "not_a_video"],
    ["text-as-mp4", /not a video/i, "not_a_video"],
    ["truncated", /corrupt|damaged|incomplete|truncated/i, "corrupt"],
    ["png", /image/i, "not_a_video"],
    ["audio-only", /audio/i, "audio_only"],
    ["too-long", /minutes|seconds/i, "too_long"],
  ];

  it.each(INVALID)("%s is refused with a clear reason and leaves nothing behind", async (kind, message, reason) => {
    const file = await makeClip(kind as never, clips);
    if (kind === "zero-byte") {
      const response = await createTusUpload(auth, 0, "empty.mp4");
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(await response.text()).toMatch(message);
      return;
    }
    const uploadId = await uploadFile(auth, file);
    const response = await publish(auth, uploadId);
    expect(response.status).toBe(422);
    expect(response.body.error.message).toMatch(message);
    expect(response.body.error.reason).toBe(reason);
    expect(await getDb().upload.findUnique({ where: { id: uploadId } })).toBeNull();
    expect(existsSync(path.join(process.env.DATA_DIR!, "uploads", uploadId))).toBe(false);
    expect(await getDb().video.count({ where: { uploadId } })).toBe(0);
  });

  it("extracts content features with an image embedding, and flags a re-upload of the same clip", async () => {
    // A clip unlike every other in the suite, so only its own re-upload can match it.
    const file = path.join(clips, "unique-mandelbrot.mp4");
    await run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "mandelbrot=size=1280x720:rate=25", "-f", "lavfi", "-i", "sine=frequency=500",
      "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", file]);
    const first = await publish(auth, await uploadFile(auth, file), { caption: "original #sunset at the beach" });
    expect((await waitForVideo(auth, first.body.id)).status).toBe("ready");
    const again = await publish(auth, await uploadFile(auth, file), { caption: "stolen copy" });
    expect((await waitForVideo(auth, again.body.id)).status).toBe("ready");
    const features = async (videoId: string) => {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const row = await getDb().videoFeatures.findUnique({ where: { videoId } });
        if (row) return row;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      throw new Error(`no features for ${videoId}`);
    };
    const original = await features(first.body.id);
    expect(original.durationMs).toBeGreaterThan(0);
    expect(original.aspect).toBeCloseTo(1280 / 720, 1);
    expect(original.motion).toBeGreaterThan(0);
    expect(original.textTokens).toEqual(expect.arrayContaining(["original", "beach", "#sunset"]));
    expect(original.embedding).toHaveLength(3);
    expect(original.duplicateOfId).toBeNull();
    const copy = await features(again.body.id);
    expect(copy.duplicateOfId).toBe(first.body.id);
  });

  it("refuses an upload larger than the limit before any byte is sent", async () => {
    const response = await createTusUpload(auth, 10 * 1024 * 1024 * 1024, "huge.mp4");
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/at most/);
  });

  it("lets only the owner (or a moderator) change or delete a video, and deleting removes every file", async () => {
    const file = await makeClip("square", clips);
    const created = await publish(auth, await uploadFile(auth, file), { visibility: "private" });
    const video = await waitForModeration(auth, created.body.id);
    expect(video.status).toBe("ready");

    const stranger = await signUp();
    const strangerAuth = { token: await createTokenFor(stranger.handle) };
    expect((await api(`/api/videos/${video.id}`, { token: strangerAuth.token })).status).toBe(404);
    expect((await fetch(`${baseUrl()}${video.hls}`)).status).toBe(404);
    expect((await api(`/api/videos/${video.id}`, { method: "PATCH", token: strangerAuth.token, body: { caption: "mine now" } })).status).toBe(404);

    const patched = await api(`/api/videos/${video.id}`, { method: "PATCH", token: auth.token, body: { caption: "new #words", visibility: "unlisted" } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ caption: "new #words", hashtags: ["words"], visibility: "unlisted" });
    expect((await api(`/api/videos/${video.id}`)).status).toBe(200);
    expect((await api(`/api/videos/${video.id}`, { method: "PATCH", token: strangerAuth.token, body: { caption: "mine now" } })).status).toBe(403);
    expect((await api(`/api/videos/${video.id}`, { method: "DELETE", token: strangerAuth.token })).status).toBe(403);

    expect((await api(`/api/videos/${video.id}`, { method: "DELETE", token: auth.token })).status).toBe(200);
    expect((await api(`/api/videos/${video.id}`, { token: auth.token })).status).toBe(404);
    expect((await fetch(`${baseUrl()}${video.hls}`)).status).toBe(404);
    expect(existsSync(path.join(process.env.DATA_DIR!, "media", "videos", video.id))).toBe(false);
    expect(existsSync(path.join(process.env.DATA_DIR!, "media", "sources", video.id))).toBe(false);
  }, 180_000);
});
