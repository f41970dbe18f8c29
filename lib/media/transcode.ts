// Transcodes an upload into Flick's HLS ladder: H.264 High + AAC-LC in fMP4/CMAF segments, one folder per rung, and a
// master playlist we write ourselves. Worker-side only.
//
// Strategy (measured on 2 cores in bench/transcode.ts; numbers in docs/BENCHMARKS.md): one ffmpeg decodes the source
// once and encodes every rung from a split filter graph, the fastest way to the whole ladder. It writes each rung as a
// growing EVENT playlist, so the video is watchable long before the ladder is done: as soon as enough segments exist
// that a viewer starting now can never catch up with the encoder, a master playlist naming every rung is written and
// onFirstPlayable fires; onPlaylistsGrown then fires as segments are added, and the caller publishes them. For a 60 s
// 1080×1920 clip that is playable after a few seconds, against 15 s and a 13 % slower ladder for the earlier design
// (the lowest rung alone in a second ffmpeg, which decoded the source twice).
//
// ffmpeg is spawned directly with an argument array, not through fluent-ffmpeg: one process writes several HLS outputs
// from a split filter graph, progress comes from `-progress pipe:1` (exact out_time_us rather than scraped stderr),
// and an abort must SIGKILL exactly the processes this call started.
import { spawn } from "node:child_process";
import { mkdir, open, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { planFrameRate, type Rung } from "./ladder";
import type { MediaInfo, VideoInfo } from "./probe";

export type HlsVariant = {
  rung: Rung;
  /** Relative to outDir, e.g. "360p/playlist.m3u8". */
  playlistPath: string;
  /** Peak bits per second, as in the master playlist's BANDWIDTH. */
  bandwidth: number;
  /** Measured average bits per second over all segments, as in AVERAGE-BANDWIDTH. */
  averageBandwidth: number;
  /** RFC 6381 codecs, e.g. "avc1.64001f,mp4a.40.2". */
  codecs: string;
  /** "WxH". */
  resolution: string;
};

export type HlsResult = { masterPath: string; variants: HlsVariant[] };

export type TranscodeOptions = {
  input: string;
  info: MediaInfo;
  rungs: Rung[];
  outDir: string;
  /** 0 → 1, never decreasing. */
  onProgress?: (fraction: number) => void;
  /**
   * Called once, when a viewer starting now would not catch up with the encoder (at the end for short clips): outDir
   * then holds master.m3u8 naming every rung and each rung's playlist.m3u8 naming only finished segments. Without
   * ENDLIST until the encode is done; a playlist never names a file that is not complete on disk.
   */
  onFirstPlayable?: (masterPath: string, rungs: Rung[]) => Promise<void> | void;
  /** After onFirstPlayable and while ffmpeg runs: the rungs' playlists have grown. Never runs concurrently with itself. */
  onPlaylistsGrown?: () => Promise<void> | void;
  signal?: AbortSignal;
};

// x264 preset for every rung: on 2 cores "superfast" encodes the whole 1080×1920 ladder in under 0.8× the clip's
// duration with a third less CPU than "veryfast", and costs ~0.5 dB SSIM against it at the same bitrate where
// "ultrafast" costs ~2 dB (no CABAC, no B-frames). See docs/BENCHMARKS.md.
export const X264_PRESET = "superfast";
// A keyframe every 2 s exactly: every rung switches and seeks at the same instants, and 4 s segments hold two GOPs.
export const KEYFRAME_INTERVAL_S = 2;
// ~4 s segments: short enough for a quick start and a fast switch in a feed, long enough to keep request counts low.
export const SEGMENT_DURATION_S = 4;
// ffmpeg writes each rung's growing playlist here; we publish a copy as playlist.m3u8 with EXT-X-START added.
const ENCODER_PLAYLIST = "encoder.m3u8";
// Players treat a playlist without ENDLIST as live and would join at its end; this makes them start at the beginning.
const START_AT_BEGINNING = "#EXT-X-START:TIME-OFFSET=0";
// How often the growing playlists are read: a quarter of a segment, so a finished segment is published promptly.
const PLAYLIST_POLL_MS = 1000;
// The encoder's measured speed is trusted only to 80 %: it slows down on busier scenes and when other jobs share the CPU.
const ENCODER_SPEED_MARGIN = 0.8;
// At least two segments (8 s) before a viewer can start: hls.js wants a little buffer, and a switch up needs a segment.
const MIN_SEGMENTS_BEFORE_PLAYBACK = 2;
// Multi-output runs buffer packets until every output has started; the default 128 overflows with several rungs.
const MUXING_QUEUE_PACKETS = 4096;
// Enough ffmpeg stderr to show the cause of a failure in the error message.
const STDERR_TAIL_CHARS = 2000;
// Every rung's audio (and the silent track for sources without any) is 48 kHz stereo, the rate phones record at.
const AUDIO_SAMPLE_RATE = 48_000;
// RFC 6381 name of AAC-LC, the profile ffmpeg's aac encoder writes.
const AUDIO_CODEC = "mp4a.40.2";
const HDR_TRANSFERS = new Set(["smpte2084", "arib-std-b67"]);

/**
 * Encodes the rungs into outDir/<rung>/{playlist.m3u8,init.mp4,seg_00000.m4s…} and writes outDir/master.m3u8.
 * While ffmpeg runs, each rung's playlist.m3u8 is a growing EVENT playlist naming only finished segments.
 */
export async function transcodeToHls(options: TranscodeOptions): Promise<HlsResult> {
  options.signal?.throwIfAborted();
  const { info, outDir } = options;
  const video = info.video;
  if (!video) throw new Error("Cannot transcode a file without a video stream.");
  if (options.rungs.length === 0) throw new Error("Cannot transcode to an empty ladder.");
  const rungs = [...options.rungs].sort((a, b) => a.width * a.height - b.width * b.height);
  const fps = planFrameRate(info);
  const masterPath = path.join(outDir, "master.m3u8");
  await Promise.all(rungs.map((rung) => mkdir(path.join(outDir, rung.name), { recursive: true })));

  const stop = new AbortController();
  const forwardAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", forwardAbort, { once: true });
  const progress = trackProgress(options.onProgress);
  const watcher = watchPlaylists({ outDir, rungs, fps, durationSec: info.durationMs / 1000, options, signal: stop.signal });
  // A publish callback failing stops ffmpeg (its error is kept, not left as an unhandled rejection); ffmpeg failing
  // stops the watcher. Either way we return or throw only once ffmpeg has exited and no callback is running.
  let watchError: unknown = null;
  const watching = watcher.run().catch((error: unknown) => {
    watchError = error;
    stop.abort(error);
  });
  try {
    await runFfmpeg(buildArgs(options.input, info, video, rungs, fps, outDir), {
      durationUs: Math.max(1, info.durationMs * 1000),
      signal: stop.signal,
      onFraction: progress.update,
    });
  } catch (error) {
    stop.abort(error);
    await watcher.finish();
    await watching;
    if (options.signal?.aborted) throw abortError(options.signal);
    throw watchError ?? error;
  } finally {
    options.signal?.removeEventListener("abort", forwardAbort);
  }
  await watcher.finish();
  await watching;
  if (watchError) throw watchError;

  // ffmpeg has closed every playlist with ENDLIST; copy them out once more, then describe what was really encoded.
  await Promise.all(rungs.map((rung) => copyPlaylist(outDir, rung)));
  const variants = await Promise.all(rungs.map((rung) => describeVariant(outDir, rung)));
  await writeMasterPlaylist(masterPath, variants, fps);
  if (!watcher.playable()) await options.onFirstPlayable?.(masterPath, rungs);
  progress.finish();
  return { masterPath, variants };
}

type WatchContext = { outDir: string; rungs: Rung[]; fps: number; durationSec: number; options: TranscodeOptions; signal: AbortSignal };

/**
 * Polls the playlists ffmpeg writes. Each poll copies them to playlist.m3u8 (with EXT-X-START so players begin at the
 * start, not the live edge), then, once playback from the start can no longer catch up with the encoder, writes a
 * provisional master and calls onFirstPlayable; after that, onPlaylistsGrown whenever a rung gained segments.
 */
function watchPlaylists(context: WatchContext) {
  const { outDir, rungs, options, signal } = context;
  const started = performance.now();
  let done = false;
  let playable = false;
  let listedBefore = -1;
  let wake: (() => void) | null = null;
  let running: Promise<void> = Promise.resolve();

  async function poll(): Promise<void> {
    const listed = Math.min(...(await Promise.all(rungs.map((rung) => copyPlaylist(outDir, rung)))));
    if (done || signal.aborted || listed <= listedBefore) return;
    listedBefore = listed;
    if (!playable) {
      const elapsedSec = (performance.now() - started) / 1000;
      if (listed < secondsNeededBeforePlayback(context.durationSec, listed / Math.max(elapsedSec, 0.001))) return;
      const masterPath = path.join(outDir, "master.m3u8");
      // The init segment is written with the first media segment; should a poll ever come before it is whole, wait.
      const variants = await Promise.all(rungs.map((rung) => describeProvisionalVariant(outDir, rung))).catch(() => null);
      if (!variants) {
        listedBefore = -1;
        return;
      }
      await writeMasterPlaylist(masterPath, variants, context.fps);
      playable = true;
      await options.onFirstPlayable?.(masterPath, rungs);
      return;
    }
    await options.onPlaylistsGrown?.();
  }

  return {
    run(): Promise<void> {
      running = (async () => {
        while (!done && !signal.aborted) {
          await poll();
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, PLAYLIST_POLL_MS);
          });
        }
      })();
      return running;
    },
    /** Stops polling and waits for a poll in progress, so no callback runs after transcodeToHls returns. */
    async finish(): Promise<void> {
      done = true;
      wake?.();
      await running.catch(() => undefined);
    },
    playable: () => playable,
  };
}

