// Still images of an uploaded video, made in the worker: frames at given times, the poster (WebP + JPEG + blurhash),
// the cover-picker candidates and the seek-preview sprite with its WebVTT. ffmpeg decodes, seeks and applies the
// display rotation (autorotate is on by default, so every image here is in displayed orientation); sharp encodes.
// Also home to the one ffmpeg runner the analysis modules share. Worker-only: it spawns processes and loads sharp.
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { encode as encodeBlurhash } from "blurhash";
import sharp from "sharp";

// ---------------------------------------------------------------------------------------------------------------
// Running ffmpeg
// ---------------------------------------------------------------------------------------------------------------

// Analysis of a short clip takes seconds; a run this long means ffmpeg is stuck on a broken file, so it is killed.
const FFMPEG_TIMEOUT_MS = 5 * 60_000;
// Enough for ffmpeg's last few error lines (it prints the cause last), short enough for a job's failure reason.
const STDERR_TAIL_CHARS = 2_000;

export type FfmpegOptions = {
  /** Collect stdout (for `-f image2pipe -`) and resolve with it. */
  captureStdout?: boolean;
  timeoutMs?: number;
  /** Cancels the run (the process is killed), e.g. when the job is stopped. */
  signal?: AbortSignal;
  /** Working directory, so filter graphs can name output files relatively (no filter escaping of paths). */
  cwd?: string;
};

/** ffmpeg failed, was killed or could not start; `stderrTail` holds the end of what it printed. */
export class FfmpegError extends Error {
  constructor(
    message: string,
    readonly stderrTail: string,
    readonly exitCode: number | null,
  ) {
    super(stderrTail ? `${message}: ${stderrTail}` : message);
    this.name = "FfmpegError";
  }
}

/**
 * Runs ffmpeg with `args` and resolves (with stdout when captured) once the process has exited. A failure rejects
 * only after the process is gone: on timeout or abort it is killed with SIGKILL first.
 */
export function runFfmpeg(args: readonly string[], options: FfmpegOptions = {}): Promise<Buffer> {
  const { captureStdout = false, timeoutMs = FFMPEG_TIMEOUT_MS, signal, cwd } = options;
  return new Promise((resolve, reject) => {
    // -nostdin: ffmpeg otherwise reads the worker's stdin for interactive keys; errors only, so the tail is the cause.
    const child = spawn("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", ...args], {
      stdio: ["ignore", captureStdout ? "pipe" : "ignore", "pipe"],
      cwd,
    });
    const stdout: Buffer[] = [];
    let stderr = "";
    let failure: string | undefined;

    const kill = (reason: string) => {
      failure ??= reason;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => kill(`ffmpeg timed out after ${timeoutMs} ms`), timeoutMs);
    const onAbort = () => kill("ffmpeg was cancelled");
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });

    child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });
    const settle = (error?: FfmpegError) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      if (error) reject(error);
      else resolve(Buffer.concat(stdout));
    };
    child.on("error", (error) => {
      // Without a pid the process never started (ffmpeg missing): no "close" will follow.
      if (child.pid === undefined) settle(new FfmpegError(`ffmpeg could not start (${error.message})`, "", null));
      else kill(`ffmpeg failed (${error.message})`);
    });
    child.on("close", (code) => {
      const tail = stderr.trim();
      if (failure) settle(new FfmpegError(failure, tail, code));
      else if (code !== 0) settle(new FfmpegError(`ffmpeg exited with code ${code}`, tail, code));
      else settle();
    });
  });
}

