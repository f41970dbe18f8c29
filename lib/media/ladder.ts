// The adaptive-bitrate ladder: which renditions a source gets, at what size and bitrate. Pure; the transcoder encodes
// exactly what this plans, and the master playlist advertises it.
import type { MediaInfo } from "./probe";

export type RungName = "360p" | "540p" | "720p" | "1080p";

export type Rung = {
  name: RungName;
  /** Output size in displayed orientation (portrait stays portrait), both even as 4:2:0 chroma requires. */
  width: number;
  height: number;
  /** Target average video bitrate, bits per second. */
  videoBitrate: number;
  /** Peak video bitrate the encoder's VBV allows, bits per second. */
  maxrate: number;
  /** VBV buffer, bits. */
  bufsize: number;
  audioBitrate: number;
};

/** Rungs by the short edge, so a 1080×1920 portrait video and a 1920×1080 landscape one get the same ladder. */
const RUNG_SHORT_EDGES: ReadonlyArray<readonly [number, RungName]> = [
  [360, "360p"],
  [540, "540p"],
  [720, "720p"],
  [1080, "1080p"],
];

// Bits per pixel per frame for H.264 at x264's fast presets: 0.08 gives ~5 Mb/s at 1080p30 and ~2.2 Mb/s at 720p30,
// the figures the big platforms serve for those sizes; below it, moving phone footage starts to block.
export const BITS_PER_PIXEL = 0.08;
// Floor for tiny sources: under ~200 kb/s x264 cannot hold even a 200-pixel picture together in motion.
const MIN_VIDEO_BITRATE = 200_000;
// Peak allowed 1.5× the average: room for motion bursts while keeping the peak BANDWIDTH a phone must sustain honest.
const MAXRATE_FACTOR = 1.5;
// VBV buffer of 2× the average (≈1.3 s at peak rate): short enough that playback starts quickly on a slow link.
const BUFSIZE_FACTOR = 2;
// AAC-LC stereo: 96 kb/s is transparent enough for phone speakers on the small rungs, 128 kb/s for the large ones.
const SMALL_RUNG_AUDIO_BITRATE = 96_000;
const LARGE_RUNG_AUDIO_BITRATE = 128_000;
// Nothing in a phone feed needs more than 60 frames a second; 120/240 fps slow-motion captures are played at 60.
export const MAX_FRAME_RATE = 60;
// When the container gives no usable rate, 30 fps is what almost every phone records.
const DEFAULT_FRAME_RATE = 30;
// A variable-rate phone video averaging 29.9 fps is a 29.97/30 fps video with jitter; within 3% we use the standard rate.
const FRAME_RATE_SNAP_TOLERANCE = 0.03;
const COMMON_FRAME_RATES = [24000 / 1001, 24, 25, 30000 / 1001, 30, 48, 50, 60000 / 1001, 60];

/** The constant frame rate every rung is encoded at: the source's average, snapped if it was variable, at most 60. */
export function planFrameRate(info: MediaInfo): number {
  const fps = info.video?.fps ?? 0;
  if (!Number.isFinite(fps) || fps <= 0) return DEFAULT_FRAME_RATE;
  const snapped = info.video?.isVariableFrameRate ? snapFrameRate(fps) : fps;
  return Math.min(MAX_FRAME_RATE, Math.round(snapped * 1000) / 1000);
}

/** The renditions for a source, smallest first. Never upscales; a source smaller than 360p gets one rung at its own size. */
export function planLadder(info: MediaInfo): Rung[] {
  const video = info.video;
  if (!video || video.width <= 0 || video.height <= 0) return [];
  const fps = planFrameRate(info);
  const shortEdge = Math.min(video.width, video.height);
  const fitting = RUNG_SHORT_EDGES.filter(([edge]) => edge <= shortEdge);
  if (fitting.length === 0) {
    // Named after the lowest tier: to a viewer it is the "small" rendition, whatever its exact size.
    return [buildRung("360p", toEven(video.width), toEven(video.height), fps, video.bitrate)];
  }
  return fitting.map(([edge, name]) => {
    // Multiply before dividing so 1920 × 360 / 1080 is exactly 640, not 639.99….
    return buildRung(name, toEven((video.width * edge) / shortEdge), toEven((video.height * edge) / shortEdge), fps, video.bitrate);
  });
}

function buildRung(name: RungName, width: number, height: number, fps: number, sourceBitrate: number | null): Rung {
  const planned = Math.max(MIN_VIDEO_BITRATE, width * height * fps * BITS_PER_PIXEL);
  // Re-encoding cannot add detail; spending more bits than the source had only wastes storage and viewers' data.
  const capped = sourceBitrate && sourceBitrate > 0 ? Math.min(planned, sourceBitrate) : planned;
  const videoBitrate = roundToThousand(capped);
  return {
    name,
    width,
    height,
    videoBitrate,
    maxrate: roundToThousand(videoBitrate * MAXRATE_FACTOR),
    bufsize: roundToThousand(videoBitrate * BUFSIZE_FACTOR),
    audioBitrate: Math.min(width, height) >= 720 ? LARGE_RUNG_AUDIO_BITRATE : SMALL_RUNG_AUDIO_BITRATE,
  };
}

function snapFrameRate(fps: number): number {
  const nearest = COMMON_FRAME_RATES.reduce((best, rate) => (Math.abs(rate - fps) < Math.abs(best - fps) ? rate : best));
  return Math.abs(nearest - fps) / nearest <= FRAME_RATE_SNAP_TOLERANCE ? nearest : fps;
}

/** Rounds down to an even number (4:2:0 chroma needs even sizes; rounding down never upscales). */
function toEven(value: number): number {
  return Math.max(2, Math.floor(value / 2 + 1e-9) * 2);
}

function roundToThousand(value: number): number {
  return Math.max(1000, Math.round(value / 1000) * 1000);
}
