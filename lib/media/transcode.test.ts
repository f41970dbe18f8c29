import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeClip, VALID_CLIP_KINDS, type ClipKind } from "../../tests/fixtures/media";
import { planLadder, type Rung } from "./ladder";
import { probeMedia } from "./probe";
import { h264Level, secondsNeededBeforePlayback, transcodeToHls, type HlsResult } from "./transcode";

const run = promisify(execFile);
const SEGMENT_SECONDS = 4;
const KEYFRAME_SECONDS = 2;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "flick-transcode-test-"));
  for (const kind of VALID_CLIP_KINDS) await makeClip(kind);
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

type Run = { result: HlsResult; outDir: string; rungs: Rung[]; progress: number[]; firstPlayable: FirstPlayable | null };
type FirstPlayable = { rungs: Rung[]; master: string; lowestPlaylist: string; finished: boolean };

/** Transcodes a clip (by default to its two smallest rungs, to keep the suite fast) and records what a caller sees. */
async function transcode(kind: ClipKind, pickRungs: (ladder: Rung[]) => Rung[] = (ladder) => ladder.slice(0, 2)): Promise<Run> {
  const input = await makeClip(kind);
  const info = await probeMedia(input);
  const rungs = pickRungs(planLadder(info));
  const outDir = await mkdtemp(path.join(scratch, `${kind}-`));
  const progress: number[] = [];
  let firstPlayable: FirstPlayable | null = null;
  let finished = false;
  const result = await transcodeToHls({
    input,
    info,
    rungs,
    outDir,
    onProgress: (fraction) => progress.push(fraction),
    onFirstPlayable: async (masterPath, playable) => {
      firstPlayable = {
        rungs: playable,
        master: await readFile(masterPath, "utf8"),
        lowestPlaylist: await readFile(path.join(outDir, playable[0]!.name, "playlist.m3u8"), "utf8"),
        finished,
      };
    },
  });
  finished = true;
  return { result, outDir, rungs, progress, firstPlayable };
}

async function ffprobe(args: string[]): Promise<any> {
  const { stdout } = await run("ffprobe", ["-v", "error", "-of", "json", ...args]);
  return JSON.parse(stdout);
}

function readSegments(playlist: string): Array<{ uri: string; duration: number }> {
  const segments: Array<{ uri: string; duration: number }> = [];
  const lines = playlist.split("\n");
  lines.forEach((line, index) => {
    if (line.startsWith("#EXTINF:")) segments.push({ duration: Number.parseFloat(line.slice(8)), uri: lines[index + 1]!.trim() });
  });
  return segments;
}

/** init.mp4 + segments as one file, which is what a player decodes. */
async function joinRung(outDir: string, rung: Rung, segmentUris: string[], name: string): Promise<string> {
  const dir = path.join(outDir, rung.name);
  const parts = await Promise.all(["init.mp4", ...segmentUris].map((file) => readFile(path.join(dir, file))));
  const joined = path.join(scratch, `${path.basename(outDir)}-${rung.name}-${name}.mp4`);
  await writeFile(joined, Buffer.concat(parts));
  return joined;
}

function masterVariants(master: string): Array<{ attributes: string; uri: string }> {
  const lines = master.split("\n");
  return lines.flatMap((line, index) => (line.startsWith("#EXT-X-STREAM-INF:") ? [{ attributes: line, uri: lines[index + 1]!.trim() }] : []));
}