/**
 * Seconds of finished video needed before publishing, so that a viewer starting at 0 right away never waits for a
 * segment. With the encoder at `speed` × real time (discounted by ENCODER_SPEED_MARGIN), the player reaches content
 * time t at wall time t and needs the segment ending at t + SEGMENT; the encoder has it at (t + SEGMENT - listed) /
 * speed. That holds for every t up to the last segment when listed ≥ SEGMENT + (duration - SEGMENT) × (1 - speed),
 * and at least MIN_SEGMENTS_BEFORE_PLAYBACK segments are always wanted so the player has a buffer to start with.
 */
export function secondsNeededBeforePlayback(durationSec: number, speed: number): number {
  const safeSpeed = speed * ENCODER_SPEED_MARGIN;
  const catchUp = SEGMENT_DURATION_S + (durationSec - SEGMENT_DURATION_S) * Math.max(0, 1 - safeSpeed);
  return Math.min(durationSec, Math.max(SEGMENT_DURATION_S * MIN_SEGMENTS_BEFORE_PLAYBACK, catchUp));
}

/**
 * Copies ffmpeg's playlist for a rung to playlist.m3u8 (atomically) with EXT-X-START added; returns the seconds of
 * video it lists. ffmpeg renames a segment into place before it rewrites its playlist, so every listed file is whole.
 */
