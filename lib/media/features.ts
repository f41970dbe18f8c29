// What the ranker and moderation know about a video's content, measured in the worker: loudness, pace (scene cuts,
// motion), brightness, colourfulness and a perceptual hash for near-duplicate detection; plus the caption's side:
// hashtags, mentions and the word tokens search and ranking match on.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { FfmpegError, localPath, runFfmpeg, withTempDir } from "./images";

// ---------------------------------------------------------------------------------------------------------------
// Video features
// ---------------------------------------------------------------------------------------------------------------

/** Facts from probing, in displayed orientation (width/height after rotation). */
export type FeatureSourceInfo = { durationMs: number; width: number; height: number; fps: number; hasAudio: boolean };

export type VideoFeatures = {
  durationMs: number;
  /** width / height as displayed: below 1 is portrait. */
  aspect: number;
  fps: number;
  /** EBU R128 integrated loudness in LUFS; null without an audio track, -70 (the gate's floor) for silence. */
  loudnessLufs: number | null;
  /** Hard cuts per minute. */
  sceneCutRate: number;
  /** Mean absolute luma change between frames a quarter second apart, 0 (still) to 1. */
  motion: number;
  /** Mean luma, 0 (black) to 1 (white). */
  brightness: number;
  /** Hasler–Süsstrunk colourfulness, 0 (grey) to 1 (extremely colourful). */
  colorfulness: number;
  /** 64-bit DCT perceptual hash of the clip, 16 hex characters; compare with hammingDistance. */
  phash: string;
};

// Every measurement is taken from one decode in one ffmpeg process, at 160 px wide: decoding the source is the cost
// that cannot be avoided, so it is paid once, and none of these figures needs more detail than a thumbnail has.
const ANALYSIS_WIDTH = 160;
// Motion and brightness look at 4 frames a second: enough to follow the pace of a clip, 7× less work than 30 fps.
const ANALYSIS_FPS = 4;
// A scene score above 0.3 (ffmpeg's 0–1 frame difference, checked on every frame) is a hard cut: frame-to-frame
// motion of a busy test pattern scores under 0.02, a cut between two flat colours 0.4, between real shots more.
const SCENE_CUT_THRESHOLD = 0.3;
// Five frames spread over the clip feed the perceptual hash and the colourfulness: a re-encoded or resized re-upload
// yields the same five, and they cost five tiny PNGs.
const SAMPLE_FRAMES = 5;
// Colourfulness is normalised by 109, the score Hasler and Süsstrunk call "extremely colourful"; above it is 1.
const COLORFULNESS_EXTREME = 109;
// Features are stored and compared, never shown; four decimals is finer than any of them can be told apart.
const FEATURE_DECIMALS = 4;

const STATS_FILE = "stats.txt";
const SCENES_FILE = "scenes.txt";
const LOUDNESS_FILE = "loudness.txt";

/** Measures a video in one ffmpeg pass plus a little sharp work on five sampled frames. */
export async function extractFeatures(
  input: string,
  info: FeatureSourceInfo,
  options: { signal?: AbortSignal } = {},
): Promise<VideoFeatures> {
  return withTempDir("flick-features-", async (dir) => {
    // ffmpeg runs inside the scratch directory so the graph can name its output files without filter escaping.
    await runFfmpeg(buildAnalysisArgs(localPath(input), info), { cwd: dir, signal: options.signal });
    const stats = parseFrameMetadata(await readFile(path.join(dir, STATS_FILE), "utf8"));
    const cuts = parseFrameMetadata(await readFile(path.join(dir, SCENES_FILE), "utf8")).length;
    const samples = (await readdir(dir))
      .filter((name) => name.startsWith("sample-"))
      .sort()
      .map((name) => path.join(dir, name));
    if (stats.length === 0 || samples.length === 0) throw new FfmpegError(`No video frames decoded from ${input}`, "", 0);
    const minutes = info.durationMs / 60_000;
    return {
      durationMs: info.durationMs,
      aspect: info.height > 0 ? round(info.width / info.height) : 0,
      fps: info.fps,
      loudnessLufs: info.hasAudio ? await readIntegratedLoudness(path.join(dir, LOUDNESS_FILE)) : null,
      sceneCutRate: round(minutes > 0 ? cuts / minutes : 0),
      // The first sampled frame has nothing before it (its YDIF is 0), so it is left out of the mean.
      motion: round(mean(stats.slice(1).map((frame) => (frame["lavfi.signalstats.YDIF"] ?? 0) / 255))),
      brightness: round(mean(stats.map((frame) => (frame["lavfi.signalstats.YAVG"] ?? 0) / 255))),
      colorfulness: round(await measureColorfulness(samples)),
      phash: await computeClipPhash(samples),
    };
  });
}

/**
 * One decode, split three ways: scene scores on every frame, luma statistics at 4 fps, and five sampled RGB frames
 * written as PNGs. The statistics stream goes to a null output that also carries the audio through the EBU R128
 * meter. Measurements print to files in the working directory.
 */
