// What an uploaded file is (probeMedia), whether Flick accepts it (validateMedia), and both plus a decode check for the
// upload pipeline (inspectUpload). Worker-side only: it spawns ffprobe and ffmpeg.
//
// ffprobe is spawned directly with `-of json` rather than through fluent-ffmpeg's ffprobe(): that wrapper parses
// ffprobe's flat default output, where the nested side_data_list (the display matrix a phone uses to say "rotate me")
// does not survive, and it gives no way to kill a probe that hangs on a hostile file.
import { spawn } from "node:child_process";
import { open, stat } from "node:fs/promises";

export type VideoInfo = {
  /** Index of the stream in the container, for `-map 0:<index>`. */
  streamIndex: number;
  codec: string;
  /** Displayed size: rotation and non-square pixels already applied, so a portrait phone video is taller than wide. */
  width: number;
  height: number;
  /** Clockwise degrees a player turns the coded picture to display it: 0, 90, 180 or 270. */
  rotation: number;
  /** Average frame rate (frames per second). */
  fps: number;
  isVariableFrameRate: boolean;
  pixFmt: string;
  bitDepth: number;
  isHdr: boolean;
  /** Bits per second of the video stream, or null when the container does not say. */
  bitrate: number | null;
  colorTransfer: string | null;
  colorPrimaries: string | null;
  /** Frames in the stream when the container says (or when we had to count them), else null. */
  frameCount: number | null;
};

export type AudioInfo = {
  streamIndex: number;
  codec: string;
  channels: number;
  sampleRate: number;
  bitrate: number | null;
};

export type MediaInfo = {
  /** ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm". */
  container: string;
  sizeBytes: number;
  durationMs: number;
  video: VideoInfo | null;
  audio: AudioInfo | null;
};

export type MediaRejection = "not_a_video" | "audio_only" | "no_video_stream" | "too_long" | "too_large" | "corrupt" | "unsupported";

export type MediaVerdict = { ok: true } | { ok: false; reason: MediaRejection; message: string };

export type MediaLimits = {
  maxBytes: number;
  maxDurationMs: number;
  /** Longest edge we accept, in displayed pixels. */
  maxDimension?: number;
  /** Shortest edge we accept, in displayed pixels. */
  minDimension?: number;
};

/** ffprobe/ffmpeg ran and said the file cannot be read (as opposed to ffprobe itself being missing or hanging). */
export class MediaReadError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = "MediaReadError";
  }
}

// 4096 covers 4K DCI and every phone; beyond that decoding a single frame costs more memory than a worker should spend.
const DEFAULT_MAX_DIMENSION = 4096;
// Below 64 px a "video" is an icon or a tracking pixel, and the lowest ladder rung would be a smudge.
const DEFAULT_MIN_DIMENSION = 64;
// ffprobe reads headers only; a probe that takes this long is stuck on a hostile or broken file.
const PROBE_TIMEOUT_MS = 30_000;
// Each decode check reads about a second of video; even a 4K HEVC file does that in a few seconds on 2 cores.
const DECODE_CHECK_TIMEOUT_MS = 60_000;
// r_frame_rate and avg_frame_rate of a constant-rate file agree to rounding; 1% apart means the frame times vary.
const VFR_TOLERANCE = 0.01;
// How far before the end the tail decode check seeks: late enough to catch a file cut short, early enough to hit a frame.
const TAIL_CHECK_OFFSET_S = 0.5;
// Enough stderr to show the cause, little enough to keep in an error message or a log line.
const STDERR_TAIL_CHARS = 2000;

const HDR_TRANSFERS = new Set(["smpte2084", "arib-std-b67"]);
const CORRUPT_MESSAGE = "This video file is damaged or incomplete, so we can't play it. Try exporting it again or uploading the original.";
const STILL_IMAGE_FORMAT = /(^|,)(image2|[a-z0-9]+_pipe)(,|$)/;