async function copyPlaylist(outDir: string, rung: Rung): Promise<number> {
  const rungDir = path.join(outDir, rung.name);
  const text = await readFile(path.join(rungDir, ENCODER_PLAYLIST), "utf8").catch(() => null);
  if (text === null) return 0;
  const segments = parseSegments(text);
  if (segments.length === 0) return 0;
  const published = text.replace("#EXT-X-TARGETDURATION:", `${START_AT_BEGINNING}\n#EXT-X-TARGETDURATION:`);
  const target = path.join(rungDir, "playlist.m3u8");
  await writeFile(`${target}.tmp`, published);
  await rename(`${target}.tmp`, target);
  return segments.reduce((sum, segment) => sum + segment.duration, 0);
}

/** ffmpeg arguments for one process encoding every rung (smallest first) from one decode of the input. */
function buildArgs(input: string, info: MediaInfo, video: VideoInfo, rungs: Rung[], fps: number, outDir: string): string[] {
  const videoGraph = buildVideoGraph(video, rungs, fps);
  const audioGraph = info.audio ? null : buildSilentAudioGraph(rungs.length, info.durationMs);
  const graph = audioGraph ? `${videoGraph};${audioGraph}` : videoGraph;
  const audioInput = (index: number) => (info.audio ? `0:${info.audio.streamIndex}` : `[a${index}]`);
  return [
    "-nostdin",
    "-hide_banner",
    "-loglevel",
    "error",
    "-nostats",
    "-progress",
    "pipe:1",
    "-y",
    // ffmpeg's default, spelled out: the display matrix is applied, so output is in the displayed orientation and
    // carries no rotation of its own.
    "-autorotate",
    "1",
    "-i",
    input,
    "-filter_complex",
    graph,
    ...rungs.flatMap((rung, index) => buildRungOutputArgs(rung, index, audioInput(index), video, fps, outDir)),
  ];
}