/** Everything a player relies on, checked with ffprobe on the files a viewer would download. */
async function expectPlayableLadder({ result, outDir, rungs }: Run, durationMs: number): Promise<void> {
  const master = await readFile(path.join(outDir, "master.m3u8"), "utf8");
  expect(master).toMatch(/^#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n/);
  const variants = masterVariants(master);
  expect(variants.map((variant) => variant.uri)).toEqual(rungs.map((rung) => `${rung.name}/playlist.m3u8`));
  expect(result.variants.map((variant) => variant.rung.name)).toEqual(rungs.map((rung) => rung.name));

  for (const [index, rung] of rungs.entries()) {
    const attributes = variants[index]!.attributes;
    const variant = result.variants[index]!;
    expect(attributes).toMatch(/BANDWIDTH=\d+,AVERAGE-BANDWIDTH=\d+,/);
    expect(attributes).toContain(`RESOLUTION=${rung.width}x${rung.height}`);
    expect(attributes).toContain(`CODECS="${variant.codecs}"`);
    expect(attributes).toMatch(/FRAME-RATE=\d+\.\d{3}/);
    expect(variant.codecs).toMatch(/^avc1\.64[0-9a-f]{4},mp4a\.40\.2$/);
    expect(variant.bandwidth).toBeGreaterThanOrEqual(rung.maxrate + rung.audioBitrate);

    const playlist = await readFile(path.join(outDir, variant.playlistPath), "utf8");
    // EVENT (it grew while encoding), finished with ENDLIST, and players start at its beginning.
    expect(playlist).toContain("#EXT-X-PLAYLIST-TYPE:EVENT");
    expect(playlist).toContain("#EXT-X-START:TIME-OFFSET=0");
    expect(playlist).toContain('#EXT-X-MAP:URI="init.mp4"');
    expect(playlist.trim().endsWith("#EXT-X-ENDLIST")).toBe(true);
    const segments = readSegments(playlist);
    expect(segments.length).toBeGreaterThan(0);
    for (const segment of segments.slice(0, -1)) expect(Math.abs(segment.duration - SEGMENT_SECONDS)).toBeLessThan(0.1);
    expect(segments.at(-1)!.duration).toBeLessThanOrEqual(SEGMENT_SECONDS + 0.1);
    const total = segments.reduce((sum, segment) => sum + segment.duration, 0);
    expect(Math.abs(total - durationMs / 1000)).toBeLessThan(0.2);

    // Every segment starts with a keyframe, so any rung can be joined or switched to at any segment.
    for (const segment of segments) {
      const joined = await joinRung(outDir, rung, [segment.uri], segment.uri);
      const first = await ffprobe(["-select_streams", "v", "-show_entries", "packet=flags", "-read_intervals", "%+#1", joined]);
      expect(first.packets[0].flags, `${rung.name} ${segment.uri}`).toMatch(/^K/);
    }

    const whole = await joinRung(outDir, rung, segments.map((segment) => segment.uri), "all");
    const { streams } = await ffprobe(["-show_streams", whole]);
    const video = streams.find((stream: any) => stream.codec_type === "video");
    const audio = streams.find((stream: any) => stream.codec_type === "audio");
    expect(video).toMatchObject({ codec_name: "h264", profile: "High", pix_fmt: "yuv420p", width: rung.width, height: rung.height });
    // CODECS names exactly what was encoded: High profile (0x64) at the level ffprobe reads from the stream.
    expect(variant.codecs.slice(0, 7)).toBe("avc1.64");
    expect(variant.codecs.slice(9, 11)).toBe(video.level.toString(16).padStart(2, "0"));
    expect(video.side_data_list ?? []).not.toEqual(expect.arrayContaining([expect.objectContaining({ side_data_type: "Display Matrix" })]));
    expect(audio).toMatchObject({ codec_name: "aac", profile: "LC", sample_rate: "48000", channels: 2 });
  }
}

describe("transcodeToHls", () => {
  it.each(VALID_CLIP_KINDS)("%s becomes a playable fMP4 HLS ladder", async (kind) => {
    const transcoded = await transcode(kind);
    const info = await probeMedia(await makeClip(kind));
    await expectPlayableLadder(transcoded, info.durationMs);

    // A clip this short is watchable only once encoded (two segments are wanted first): onFirstPlayable still comes,
    // once, before transcodeToHls returns, with the whole ladder.
    const first = transcoded.firstPlayable!;
    expect(first).not.toBeNull();
    expect(first.finished).toBe(false);
    expect(first.rungs.map((rung) => rung.name)).toEqual(transcoded.rungs.map((rung) => rung.name));
    expect(masterVariants(first.master).map((variant) => variant.uri)).toEqual(transcoded.rungs.map((rung) => `${rung.name}/playlist.m3u8`));
    expect(first.lowestPlaylist).toContain("#EXT-X-ENDLIST");

    // Progress only moves forward and ends at exactly 1.
    expect(transcoded.progress.length).toBeGreaterThan(0);
    transcoded.progress.forEach((value, index) => expect(value).toBeGreaterThanOrEqual(transcoded.progress[index - 1] ?? 0));
    expect(transcoded.progress.at(-1)).toBe(1);

    if (kind === "portrait" || kind === "rotated") {
      for (const rung of transcoded.rungs) expect(rung.height).toBeGreaterThan(rung.width);
    }
  });

  it("encodes the full portrait ladder with the H.264 level each size needs", async () => {
    const transcoded = await transcode("portrait", (ladder) => ladder);
    await expectPlayableLadder(transcoded, 2_000);
    expect(transcoded.result.variants.map((variant) => `${variant.resolution} ${variant.codecs}`)).toEqual([
      "360x640 avc1.64001e,mp4a.40.2",
      "540x960 avc1.64001f,mp4a.40.2",
      "720x1280 avc1.64001f,mp4a.40.2",
      "1080x1920 avc1.640028,mp4a.40.2",
    ]);
    const bandwidths = transcoded.result.variants.map((variant) => variant.bandwidth);
    expect([...bandwidths].sort((a, b) => a - b)).toEqual(bandwidths);
  });

  it("picks the smallest H.264 level that fits size, frame rate and peak bitrate", () => {
    const rung = (width: number, height: number, maxrate: number): Rung => ({
      name: "360p",
      width,
      height,
      videoBitrate: maxrate / 1.5,
      maxrate,
      bufsize: (maxrate * 4) / 3,
      audioBitrate: 96_000,
    });
    expect(h264Level(rung(360, 640, 830_000), 30)).toBe("3.0");
    expect(h264Level(rung(720, 1280, 3_318_000), 30)).toBe("3.1");
    expect(h264Level(rung(1080, 1920, 7_466_000), 30)).toBe("4.0");
    expect(h264Level(rung(1080, 1920, 14_930_000), 60)).toBe("4.2");
    expect(h264Level(rung(720, 1280, 6_636_000), 60)).toBe("3.2");
    expect(h264Level(rung(320, 240, 300_000), 30)).toBe("1.3");
  });

  it("makes a longer clip watchable while it encodes: growing playlists that name only finished files", async () => {
    const input = path.join(scratch, "long.mp4");
    // 30 s of moving 540×960 video with sound: long enough that two segments exist well before the two-rung encode ends,
    // on a machine several times faster than this one too.
    await run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=540x960:r=30:d=30", "-f", "lavfi", "-i", "sine=frequency=440:duration=30",
      "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", input]);
    const info = await probeMedia(input);
    const rungs = planLadder(info);
    const outDir = await mkdtemp(path.join(scratch, "long-"));
    type Snapshot = { master: string; playlists: string[]; missing: string[] };
    const snapshot = async (): Promise<Snapshot> => {
      const playlists = await Promise.all(rungs.map((rung) => readFile(path.join(outDir, rung.name, "playlist.m3u8"), "utf8")));
      const missing = rungs.flatMap((rung, index) =>
        ["init.mp4", ...readSegments(playlists[index]!).map((segment) => segment.uri)].filter((file) => !existsSync(path.join(outDir, rung.name, file))),
      );
      return { master: await readFile(path.join(outDir, "master.m3u8"), "utf8"), playlists, missing };
    };
    let first: Snapshot | null = null;
    const grown: Snapshot[] = [];
    const result = await transcodeToHls({
      input,
      info,
      rungs,
      outDir,
      onFirstPlayable: async () => {
        first = await snapshot();
        // What a viewer joining now downloads decodes: init + the listed segments of every rung, from the start.
        for (const [index, rung] of rungs.entries()) {
          const segments = readSegments(first.playlists[index]!);
          const joined = await joinRung(outDir, rung, segments.map((segment) => segment.uri), "first");
          const { streams } = await ffprobe(["-show_streams", "-select_streams", "v", joined]);
          expect(streams[0]).toMatchObject({ codec_name: "h264", width: rung.width, height: rung.height });
        }
      },
      onPlaylistsGrown: async () => {
        grown.push(await snapshot());
      },
    });
    const playable = first as Snapshot | null;
    expect(playable).not.toBeNull();
    expect(masterVariants(playable!.master).map((variant) => variant.uri)).toEqual(rungs.map((rung) => `${rung.name}/playlist.m3u8`));
    expect(playable!.missing).toEqual([]);
    for (const playlist of playable!.playlists) {
      expect(playlist).toContain("#EXT-X-PLAYLIST-TYPE:EVENT");
      expect(playlist).toContain("#EXT-X-START:TIME-OFFSET=0");
      expect(playlist).not.toContain("#EXT-X-ENDLIST");
      expect(readSegments(playlist).length).toBeGreaterThanOrEqual(2);
    }
    // The playlists only grew, every version naming only files that exist, and the end closed them with ENDLIST.
    const counts = [playable!, ...grown].map((state) => readSegments(state.playlists[0]!).length);
    counts.forEach((count, index) => expect(count).toBeGreaterThanOrEqual(counts[index - 1] ?? 0));
    for (const state of grown) expect(state.missing).toEqual([]);
    const final = await readFile(path.join(outDir, result.variants[0]!.playlistPath), "utf8");
    expect(final.trim().endsWith("#EXT-X-ENDLIST")).toBe(true);
    expect(readSegments(final).length).toBe(8);
    expect(counts[0]!).toBeLessThan(8);
  });

  it("a failing publish callback stops ffmpeg and rejects with its error", async () => {
    const input = path.join(scratch, "long.mp4");
    const info = await probeMedia(input);
    const outDir = await mkdtemp(path.join(scratch, "publish-failed-"));
    const transcoding = transcodeToHls({
      input,
      info,
      rungs: planLadder(info),
      outDir,
      onFirstPlayable: () => {
        throw new Error("storage is down");
      },
    });
    await expect(transcoding).rejects.toThrow("storage is down");
    const { stdout } = await run("ps", ["-eo", "args"]);
    expect(stdout.split("\n").filter((line) => line.includes(outDir))).toEqual([]);
  });

  it("waits for enough video that a viewer starting now never catches up with the encoder", () => {
    // Faster than real time: two segments are enough.
    expect(secondsNeededBeforePlayback(60, 1.5)).toBe(8);
    // At half real time the encoder needs a head start of most of the clip (trusting 80 % of the speed).
    expect(secondsNeededBeforePlayback(60, 0.5)).toBeCloseTo(4 + 56 * 0.6, 5);
    // Never more than the clip, and clips shorter than two segments wait for the end.
    expect(secondsNeededBeforePlayback(6, 0.1)).toBe(6);
    expect(secondsNeededBeforePlayback(60, 0)).toBe(60);
  });

  it("puts a keyframe every 2 s exactly, at the same instants in every rung", async () => {
    const transcoded = await transcode("landscape");
    for (const rung of transcoded.rungs) {
      const { packets } = await ffprobe(["-select_streams", "v", "-show_entries", "packet=pts_time,flags", path.join(transcoded.outDir, rung.name, "playlist.m3u8")]);
      const start = Number(packets[0].pts_time);
      const keyframes = packets.filter((packet: any) => packet.flags.startsWith("K")).map((packet: any) => Number((Number(packet.pts_time) - start).toFixed(3)));
      expect(keyframes, rung.name).toEqual([0, KEYFRAME_SECONDS, 2 * KEYFRAME_SECONDS]);
    }
  });

  it("turns a variable-frame-rate source into constant frame rate", async () => {
    const transcoded = await transcode("vfr");
    const rung = transcoded.rungs[0]!;
    const { packets } = await ffprobe(["-select_streams", "v", "-show_entries", "packet=duration_time", path.join(transcoded.outDir, rung.name, "playlist.m3u8")]);
    const durations = new Set(packets.map((packet: any) => Number(packet.duration_time).toFixed(4)));
    expect(durations.size).toBe(1);
  });

  it("tone-maps HDR to SDR BT.709", async () => {
    const transcoded = await transcode("hdr");
    const rung = transcoded.rungs.at(-1)!;
    const { streams } = await ffprobe(["-show_streams", "-select_streams", "v", path.join(transcoded.outDir, rung.name, "playlist.m3u8")]);
    expect(streams[0]).toMatchObject({ pix_fmt: "yuv420p", color_transfer: "bt709", color_primaries: "bt709" });
  });

  it("an abort kills ffmpeg and rejects, leaving no ffmpeg running", async () => {
    const input = await makeClip("portrait");
    const info = await probeMedia(input);
    const outDir = await mkdtemp(path.join(scratch, "aborted-"));
    const controller = new AbortController();
    const transcoding = transcodeToHls({
      input,
      info,
      rungs: planLadder(info),
      outDir,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    setTimeout(() => controller.abort(), 300).unref();
    await expect(transcoding).rejects.toThrow(/abort/i);
    const { stdout } = await run("ps", ["-eo", "args"]);
    expect(stdout.split("\n").filter((line) => line.includes(outDir))).toEqual([]);
    expect(existsSync(path.join(outDir, "master.m3u8"))).toBe(false);
  });

  it("rejects without starting ffmpeg when already aborted", async () => {
    const input = await makeClip("square");
    const info = await probeMedia(input);
    await expect(
      transcodeToHls({ input, info, rungs: planLadder(info), outDir: path.join(scratch, "never"), signal: AbortSignal.abort() }),
    ).rejects.toThrow();
    expect(existsSync(path.join(scratch, "never"))).toBe(false);
  });

  it("puts ffmpeg's own explanation into the error when it fails", async () => {
    const info = await probeMedia(await makeClip("square"));
    const input = path.join(scratch, "not-really.mp4");
    await writeFile(input, "not a video at all");
    const outDir = await mkdtemp(path.join(scratch, "failed-"));
    await expect(transcodeToHls({ input, info, rungs: planLadder(info), outDir })).rejects.toThrow(/ffmpeg failed .*(Invalid data|moov atom not found)/s);
  });
});
