// What the ranker and moderation know about a video's content, measured in the worker: loudness, pace (scene cuts,
// motion), brightness, colourfulness and a perceptual hash for near-duplicate detection; plus the caption's side:
// hashtags, mentions and the word tokens search and ranking match on.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { runFfmpeg, withTempDir } from "./images";

// ---------------------------------------------------------------------------------------------------------------
// Video features
// ---------------------------------------------------------------------------------------------------------------

/** Facts from probing, in displayed orientation (width/height after rotation). */
export type VideoInfo = { durationMs: number; width: number; height: number; fps: number; hasAudio: boolean };

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
// A scene score above 0.3 (ffmpeg's 0–1 frame difference, checked on every frame) is a hard cut; gradual motion at
// full frame rate stays below 0.05 and a cut between two different shots scores about 0.4 or more.
const SCENE_CUT_THRESHOLD = 0.3;
// Five frames spread over the clip feed the perceptual hash and the colourfulness: a re-upload trimmed or re-encoded
// still shares most of them, and they cost five tiny PNGs.
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
  info: VideoInfo,
  options: { signal?: AbortSignal } = {},
): Promise<VideoFeatures> {
  return withTempDir("flick-features-", async (dir) => {
    const graph = buildAnalysisGraph(info);
    // ffmpeg runs inside the scratch directory so the graph can name its output files without filter escaping.
    await runFfmpeg(
      ["-i", path.resolve(input), "-filter_complex", graph, "-map", "[samples]", "-fps_mode", "passthrough", "sample-%02d.png"],
      { cwd: dir, signal: options.signal },
    );
    const stats = parseFrameMetadata(await readFile(path.join(dir, STATS_FILE), "utf8"));
    const cuts = parseFrameMetadata(await readFile(path.join(dir, SCENES_FILE), "utf8")).length;
    const samples = (await readdir(dir)).filter((name) => name.startsWith("sample-")).sort().map((name) => path.join(dir, name));
    if (stats.length === 0 || samples.length === 0) throw new Error(`No video frames could be decoded from ${input}`);
    const loudnessLufs = info.hasAudio ? await readIntegratedLoudness(path.join(dir, LOUDNESS_FILE)) : null;
    const minutes = info.durationMs / 60_000;
    return {
      durationMs: info.durationMs,
      aspect: round(info.width / info.height),
      fps: info.fps,
      loudnessLufs,
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
 * One decode, split four ways: scene scores on every frame, luma statistics at 4 fps, five sampled RGB frames (the
 * graph's one real output) and, with audio, the EBU R128 meter. Side measurements print to files and end in sinks.
 */
function buildAnalysisGraph(info: VideoInfo): string {
  const sampleSelect = chooseSampleIndices(info.durationMs)
    .map((n) => `eq(n\\,${n})`)
    .join("+");
  const video = [
    // The pinned format keeps each branch's conversion in its branch: split makes its outputs agree on one format,
    // and without it format=gray below would turn the RGB samples grey too.
    `[0:v:0]scale=${ANALYSIS_WIDTH}:-2,format=yuv420p,split=2[everyframe][sampled]`,
    `[everyframe]select='gt(scene\\,${SCENE_CUT_THRESHOLD})',metadata=print:file=${SCENES_FILE},nullsink`,
    `[sampled]fps=${ANALYSIS_FPS},split=2[forstats][forsamples]`,
    // format=gray converts to full-range luma, so YAVG reads 0 for black and 255 for white whatever the source range.
    `[forstats]format=gray,signalstats,metadata=print:file=${STATS_FILE},nullsink`,
    `[forsamples]select='${sampleSelect}',format=rgb24[samples]`,
  ];
  const audio = info.hasAudio
    ? [`[0:a:0]ebur128=metadata=1,ametadata=print:key=lavfi.r128.I:file=${LOUDNESS_FILE},anullsink`]
    : [];
  return [...video, ...audio].join(";");
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
    const match = /^([\w.]+)=(-?[\d.]+|-?inf|nan)$/.exec(line.trim());
    const frame = frames.at(-1);
    if (match && frame) frame[match[1] ?? ""] = Number(match[2]);
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
      return hasslerSusstrunk(data, info.channels);
    }),
  );
  return Math.min(1, mean(scores) / COLORFULNESS_EXTREME);
}

/** Hasler & Süsstrunk (2003): spread plus 0.3 × mean of the opponent channels rg = R−G and yb = (R+G)/2 − B. */
function hasslerSusstrunk(pixels: Uint8Array, channels: number): number {
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
export function phashFromPixels(pixels: Float64Array): string {
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
// Ten of 64 bits: re-encodes, rescales and light crops of the same clip land at 0–6 here, unrelated clips near 32.
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
// Caption text
// ---------------------------------------------------------------------------------------------------------------

// Links are blanked before parsing: a "#fragment" or "@" inside a URL names neither a tag nor a person.
const URL_PATTERN = /\b(?:https?:\/\/|www\.)\S+/giu;
// A tag starts after a non-word character (so "C#" and "&#39;" are not tags) and is rejected, not cut, past 50.
const HASHTAG_PATTERN = /(?<![\p{L}\p{N}_&/])#([\p{L}\p{N}_]{1,50})(?![\p{L}\p{N}_])/gu;
// Handles follow lib/users/rules.ts (3–24 of a–z, 0–9, "_", "."); an "@" inside a word is an e-mail address.
const MENTION_PATTERN = /(?<![\p{L}\p{N}_.@])@([a-z0-9_.]{3,24})(?![a-z0-9_.])/giu;
const WORD_PATTERN = /[\p{L}\p{N}]+/gu;
// The commonest English function words: they match everything, so they rank nothing.
const STOP_WORDS = new Set(
  ("a an and are as at be but by for from has have i if in is it its me my no not of on or our so that the this to " +
    "was we were what when with you your")
    .split(" "),
);

/** Lower-cased `#tags` and `@handles` of a caption, each once, in order of appearance. */
export function parseCaption(caption: string): { hashtags: string[]; mentions: string[] } {
  const text = caption.replace(URL_PATTERN, " ");
  const hashtags = [...text.matchAll(HASHTAG_PATTERN)].map((match) => (match[1] ?? "").toLowerCase());
  const mentions = [...text.matchAll(MENTION_PATTERN)]
    // "thanks @maya." ends a sentence far more often than a handle ends in a dot.
    .map((match) => (match[1] ?? "").toLowerCase().replace(/\.+$/, ""))
    .filter((handle) => handle.length >= 3);
  return { hashtags: unique(hashtags), mentions: unique(mentions) };
}

/**
 * Search and ranking tokens: the caption's words and `#tag`s (plus the given hashtags), lower-cased, with Latin
 * diacritics folded ("Café" → "cafe"), stop words and mentions dropped, each once.
 */
export function tokenizeText(caption: string, hashtags: string[]): string[] {
  const parsed = parseCaption(caption);
  const tagTokens = [...parsed.hashtags, ...hashtags.map((tag) => tag.replace(/^#/, ""))]
    .map((tag) => `#${foldText(tag)}`)
    .filter((token) => token.length > 1);
  const words = caption
    .replace(URL_PATTERN, " ")
    .replace(HASHTAG_PATTERN, " ")
    .replace(MENTION_PATTERN, " ")
    // "don't" is one word, not "don" and "t".
    .replace(/['’]/gu, "");
  const wordTokens = [...foldText(words).matchAll(WORD_PATTERN)]
    .map((match) => match[0])
    .filter((word) => !STOP_WORDS.has(word));
  return unique([...wordTokens, ...tagTokens]);
}

/**
 * Lower case without Latin diacritics. Only U+0300–U+036F (the marks that accented Latin, Greek and Cyrillic letters
 * decompose into) are dropped: marks in other scripts carry vowels, and the final NFC puts Hangul back together.
 */
function foldText(text: string): string {
  return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------------------

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function round(value: number): number {
  const factor = 10 ** FEATURE_DECIMALS;
  return Math.round(value * factor) / factor;
}