/**
 * Decode once, normalise to constant frame rate and 8-bit SDR at the largest size, then split and scale down for the
 * smaller rungs (scaling 1080p → 360p instead of 4K → 360p is cheaper and looks the same).
 */
function buildVideoGraph(video: VideoInfo, rungs: Rung[], fps: number): string {
  const largest = rungs[rungs.length - 1]!;
  const head = `[0:${video.streamIndex}]fps=${formatRate(fps)},${buildToSdr8Bit(video, largest.width, largest.height)}`;
  if (rungs.length === 1) return `${head},setsar=1[v0]`;
  const splitLabels = rungs.map((_, index) => `[s${index}]`).join("");
  const scaled = rungs.map((rung, index) =>
    rung === largest ? `[s${index}]setsar=1[v${index}]` : `[s${index}]scale=${rung.width}:${rung.height}:flags=bicubic,setsar=1[v${index}]`,
  );
  return [`${head},split=${rungs.length}${splitLabels}`, ...scaled].join(";");
}

/** Resize plus conversion to 8-bit BT.709: tone-mapped for HDR, gamut-mapped for BT.2020 SDR, plain otherwise. */
function buildToSdr8Bit(video: VideoInfo, width: number, height: number): string {
  const transfer = video.colorTransfer ?? "";
  if (HDR_TRANSFERS.has(transfer)) {
    // Linearise, tone-map with Hable (keeps highlights from clipping on SDR phone screens), back to BT.709.
    return [
      `zscale=w=${width}:h=${height}:tin=${transfer}:min=bt2020nc:pin=bt2020:rin=tv:t=linear:npl=100`,
      "format=gbrpf32le",
      "zscale=p=bt709",
      "tonemap=tonemap=hable:desat=0",
      "zscale=t=bt709:m=bt709:r=tv",
      "format=yuv420p",
    ].join(",");
  }
  if (video.colorPrimaries === "bt2020") {
    const tin = transfer === "bt2020-12" ? "2020_12" : transfer === "bt2020-10" ? "2020_10" : "709";
    return `zscale=w=${width}:h=${height}:tin=${tin}:min=bt2020nc:pin=bt2020:rin=tv:t=bt709:m=bt709:p=bt709:r=tv,format=yuv420p`;
  }
  // swscale resizes and drops 10-bit to 8-bit in one pass.
  return `scale=${width}:${height}:flags=bicubic,format=yuv420p`;
}

/**
 * Sources without audio get a silent stereo track: a video with no audio track confuses players (mute buttons,
 * autoplay policies, hls.js codec switching between rungs), and every rung then has the same CODECS.
 */
function buildSilentAudioGraph(outputs: number, durationMs: number): string {
  const source = `anullsrc=channel_layout=stereo:sample_rate=${AUDIO_SAMPLE_RATE},atrim=duration=${(durationMs / 1000).toFixed(3)}`;
  if (outputs === 1) return `${source}[a0]`;
  return `${source},asplit=${outputs}${Array.from({ length: outputs }, (_, index) => `[a${index}]`).join("")}`;
}