// The subset of ffprobe's JSON that Flick reads.
type ProbeStream = {
  index: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  pix_fmt?: string;
  bits_per_raw_sample?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  duration?: string;
  bit_rate?: string;
  nb_frames?: string;
  channels?: number;
  sample_rate?: string;
  color_transfer?: string;
  color_primaries?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
  side_data_list?: Array<{ side_data_type?: string; rotation?: number }>;
};
type ProbeOutput = { streams?: ProbeStream[]; format?: { format_name?: string; duration?: string; size?: string; bit_rate?: string } };

type ToolResult = { code: number | null; stdout: string; stderr: string };

/** Reads container, streams, rotation, frame rate and colour of a media file. Throws MediaReadError when ffprobe cannot read it. */
export async function probeMedia(path: string): Promise<MediaInfo> {
  const result = await runTool("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path], PROBE_TIMEOUT_MS);
  if (result.code !== 0) throw new MediaReadError(`ffprobe could not read ${path}: ${tail(result.stderr)}`, result.stderr);
  const probe = JSON.parse(result.stdout) as ProbeOutput;
  const streams = probe.streams ?? [];
  const container = probe.format?.format_name ?? "unknown";
  const sizeBytes = toNumber(probe.format?.size) ?? (await stat(path)).size;
  const videoStream = streams.find((s) => s.codec_type === "video" && s.disposition?.attached_pic !== 1);
  const audioStream = streams.find((s) => s.codec_type === "audio");
  const audio = audioStream ? readAudio(audioStream) : null;
  let video = videoStream ? readVideo(videoStream, probe, audio) : null;

  let durationSeconds = toNumber(probe.format?.duration) ?? toNumber(videoStream?.duration) ?? toNumber(audioStream?.duration) ?? 0;
  // Browser recordings (MediaRecorder WebM) carry no duration in their header; count the packets instead.
  if (durationSeconds <= 0 && video && !STILL_IMAGE_FORMAT.test(container)) {
    const counted = await countVideoPackets(path, video.streamIndex);
    durationSeconds = counted.durationSeconds;
    video = { ...video, frameCount: counted.frames };
  }
  return { container, sizeBytes, durationMs: Math.round(durationSeconds * 1000), video, audio };
}

/** Whether Flick accepts a probed file, and if not, a sentence the creator understands. Pure. */
export function validateMedia(info: MediaInfo, limits: MediaLimits): MediaVerdict {
  const maxDimension = limits.maxDimension ?? DEFAULT_MAX_DIMENSION;
  const minDimension = limits.minDimension ?? DEFAULT_MIN_DIMENSION;
  const { video } = info;
  if (isStillImage(info)) return reject("not_a_video", "This is an image, not a video.");
  if (!video && info.audio) return reject("audio_only", "This file has only audio and no picture. Upload a video file instead.");
  if (!video) return reject("no_video_stream", "This file doesn't contain a video track, so there is nothing to show.");
  if (info.sizeBytes > limits.maxBytes) {
    const [size, max] = describeSizes(info.sizeBytes, limits.maxBytes);
    return reject("too_large", `This file is ${size}; uploads can be at most ${max}.`);
  }
  if (info.durationMs > limits.maxDurationMs) {
    return reject("too_long", `This video is ${describeDuration(info.durationMs)} long; videos can be at most ${describeDuration(limits.maxDurationMs)}.`);
  }
  if (info.durationMs <= 0 || video.width <= 0 || video.height <= 0) return reject("corrupt", CORRUPT_MESSAGE);
  if (Math.max(video.width, video.height) > maxDimension) {
    return reject("unsupported", `This video is ${video.width}×${video.height} pixels; the most we accept is ${maxDimension} pixels on the longer side.`);
  }
  if (Math.min(video.width, video.height) < minDimension) {
    return reject("unsupported", `This video is only ${video.width}×${video.height} pixels; it needs at least ${minDimension} pixels on each side.`);
  }
  return { ok: true };
}

/**
 * Everything the upload pipeline needs to know before it spends minutes transcoding: what the file is, whether it is
 * acceptable, and whether its first second and its last frame actually decode (a file cut short often probes fine).
 * Throws only when the tools themselves fail (ffprobe missing, hung); every problem with the file is a verdict.
 */
export async function inspectUpload(path: string, limits: MediaLimits): Promise<{ info: MediaInfo | null; verdict: MediaVerdict }> {
  if ((await stat(path)).size === 0) {
    // Nothing to be damaged: there is no video here at all, most likely a file that never finished saving.
    const message = "This file is empty (0 bytes), so there is no video in it. Check that it finished saving, then upload it again.";
    return { info: null, verdict: reject("not_a_video", message) };
  }
  let info: MediaInfo;
  try {
    info = await probeMedia(path);
  } catch (error) {
    if (!(error instanceof MediaReadError)) throw error;
    return { info: null, verdict: await classifyUnreadable(path) };
  }
  const verdict = validateMedia(info, limits);
  if (!verdict.ok || !info.video) return { info, verdict };
  return { info, verdict: await checkDecodable(path, info, info.video) };
}

function reject(reason: MediaRejection, message: string): MediaVerdict {
  return { ok: false, reason, message };
}

function isStillImage(info: MediaInfo): boolean {
  if (STILL_IMAGE_FORMAT.test(info.container)) return true;
  // A lone frame with no timeline (a JPEG in a MOV wrapper, a one-frame GIF) is a picture, whatever the container.
  return info.video !== null && info.durationMs <= 0 && (info.video.frameCount ?? 1) <= 1;
}

function readVideo(stream: ProbeStream, probe: ProbeOutput, audio: AudioInfo | null): VideoInfo {
  const rotation = readRotation(stream);
  const sar = parseRatio(stream.sample_aspect_ratio);
  const codedWidth = stream.width ?? 0;
  const codedHeight = stream.height ?? 0;
  // Anamorphic sources store squeezed pixels; the displayed width is what the viewer sees and what the ladder scales from.
  const displayWidth = sar > 0 && Math.abs(sar - 1) > 0.001 ? Math.round(codedWidth * sar) : codedWidth;
  const turned = rotation === 90 || rotation === 270;
  const avg = parseRatio(stream.avg_frame_rate);
  const real = parseRatio(stream.r_frame_rate);
  const pixFmt = stream.pix_fmt ?? "unknown";
  const colorTransfer = stream.color_transfer ?? null;
  const colorPrimaries = stream.color_primaries ?? null;
  return {
    streamIndex: stream.index,
    codec: stream.codec_name ?? "unknown",
    width: turned ? codedHeight : displayWidth,
    height: turned ? displayWidth : codedHeight,
    rotation,
    fps: avg > 0 ? avg : real,
    isVariableFrameRate: avg > 0 && real > 0 && Math.abs(real - avg) / avg > VFR_TOLERANCE,
    pixFmt,
    bitDepth: toNumber(stream.bits_per_raw_sample) ?? bitDepthOf(pixFmt),
    isHdr: HDR_TRANSFERS.has(colorTransfer ?? "") || colorPrimaries === "bt2020",
    bitrate: readVideoBitrate(stream, probe, audio),
    colorTransfer,
    colorPrimaries,
    frameCount: toNumber(stream.nb_frames),
  };
}

function readAudio(stream: ProbeStream): AudioInfo {
  return {
    streamIndex: stream.index,
    codec: stream.codec_name ?? "unknown",
    channels: stream.channels ?? 0,
    sampleRate: toNumber(stream.sample_rate) ?? 0,
    bitrate: toNumber(stream.bit_rate) ?? toNumber(stream.tags?.BPS) ?? null,
  };
}

function readVideoBitrate(stream: ProbeStream, probe: ProbeOutput, audio: AudioInfo | null): number | null {
  const own = toNumber(stream.bit_rate) ?? toNumber(stream.tags?.BPS);
  if (own) return own;
  // WebM/MKV written by browsers and ffmpeg give only the file's overall rate; less the audio, that is the video's.
  const overall = toNumber(probe.format?.bit_rate);
  if (!overall) return null;
  const estimate = overall - (audio?.bitrate ?? 0);
  return estimate > 0 ? estimate : null;
}

/** The clockwise turn ffmpeg's autorotate will apply, from the display matrix or the legacy `rotate` tag. */
function readRotation(stream: ProbeStream): number {
  const matrix = stream.side_data_list?.find((entry) => entry.side_data_type === "Display Matrix");
  // ffprobe reports the matrix angle counter-clockwise; ffmpeg's autorotate turns by its negation.
  const clockwise = matrix?.rotation !== undefined ? -matrix.rotation : (toNumber(stream.tags?.rotate) ?? 0);
  return (((Math.round(clockwise / 90) * 90) % 360) + 360) % 360;
}

/** Bits per component from a pixel format name: yuv420p10le → 10, p010le → 10, yuv420p → 8. */
function bitDepthOf(pixFmt: string): number {
  const match = /(\d{2})(le|be)$/.exec(pixFmt);
  const bits = match ? Number(match[1]) : 8;
  return [9, 10, 12, 14, 16].includes(bits) ? bits : 8;
}

async function countVideoPackets(path: string, streamIndex: number): Promise<{ frames: number; durationSeconds: number }> {
  const result = await runTool(
    "ffprobe",
    ["-v", "error", "-select_streams", String(streamIndex), "-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0", path],
    PROBE_TIMEOUT_MS,
  );
  if (result.code !== 0) throw new MediaReadError(`ffprobe could not read the packets of ${path}: ${tail(result.stderr)}`, result.stderr);
  let frames = 0;
  let first = Infinity;
  let last = 0;
  for (const line of result.stdout.split("\n")) {
    const [ptsText, durationText] = line.split(",");
    const pts = toNumber(ptsText);
    if (pts === null) continue;
    frames += 1;
    first = Math.min(first, pts);
    last = Math.max(last, pts + (toNumber(durationText) ?? 0));
  }
  return { frames, durationSeconds: frames > 1 ? last - first : 0 };
}

/** ffprobe gave up on the file; its first bytes tell a damaged video apart from something that never was one. */
async function classifyUnreadable(path: string): Promise<MediaVerdict> {
  const header = await readHeader(path, 512);
  const kind = sniffHeader(header);
  if (kind === "image") return reject("not_a_video", "This is an image, not a video.");
  if (kind === "media") return reject("corrupt", CORRUPT_MESSAGE);
  return reject("not_a_video", "This file is not a video we can read. Upload an MP4, MOV or WebM video.");
}

const IMAGE_BRANDS = new Set(["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "avif", "avis"]);

function sniffHeader(header: Buffer): "image" | "media" | "unknown" {
  const ascii = (start: number, end: number) => header.subarray(start, end).toString("latin1");
  if (header.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))) return "image";
  if (header.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return "image";
  if (ascii(0, 4) === "GIF8" || (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP")) return "image";
  // ISO BMFF (MP4, MOV, M4A, 3GP) starts with a box; HEIC/AVIF photos use the same boxes with image brands.
  if (ascii(4, 8) === "ftyp") return IMAGE_BRANDS.has(ascii(8, 12)) ? "image" : "media";
  if (["moov", "mdat", "free", "skip", "wide", "pnot"].includes(ascii(4, 8))) return "media";
  if (header.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]))) return "media"; // Matroska / WebM
  if (ascii(0, 4) === "RIFF" || ascii(0, 4) === "OggS" || ascii(0, 3) === "FLV") return "media";
  if (header[0] === 0x47 && header[188] === 0x47) return "media"; // MPEG-TS: a sync byte every 188-byte packet
  return "unknown";
}

async function readHeader(path: string, length: number): Promise<Buffer> {
  const file = await open(path, "r");
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** Decodes the first second and one frame near the end; a decoder error or a missing frame means the file is damaged. */
async function checkDecodable(path: string, info: MediaInfo, video: VideoInfo): Promise<MediaVerdict> {
  const audioMap = info.audio ? ["-map", `0:${info.audio.streamIndex}`] : [];
  const head = await decode(["-t", "1", "-i", path, "-map", `0:${video.streamIndex}`, ...audioMap]);
  if (!decodedCleanly(head)) return reject("corrupt", CORRUPT_MESSAGE);
  const seekSeconds = Math.max(0, info.durationMs / 1000 - TAIL_CHECK_OFFSET_S);
  const end = await decode(["-ss", seekSeconds.toFixed(3), "-i", path, "-map", `0:${video.streamIndex}`, "-frames:v", "1"]);
  if (!decodedCleanly(end)) return reject("corrupt", CORRUPT_MESSAGE);
  return { ok: true };
}

/** Decodes to nowhere, printing only errors, and reports the frame count on stdout. */
function decode(inputAndMaps: string[]): Promise<ToolResult> {
  const args = ["-nostdin", "-v", "error", "-nostats", ...inputAndMaps, "-f", "null", "-progress", "pipe:1", "-"];
  return runTool("ffmpeg", args, DECODE_CHECK_TIMEOUT_MS);
}

function decodedCleanly(result: ToolResult): boolean {
  const frames = [...result.stdout.matchAll(/^frame=(\d+)$/gm)].map((match) => Number(match[1]));
  return result.code === 0 && result.stderr.trim() === "" && (frames.at(-1) ?? 0) > 0;
}

/** Runs a tool to completion. Resolves with its exit code and output; rejects only if it cannot start or overruns. */
function runTool(command: string, args: string[], timeoutMs: number): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let failure: Error | null = null;
    const timer = setTimeout(() => {
      failure = new Error(`${command} did not finish within ${timeoutMs / 1000} s and was stopped.`);
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", (error) => {
      failure ??= new Error(`Could not run ${command}: ${error.message}`);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (failure) reject(failure);
      else resolve({ code, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") });
    });
  });
}

function describeDuration(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  const parts = [];
  if (minutes > 0) parts.push(`${minutes} ${minutes === 1 ? "minute" : "minutes"}`);
  if (seconds > 0 || minutes === 0) parts.push(`${seconds} ${seconds === 1 ? "second" : "seconds"}`);
  return parts.join(" ");
}

/** Both sizes in the same human unit, with enough digits that a file just over the limit does not read as equal to it. */
function describeSizes(size: number, limit: number): [string, string] {
  for (let digits = 1; digits <= 3; digits += 1) {
    const pair: [string, string] = [describeSize(size, digits), describeSize(limit, digits)];
    if (pair[0] !== pair[1]) return pair;
  }
  return [`${size} bytes`, `${limit} bytes`];
}

function describeSize(bytes: number, digits: number): string {
  const units: Array<[number, string]> = [[1e9, "GB"], [1e6, "MB"], [1e3, "KB"]];
  for (const [scale, unit] of units) {
    if (bytes >= scale) return `${trimZeros((bytes / scale).toFixed(digits))} ${unit}`;
  }
  return `${bytes} bytes`;
}

function trimZeros(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

function parseRatio(text: string | undefined): number {
  if (!text) return 0;
  const [num, den] = text.split(/[/:]/).map(Number);
  if (num === undefined || !Number.isFinite(num)) return 0;
  if (den === undefined) return num;
  return den > 0 && Number.isFinite(den) ? num / den : 0;
}

function toNumber(text: string | undefined): number | null {
  if (text === undefined || text === "" || text === "N/A") return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

function tail(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > STDERR_TAIL_CHARS ? `…${trimmed.slice(-STDERR_TAIL_CHARS)}` : trimmed;
}