/** A scratch directory removed after `work`, whatever happens. */
export async function withTempDir<T>(prefix: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The first real video stream: capital V skips cover art that some files carry as a one-frame video stream. */
const VIDEO_STREAM = "V:0";

/**
 * A file path ffmpeg cannot mistake for anything else: absolute, so it never starts with "-" (an option) or reads as
 * "name:" (a protocol).
 */
export function localPath(file: string): string {
  return path.resolve(file);
}

/**
 * An ffmpeg filter to `width` pixels wide with the height of the displayed shape: non-square pixels (anamorphic
 * sources) are applied, as the probe's displayed size applies them, and the height is even like -2 would make it.
 */
function scaleToWidth(width: number): string {
  return `scale=w=${width}:h='2*trunc(${width}*ih/(iw*sar)/2)',setsar=1`;
}

/** An ffmpeg filter to the displayed size, shrunk (never enlarged) so the short edge is at most `edge`; even sides. */
function scaleShortEdgeAtMost(edge: number): string {
  const factor = `min(1\\,${edge}/min(iw*sar\\,ih))`;
  return `scale=w='2*trunc(iw*sar*${factor}/2)':h='2*trunc(ih*${factor}/2)',setsar=1`;
}

/** Seconds as ffmpeg reads them, to the millisecond. */
function formatSeconds(seconds: number): string {
  return Math.max(0, seconds).toFixed(3);
}

// ---------------------------------------------------------------------------------------------------------------
// Frames
// ---------------------------------------------------------------------------------------------------------------

// Each time is its own fast-seeking input of one ffmpeg process, so a handful of frames cost one process start; at
// most six per process, so a long list of times never opens dozens of full-size decoders at once.
const FRAMES_PER_PROCESS = 6;
// JPEG quality on ffmpeg's 2–31 scale (lower is better): 2 is visually lossless, for frames that are analysed further.
const FRAME_JPEG_QSCALE = 2;

export type FrameOptions = { width: number; format?: "png" | "jpeg" };

/**
 * Writes one frame per time (seconds) to `outDir`, `width` pixels wide in displayed orientation, and returns their
 * paths in the order of `times`. A time past the end of the video fails, naming the time.
 */
export async function extractFrames(
  input: string,
  times: number[],
  outDir: string,
  { width, format = "png" }: FrameOptions,
): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const extension = format === "png" ? "png" : "jpg";
  const frames = times.map((time) => ({
    time,
    file: path.join(outDir, `frame-${Math.round(time * 1000)}ms-${width}w.${extension}`),
  }));
  for (let start = 0; start < frames.length; start += FRAMES_PER_PROCESS) {
    const batch = frames.slice(start, start + FRAMES_PER_PROCESS);
    // -ss before -i seeks to the keyframe before and decodes up to the exact time: fast and accurate.
    const inputs = batch.flatMap(({ time }) => ["-ss", formatSeconds(time), "-i", localPath(input)]);
    const outputs = batch.flatMap(({ file }, index) => [
      ...["-map", `${index}:${VIDEO_STREAM}`, "-frames:v", "1", "-vf", scaleToWidth(width)],
      ...(format === "jpeg" ? ["-q:v", String(FRAME_JPEG_QSCALE)] : []),
      ...["-update", "1", "-y", localPath(file)],
    ]);
    await runFfmpeg([...inputs, ...outputs]);
  }
  for (const { time, file } of frames) {
    // ffmpeg succeeds without writing anything when the seek lands past the last frame.
    if (!(await exists(file))) throw new FfmpegError(`No frame at ${formatSeconds(time)} s of ${input}`, "", 0);
  }
  return frames.map(({ file }) => file);
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    (info) => info.size > 0,
    () => false,
  );
}

/** One frame as PNG bytes, scaled by an ffmpeg `scale` filter, without touching the disk. */
async function grabFrame(input: string, timeSec: number, scale: string): Promise<Buffer> {
  const png = await runFfmpeg(
    // Compression level 1: the PNG only crosses a pipe to sharp, so speed beats size.
    ["-ss", formatSeconds(timeSec), "-i", localPath(input), "-map", `0:${VIDEO_STREAM}`, "-frames:v", "1", "-vf", scale]
      .concat(["-c:v", "png", "-compression_level", "1", "-f", "image2pipe", "-"]),
    { captureStdout: true },
  );
  if (png.length === 0) throw new FfmpegError(`No frame at ${formatSeconds(timeSec)} s of ${input}`, "", 0);
  return png;
}

// ---------------------------------------------------------------------------------------------------------------
// Poster
// ---------------------------------------------------------------------------------------------------------------

// Posters keep the video's displayed size up to 1080 on the short edge: the largest rendition the ladder serves.
const POSTER_SHORT_EDGE = 1080;
// WebP quality 80: no visible loss at phone sizes, and 15–20 % smaller than the mozjpeg fallback on test frames.
const POSTER_WEBP_QUALITY = 80;
// The JPEG is the fallback for clients and link-preview crawlers that take no WebP; mozjpeg at 82 trims ~15 % more
// bytes than libjpeg for under 0.1 s of worker time per poster, paid once and saved on every share.
const POSTER_JPEG_QUALITY = 82;
// Blurhash is computed from a tiny image: its few DCT components need no detail, and encoding cost grows with pixels.
const BLURHASH_SOURCE_EDGE = 32;
// More components along the long edge, so the placeholder keeps the frame's layout in the direction it has room:
// 4 across × 7 down for portrait, 4 across × 3 down otherwise. The string stays short (60 or 28 characters).
const BLURHASH_COMPONENTS_X = 4;
const BLURHASH_COMPONENTS_Y_PORTRAIT = 7;
const BLURHASH_COMPONENTS_Y_LANDSCAPE = 3;
// AVIF was measured and left out: sharp's default effort took 1.3–4.5 s per 1080×1920 poster on this 2-core machine
// and effort 2 still 0.2–0.7 s, for files only 10–35 % smaller than WebP, which every current browser shows.