function buildRungOutputArgs(rung: Rung, index: number, audioInput: string, video: VideoInfo, fps: number, outDir: string): string[] {
  const rungDir = path.join(outDir, rung.name);
  const convertedColour = HDR_TRANSFERS.has(video.colorTransfer ?? "") || video.colorPrimaries === "bt2020";
  return [
    "-map",
    `[v${index}]`,
    "-map",
    audioInput,
    "-c:v",
    "libx264",
    "-preset",
    X264_PRESET,
    "-profile:v",
    "high",
    "-level:v",
    h264Level(rung, fps),
    "-pix_fmt",
    "yuv420p",
    "-b:v",
    String(rung.videoBitrate),
    "-maxrate",
    String(rung.maxrate),
    "-bufsize",
    String(rung.bufsize),
    // Keyframes by time (exact for 29.97 fps too). -g is the interval rounded up and scene cuts are off, so x264's
    // own keyframe never comes before a forced one and every rung's GOPs line up.
    "-force_key_frames",
    `expr:gte(t,n_forced*${KEYFRAME_INTERVAL_S})`,
    "-g",
    String(Math.ceil(fps * KEYFRAME_INTERVAL_S)),
    "-sc_threshold",
    "0",
    ...(convertedColour ? ["-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709"] : []),
    "-c:a",
    "aac",
    "-b:a",
    String(rung.audioBitrate),
    "-ar",
    String(AUDIO_SAMPLE_RATE),
    "-ac",
    "2",
    // Phones write the place a video was shot into its metadata; none of it belongs in what viewers download.
    "-map_metadata",
    "-1",
    "-map_chapters",
    "-1",
    "-max_muxing_queue_size",
    String(MUXING_QUEUE_PACKETS),
    "-f",
    "hls",
    "-hls_time",
    String(SEGMENT_DURATION_S),
    // EVENT: segments are only ever appended, which is what lets players start while the encode is running.
    "-hls_playlist_type",
    "event",
    "-hls_segment_type",
    "fmp4",
    "-hls_fmp4_init_filename",
    "init.mp4",
    "-hls_segment_filename",
    path.join(escapePercent(rungDir), "seg_%05d.m4s"),
    // temp_file: a segment is renamed into place whole before the playlist names it.
    "-hls_flags",
    "independent_segments+temp_file",
    path.join(rungDir, ENCODER_PLAYLIST),
  ];
}

// H.264 Annex A limits: [level, max macroblocks/s, max frame size in macroblocks, max bitrate kb/s, max CPB kb].
// Bitrate and CPB limits are for Baseline/Main; High allows 1.25× (Table A-2, cpbBrVclFactor 1250).
const H264_LEVELS: ReadonlyArray<readonly [string, number, number, number, number]> = [
  ["1.0", 1485, 99, 64, 175],
  ["1.1", 3000, 396, 192, 500],
  ["1.2", 6000, 396, 384, 1000],
  ["1.3", 11880, 396, 768, 2000],
  ["2.0", 11880, 396, 2000, 2000],
  ["2.1", 19800, 792, 4000, 4000],
  ["2.2", 20250, 1620, 4000, 4000],
  ["3.0", 40500, 1620, 10000, 10000],
  ["3.1", 108000, 3600, 14000, 14000],
  ["3.2", 216000, 5120, 20000, 20000],
  ["4.0", 245760, 8192, 20000, 25000],
  ["4.1", 245760, 8192, 50000, 62500],
  ["4.2", 522240, 8704, 50000, 62500],
  ["5.0", 589824, 22080, 135000, 135000],
  ["5.1", 983040, 36864, 240000, 240000],
  ["5.2", 2073600, 36864, 240000, 240000],
];
const HIGH_PROFILE_BITRATE_FACTOR = 1.25;