function buildAnalysisArgs(input: string, info: FeatureSourceInfo): string[] {
  const sampleSelect = chooseSampleIndices(info.durationMs)
    .map((n) => `eq(n\\,${n})`)
    .join("+");
  const graph = [
    `[0:V:0]split=2[everyframe][sampled]`,
    // Every frame is scaled with the cheapest filter (a 60 s 1080p clip: 0.4 s instead of bicubic's 1.3 s): scene
    // scores compare whole frames and do not mind aliasing. A sink, not an output: cuts are rare, and an output
    // stream that stays empty would stall ffmpeg's muxing.
    `[everyframe]scale=${ANALYSIS_WIDTH}:-2:flags=fast_bilinear,select='gt(scene\\,${SCENE_CUT_THRESHOLD})',` +
      `metadata=print:file=${SCENES_FILE},nullsink`,
    // At 4 fps an averaging (area) scaler is affordable, and it keeps the hash of a re-encode equal to the original's.
    // The pinned format keeps each branch's conversion in its branch: split makes its outputs agree on one format,
    // and without it format=gray below would turn the RGB samples grey too.
    `[sampled]fps=${ANALYSIS_FPS},scale=${ANALYSIS_WIDTH}:-2:flags=area,format=yuv420p,split=2[forstats][forsamples]`,
    // format=gray converts to full-range luma, so YAVG reads 0 for black and 255 for white whatever the source range.
    `[forstats]format=gray,signalstats,metadata=print:file=${STATS_FILE}[stats]`,
    `[forsamples]select='${sampleSelect}',format=rgb24[samples]`,
  ].join(";");
  // "0:a:0?" is optional: a file without the audio its probe promised still gets its video measured (loudness null).
  const audio = info.hasAudio
    ? ["-map", "0:a:0?", "-af", `ebur128=metadata=1,ametadata=print:key=lavfi.r128.I:file=${LOUDNESS_FILE}`]
    : [];
  return [
    ...["-i", input, "-filter_complex", graph],
    // passthrough: the image sequence gets exactly the selected frames, not copies to fill a constant frame rate.
    ...["-map", "[samples]", "-fps_mode", "passthrough", "sample-%02d.png"],
    ...["-map", "[stats]", ...audio, "-f", "null", "-"],
  ];
}

/** Frame numbers (at ANALYSIS_FPS) in the middle of SAMPLE_FRAMES equal slices of the clip. */
function chooseSampleIndices(durationMs: number): number[] {
  const lastIndex = Math.max(0, Math.floor((durationMs / 1000) * ANALYSIS_FPS) - 1);
  const indices = Array.from({ length: SAMPLE_FRAMES }, (_, k) =>
    Math.min(lastIndex, Math.floor((((k + 0.5) / SAMPLE_FRAMES) * durationMs * ANALYSIS_FPS) / 1000)),
  );
  return [...new Set(indices)];
}

/** The `metadata=print` file format: a `frame:N pts:…` line, then `key=value` lines for that frame. */
function parseFrameMetadata(text: string): Array<Record<string, number>> {
  const frames: Array<Record<string, number>> = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("frame:")) frames.push({});
    const match = /^([\w.]+)=(\S+)$/.exec(line.trim());
    const frame = frames.at(-1);
    if (!match || !frame) continue;
    // Values print as %f or %g ("1e-05"), and a meter with nothing measured yet prints "-inf".
    const value = match[2] === "-inf" ? -Infinity : Number(match[2]);
    if (!Number.isNaN(value)) frame[match[1] ?? ""] = value;
  }
  return frames;
}

/** The meter's running integrated loudness after the last audio frame is the clip's. */
async function readIntegratedLoudness(file: string): Promise<number | null> {
  const frames = parseFrameMetadata(await readFile(file, "utf8").catch(() => ""));
  const value = frames.at(-1)?.["lavfi.r128.I"];
  return value === undefined || !Number.isFinite(value) ? null : round(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Colourfulness
// ---------------------------------------------------------------------------------------------------------------

async function measureColorfulness(frames: string[]): Promise<number> {
  const scores = await Promise.all(
    frames.map(async (frame) => {
      const { data, info } = await sharp(frame).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      return haslerSusstrunk(data, info.channels);
    }),
  );
  return Math.min(1, mean(scores) / COLORFULNESS_EXTREME);
}

/** Hasler & Süsstrunk (2003): spread plus 0.3 × mean of the opponent channels rg = R−G and yb = (R+G)/2 − B. */
function haslerSusstrunk(pixels: Uint8Array, channels: number): number {
  let sumRg = 0;
  let sumYb = 0;
  let sumRg2 = 0;
  let sumYb2 = 0;
  const count = pixels.length / channels;
  for (let i = 0; i < pixels.length; i += channels) {
    const r = pixels[i] ?? 0;
    const g = pixels[i + 1] ?? 0;
    const b = pixels[i + 2] ?? 0;
    const rg = r - g;
    const yb = (r + g) / 2 - b;
    sumRg += rg;
    sumYb += yb;
    sumRg2 += rg * rg;
    sumYb2 += yb * yb;
  }
  const meanRg = sumRg / count;
  const meanYb = sumYb / count;
  const varRg = Math.max(0, sumRg2 / count - meanRg * meanRg);
  const varYb = Math.max(0, sumYb2 / count - meanYb * meanYb);
  return Math.sqrt(varRg + varYb) + 0.3 * Math.hypot(meanRg, meanYb);
}

// ---------------------------------------------------------------------------------------------------------------
// Perceptual hash
// ---------------------------------------------------------------------------------------------------------------

// The classic pHash: a 32×32 grey image, its DCT, and the 8×8 lowest frequencies compared with their median.
// Written here rather than taken from npm: it is thirty lines over pixels sharp already gives us, while the packages
// bring their own image decoders (jimp) or native builds for the same arithmetic.
const PHASH_SIZE = 32;
const PHASH_LOW = 8;
// cos((2x+1)uπ/2N) for the low frequencies u < 8 and every position x < 32, computed once.
const DCT_COSINES = Array.from({ length: PHASH_LOW }, (_, u) =>
  Float64Array.from({ length: PHASH_SIZE }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * PHASH_SIZE))),
);