export type Poster = { webp: string; jpeg: string; width: number; height: number; blurhash: string };

/**
 * The poster at `timeSec`: `poster.webp` and `poster.jpg` in `outDir`, at the displayed size capped at 1080 on the
 * short edge, plus a blurhash the player paints before the image arrives.
 */
export async function makePoster(
  input: string,
  { timeSec, outDir }: { timeSec: number; outDir: string },
): Promise<Poster> {
  await mkdir(outDir, { recursive: true });
  const png = await grabFrame(input, timeSec, scaleShortEdgeAtMost(POSTER_SHORT_EDGE));
  const { width = 0, height = 0 } = await sharp(png).metadata();
  const webp = path.join(outDir, "poster.webp");
  const jpeg = path.join(outDir, "poster.jpg");
  const [blurhash] = await Promise.all([
    computeBlurhash(png, width, height),
    sharp(png).webp({ quality: POSTER_WEBP_QUALITY }).toFile(webp),
    sharp(png).jpeg({ quality: POSTER_JPEG_QUALITY, mozjpeg: true, progressive: true }).toFile(jpeg),
  ]);
  return { webp, jpeg, width, height, blurhash };
}

async function computeBlurhash(image: Buffer, width: number, height: number): Promise<string> {
  const portrait = height > width;
  const { data, info } = await sharp(image)
    .resize(BLURHASH_SOURCE_EDGE, BLURHASH_SOURCE_EDGE, { fit: "inside" })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const componentsY = portrait ? BLURHASH_COMPONENTS_Y_PORTRAIT : BLURHASH_COMPONENTS_Y_LANDSCAPE;
  const pixels = new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength);
  return encodeBlurhash(pixels, info.width, info.height, BLURHASH_COMPONENTS_X, componentsY);
}

// ---------------------------------------------------------------------------------------------------------------
// Cover candidates
// ---------------------------------------------------------------------------------------------------------------

// Candidates skip the first and last 5 %: fades, black frames and end cards live there.
const COVER_MARGIN = 0.05;
// 270 px wide: a quarter of the 1080 poster, sharp up to 135 CSS px wide on a 2× screen, plenty for a picker tile.
const COVER_THUMB_WIDTH = 270;
// Thumbnails are glanced at to choose one; quality 70 keeps each near 5 KB.
const COVER_WEBP_QUALITY = 70;

export type CoverCandidate = { timeSec: number; webp: string };