/** The smallest H.264 level that fits the rung, set explicitly so the CODECS string is known and players can rely on it. */
export function h264Level(rung: Rung, fps: number): string {
  const widthMbs = Math.ceil(rung.width / 16);
  const heightMbs = Math.ceil(rung.height / 16);
  const frameMbs = widthMbs * heightMbs;
  const fits = H264_LEVELS.find(([, maxMbps, maxFs, maxBr, maxCpb]) => {
    const maxSide = Math.sqrt(maxFs * 8);
    return (
      frameMbs <= maxFs &&
      widthMbs <= maxSide &&
      heightMbs <= maxSide &&
      frameMbs * fps <= maxMbps &&
      rung.maxrate <= maxBr * 1000 * HIGH_PROFILE_BITRATE_FACTOR &&
      rung.bufsize <= maxCpb * 1000 * HIGH_PROFILE_BITRATE_FACTOR
    );
  });
  return fits?.[0] ?? "5.2";
}

/** What the master needs while encoding: the peak the encoder is allowed and the target average, measured codecs. */
async function describeProvisionalVariant(outDir: string, rung: Rung): Promise<HlsVariant> {
  return {
    rung,
    playlistPath: `${rung.name}/playlist.m3u8`,
    bandwidth: rung.maxrate + rung.audioBitrate,
    averageBandwidth: rung.videoBitrate + rung.audioBitrate,
    codecs: `${await readAvcCodec(path.join(outDir, rung.name, "init.mp4"))},${AUDIO_CODEC}`,
    resolution: `${rung.width}x${rung.height}`,
  };
}

/** Reads what was actually encoded (the avcC box of init.mp4) and measures the segments for the master playlist. */
async function describeVariant(outDir: string, rung: Rung): Promise<HlsVariant> {
  const rungDir = path.join(outDir, rung.name);
  const playlist = await readFile(path.join(rungDir, "playlist.m3u8"), "utf8");
  const segments = await Promise.all(
    parseSegments(playlist).map(async (segment) => ({ ...segment, bytes: (await stat(path.join(rungDir, segment.uri))).size })),
  );
  const totalSeconds = segments.reduce((sum, segment) => sum + segment.duration, 0);
  const totalBits = segments.reduce((sum, segment) => sum + segment.bytes * 8, 0);
  const averageBandwidth = Math.round(totalBits / Math.max(totalSeconds, 0.001));
  // BANDWIDTH is the peak: what the encoder was allowed (maxrate + audio), or what was measured if that is higher,
  // because the HLS spec requires it to cover the real peak including container overhead.
  const bandwidth = Math.max(rung.maxrate + rung.audioBitrate, measurePeakBitrate(segments), averageBandwidth);
  const videoCodec = await readAvcCodec(path.join(rungDir, "init.mp4"));
  return {
    rung,
    playlistPath: `${rung.name}/playlist.m3u8`,
    bandwidth,
    averageBandwidth,
    codecs: `${videoCodec},${AUDIO_CODEC}`,
    resolution: `${rung.width}x${rung.height}`,
  };
}

function parseSegments(playlist: string): Array<{ uri: string; duration: number }> {
  const segments: Array<{ uri: string; duration: number }> = [];
  let duration: number | null = null;
  for (const line of playlist.split("\n").map((text) => text.trim())) {
    if (line.startsWith("#EXTINF:")) duration = Number.parseFloat(line.slice("#EXTINF:".length));
    else if (line && !line.startsWith("#") && duration !== null) {
      segments.push({ uri: line, duration });
      duration = null;
    }
  }
  return segments;
}

/** Peak segment bit rate as RFC 8216 defines it: over runs of segments lasting 0.5–1.5× the target duration. */
function measurePeakBitrate(segments: Array<{ duration: number; bytes: number }>): number {
  let peak = 0;
  for (let start = 0; start < segments.length; start += 1) {
    let seconds = 0;
    let bits = 0;
    for (let end = start; end < segments.length; end += 1) {
      seconds += segments[end]!.duration;
      bits += segments[end]!.bytes * 8;
      if (seconds > SEGMENT_DURATION_S * 1.5) break;
      if (seconds >= SEGMENT_DURATION_S * 0.5) peak = Math.max(peak, bits / seconds);
    }
  }
  return Math.round(peak);
}