/** The hash of the clip's mean frame: averaging first cancels coding noise, so re-encodes hash alike. */
async function computeClipPhash(frames: string[]): Promise<string> {
  const meanFrame = new Float64Array(PHASH_SIZE * PHASH_SIZE);
  for (const frame of frames) {
    const { data } = await sharp(frame)
      .resize(PHASH_SIZE, PHASH_SIZE, { fit: "fill" })
      .grayscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    for (let i = 0; i < meanFrame.length; i++) meanFrame[i] = (meanFrame[i] ?? 0) + (data[i] ?? 0) / frames.length;
  }
  return phashFromPixels(meanFrame);
}

/** pHash of a 32×32 grey image given row by row. */
function phashFromPixels(pixels: Float64Array): string {
  const coefficients = lowFrequencyDct(pixels);
  const median = [...coefficients].sort((a, b) => a - b)[coefficients.length / 2] ?? 0;
  let hex = "";
  for (let nibble = 0; nibble < coefficients.length / 4; nibble++) {
    let value = 0;
    for (let bit = 0; bit < 4; bit++) value = (value << 1) | ((coefficients[nibble * 4 + bit] ?? 0) > median ? 1 : 0);
    hex += value.toString(16);
  }
  return hex;
}

/** The top-left 8×8 of a 32×32 two-dimensional DCT-II (unscaled: only the order of the values matters). */
function lowFrequencyDct(pixels: Float64Array): Float64Array {
  // Rows first: rowPass[y][u] = Σx pixel[y][x]·cos_u(x); then columns: out[v][u] = Σy rowPass[y][u]·cos_v(y).
  const rowPass = new Float64Array(PHASH_SIZE * PHASH_LOW);
  for (let y = 0; y < PHASH_SIZE; y++) {
    for (let u = 0; u < PHASH_LOW; u++) {
      const cosines = DCT_COSINES[u] as Float64Array;
      let sum = 0;
      for (let x = 0; x < PHASH_SIZE; x++) sum += (pixels[y * PHASH_SIZE + x] ?? 0) * (cosines[x] ?? 0);
      rowPass[y * PHASH_LOW + u] = sum;
    }
  }
  const out = new Float64Array(PHASH_LOW * PHASH_LOW);
  for (let v = 0; v < PHASH_LOW; v++) {
    const cosines = DCT_COSINES[v] as Float64Array;
    for (let u = 0; u < PHASH_LOW; u++) {
      let sum = 0;
      for (let y = 0; y < PHASH_SIZE; y++) sum += (rowPass[y * PHASH_LOW + u] ?? 0) * (cosines[y] ?? 0);
      out[v * PHASH_LOW + u] = sum;
    }
  }
  return out;
}

const PHASH_PATTERN = /^[0-9a-f]{16}$/i;
// Ten of 64 bits. Measured on test clips: a re-encode at half size and a tenth of the bitrate differs by 0 bits, a
// 10 % crop at another frame rate by 12 (so crops are not caught), unrelated clips by 24–38.
const NEAR_DUPLICATE_BITS = 10;

/** Bits that differ between two 16-hex-character perceptual hashes. */
export function hammingDistance(a: string, b: string): number {
  if (!PHASH_PATTERN.test(a) || !PHASH_PATTERN.test(b)) {
    throw new TypeError(`Perceptual hashes are 16 hex characters (got "${a}" and "${b}")`);
  }
  let distance = 0;
  for (let i = 0; i < a.length; i++) {
    let differing = Number.parseInt(a[i] ?? "0", 16) ^ Number.parseInt(b[i] ?? "0", 16);
    for (; differing; differing &= differing - 1) distance++;
  }
  return distance;
}

/** Whether two clips are the same footage, as their perceptual hashes tell. */
export function isNearDuplicate(a: string, b: string, threshold = NEAR_DUPLICATE_BITS): boolean {
  return hammingDistance(a, b) <= threshold;
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------------------


function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function round(value: number): number {
  const factor = 10 ** FEATURE_DECIMALS;
  return Math.round(value * factor) / factor;
}