/** Small WebP frames evenly spaced over the middle 90 % of the video, for the studio's cover picker. */
export async function makeCoverCandidates(
  input: string,
  durationSec: number,
  outDir: string,
  count = 6,
): Promise<CoverCandidate[]> {
  await mkdir(outDir, { recursive: true });
  const span = durationSec * (1 - 2 * COVER_MARGIN);
  // The middle of each of `count` equal slices of the span, to the millisecond.
  const times = Array.from({ length: count }, (_, i) =>
    Math.round((durationSec * COVER_MARGIN + ((i + 0.5) * span) / count) * 1000) / 1000,
  );
  return withTempDir("flick-covers-", async (scratch) => {
    const frames = await extractFrames(input, times, scratch, { width: COVER_THUMB_WIDTH, format: "png" });
    return Promise.all(
      frames.map(async (frame, i) => {
        const webp = path.join(outDir, `cover-${i}.webp`);
        await sharp(frame).webp({ quality: COVER_WEBP_QUALITY }).toFile(webp);
        return { timeSec: times[i] ?? 0, webp };
      }),
    );
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Seek-preview sprite
// ---------------------------------------------------------------------------------------------------------------

// About 100 tiles at most: the sprite stays one image the player fetches on first hover (~2 KB a tile on test clips).
const SPRITE_MAX_TILES = 100;
// Ten tiles a row: 1600 px wide at the default tile width, well inside WebP's 16383 px limit in both directions.
const SPRITE_COLUMNS = 10;
// Tiles are seen small and briefly while scrubbing.
const SPRITE_WEBP_QUALITY = 60;
// The sprite's file name as the VTT cues reference it: relative, so the pair can move together to any storage.
export const SPRITE_FILE = "sprite.webp";
export const SPRITE_VTT_FILE = "sprite.vtt";

export type SpriteOptions = { intervalSec?: number; tileWidth?: number };

export type ThumbnailSprite = {
  spriteWebp: string;
  vtt: string;
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
  intervalSec: number;
};

/**
 * One image of tiles, one every `intervalSec` (widened so there are at most ~100), made in a single ffmpeg pass, and
 * a WebVTT file mapping each interval to its tile (`sprite.webp#xywh=x,y,w,h`), both in `outDir`.
 */
export async function makeThumbnailSprite(
  input: string,
  durationSec: number,
  outDir: string,
  { intervalSec = 1, tileWidth = 160 }: SpriteOptions = {},
): Promise<ThumbnailSprite> {
  if (!(durationSec > 0) || !(intervalSec > 0)) {
    throw new RangeError(`A sprite needs a positive duration and interval (got ${durationSec} s, ${intervalSec} s)`);
  }
  await mkdir(outDir, { recursive: true });
  const interval = chooseSpriteInterval(durationSec, intervalSec);
  // The epsilon keeps a duration that is an exact multiple of the interval (3 s at 1 s) from adding an empty tile.
  const tiles = Math.max(1, Math.ceil(durationSec / interval - 1e-6));
  const columns = Math.min(SPRITE_COLUMNS, tiles);
  const rows = Math.ceil(tiles / columns);
  // fps picks the frame nearest each multiple of the interval; tile lays them out and pads the last row with black.
  const filter = `fps=1/${interval},${scaleToWidth(tileWidth)},tile=${columns}x${rows}`;
  const png = await runFfmpeg(
    ["-i", localPath(input), "-map", `0:${VIDEO_STREAM}`, "-vf", filter, "-frames:v", "1"]
      .concat(["-c:v", "png", "-compression_level", "1", "-f", "image2pipe", "-"]),
    { captureStdout: true },
  );
  if (png.length === 0) throw new FfmpegError(`No frames decoded from ${input}`, "", 0);
  const spriteWebp = path.join(outDir, SPRITE_FILE);
  const { height = 0 } = await sharp(png).webp({ quality: SPRITE_WEBP_QUALITY }).toFile(spriteWebp);
  const tileHeight = Math.round(height / rows);
  const vtt = path.join(outDir, SPRITE_VTT_FILE);
  await writeFile(vtt, buildSpriteVtt({ tiles, columns, tileWidth, tileHeight, interval, durationSec }));
  return { spriteWebp, vtt, columns, rows, tileWidth, tileHeight, intervalSec: interval };
}

/** The requested interval, or the shortest tenth of a second that keeps a long video under the tile cap. */
function chooseSpriteInterval(durationSec: number, requested: number): number {
  if (durationSec / requested <= SPRITE_MAX_TILES) return requested;
  return Math.ceil((durationSec / SPRITE_MAX_TILES) * 10) / 10;
}

function buildSpriteVtt(layout: {
  tiles: number;
  columns: number;
  tileWidth: number;
  tileHeight: number;
  interval: number;
  durationSec: number;
}): string {
  const { tiles, columns, tileWidth, tileHeight, interval, durationSec } = layout;
  const cues = Array.from({ length: tiles }, (_, i) => {
    const start = i * interval;
    const end = Math.min((i + 1) * interval, durationSec);
    const x = (i % columns) * tileWidth;
    const y = Math.floor(i / columns) * tileHeight;
    return `${formatVttTime(start)} --> ${formatVttTime(end)}\n${SPRITE_FILE}#xywh=${x},${y},${tileWidth},${tileHeight}`;
  });
  return `WEBVTT\n\n${cues.join("\n\n")}\n`;
}

/** hh:mm:ss.mmm, as WebVTT requires. */
function formatVttTime(seconds: number): string {
  const totalMs = Math.round(seconds * 1000);
  const hours = Math.floor(totalMs / 3_600_000);
  const minutes = Math.floor(totalMs / 60_000) % 60;
  const secs = Math.floor(totalMs / 1000) % 60;
  const ms = totalMs % 1000;
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  return `${pad(hours)}:${pad(minutes)}:${pad(secs)}.${pad(ms, 3)}`;
}