/** "avc1.PPCCLL" from the avcC box: profile, constraint flags and level exactly as the encoder wrote them. */
async function readAvcCodec(initPath: string): Promise<string> {
  const file = await open(initPath, "r");
  try {
    // The moov of an init segment is a few kilobytes; avcC sits well inside the first 64 KB.
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    const at = buffer.subarray(0, bytesRead).indexOf("avcC", 0, "latin1");
    if (at < 0 || at + 8 > bytesRead) throw new Error(`No avcC box in ${initPath}; the encoder output is not H.264.`);
    const hex = (offset: number) => buffer[at + offset]!.toString(16).padStart(2, "0");
    return `avc1.${hex(5)}${hex(6)}${hex(7)}`;
  } finally {
    await file.close();
  }
}

/** Writes the master playlist atomically (temp file + rename) so a reader never sees half of it. */
async function writeMasterPlaylist(masterPath: string, variants: HlsVariant[], fps: number): Promise<void> {
  // Smallest first: players that start with the first listed variant (Safari) start fast; the rest adapt upward.
  const sorted = [...variants].sort((a, b) => a.bandwidth - b.bandwidth);
  const lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS", START_AT_BEGINNING];
  for (const variant of sorted) {
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${variant.bandwidth},AVERAGE-BANDWIDTH=${variant.averageBandwidth},` +
        `RESOLUTION=${variant.resolution},CODECS="${variant.codecs}",FRAME-RATE=${fps.toFixed(3)}`,
      variant.playlistPath,
    );
  }
  const temporary = `${masterPath}.tmp`;
  await writeFile(temporary, `${lines.join("\n")}\n`);
  await rename(temporary, masterPath);
}

type FfmpegRun = { durationUs: number; signal: AbortSignal; onFraction: (fraction: number) => void };

/** Runs ffmpeg to completion. Settles only after the process has exited; an abort SIGKILLs it. */
function runFfmpeg(args: string[], run: FfmpegRun): Promise<void> {
  return new Promise((resolve, reject) => {
    if (run.signal.aborted) {
      reject(abortError(run.signal));
      return;
    }
    const child = spawn("ffmpeg", args, { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let pending = "";
    let startError: Error | null = null;
    const kill = () => child.kill("SIGKILL");
    run.signal.addEventListener("abort", kill, { once: true });
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const match = /^out_time_us=(\d+)/.exec(line);
        if (match) run.onFraction(Math.min(1, Number(match[1]) / run.durationUs));
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });
    child.on("error", (error) => {
      startError = error;
    });
    child.on("close", (code, signal) => {
      run.signal.removeEventListener("abort", kill);
      if (run.signal.aborted) reject(abortError(run.signal));
      else if (startError) reject(new Error(`Could not start ffmpeg: ${startError.message}`));
      else if (code === 0) resolve();
      else reject(new Error(`ffmpeg failed (${code === null ? `signal ${signal}` : `exit code ${code}`}): ${stderr.trim() || "no output"}`));
    });
  });
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error("The transcode was aborted.");
}

/** Reports only increases, so the bar never goes backwards; 1 is reserved for the moment the full master exists. */
function trackProgress(onProgress: ((fraction: number) => void) | undefined) {
  let reported = 0;
  const report = (value: number) => {
    if (value <= reported) return;
    reported = value;
    onProgress?.(value);
  };
  return {
    update: (fraction: number) => report(Math.min(0.999, fraction)),
    finish: () => report(1),
  };
}

/** ffmpeg's frame-rate syntax: NTSC rates as exact fractions, others as decimals. */
function formatRate(fps: number): string {
  const ntsc = Math.round(fps * 1.001);
  if (Math.abs(fps - (ntsc * 1000) / 1001) < 0.001 && Math.abs(fps - ntsc) > 0.001) return `${ntsc * 1000}/1001`;
  return Number.isInteger(fps) ? String(fps) : fps.toFixed(3);
}

/** The HLS muxer expands %d patterns in the segment path; a literal % in a temp dir name must not be one. */
function escapePercent(text: string): string {
  return text.replaceAll("%", "%%");
}
