// Transcode benchmark: Flick's pipeline (transcodeToHls) against, in the same run on the same machine,
//   - the reference: one hand-written ffmpeg command that decodes once and encodes every rung (the practical limit),
//   - per-rung runs: one ffmpeg per rung, each decoding the source again (the PeerTube way),
// and the pipeline's time to first playable against the clip's duration. Prints wall and CPU seconds and the ratios.
//
//   npm run bench:transcode             one round
//   npm run bench:transcode -- --runs 3 best of three rounds per contender (for a machine with noisy neighbours)
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { planLadder, type Rung } from "../lib/media/ladder";
import { probeMedia } from "../lib/media/probe";
import { KEYFRAME_INTERVAL_S, SEGMENT_DURATION_S, transcodeToHls, X264_PRESET } from "../lib/media/transcode";

// A phone-shaped upload: 60 s portrait 1080×1920 at 30 fps. testsrc2 scrolled diagonally plus light temporal noise
// gives whole-frame motion and sensor-like grain, so neither decoding nor encoding gets an unrealistically easy ride.
const CLIP_SECONDS = 60;
const SOURCE_SIZE = "1080x1920";
const SOURCE_FPS = 30;
// ~12 Mb/s H.264 High, the bitrate class of a phone's 1080p30 recording (iPhone ≈ 15, mid-range Android ≈ 12–17).
const SOURCE_BITRATE = "12M";
const TARGETS = { pipelineOverReference: 1.15, perRungOverPipeline: 1.5, firstPlayableOverClip: 0.35 };
const CACHE_DIR = path.join(os.tmpdir(), "flick-bench");

/** Wall seconds, CPU seconds of our ffmpeg processes, and CPU seconds everything else on the machine used meanwhile. */
type Timing = { wall: number; cpu: number | null; otherCpu: number | null };

async function main(): Promise<void> {
  const runs = readRuns(process.argv.slice(2));
  const source = await ensureSource();
  const info = await probeMedia(source);
  const rungs = planLadder(info);
  const work = await mkdtemp(path.join(os.tmpdir(), "flick-bench-run-"));
  log(`source ${SOURCE_SIZE} ${CLIP_SECONDS}s ${SOURCE_FPS}fps, ${os.cpus().length} cores, preset ${X264_PRESET}, ${runs} round(s)`);
  log(`rungs ${rungs.map((rung) => `${rung.name} ${rung.width}x${rung.height} ${Math.round(rung.videoBitrate / 1000)}k`).join(", ")}`);

  const results = { pipeline: [] as Timing[], firstPlayable: [] as number[], reference: [] as Timing[], perRung: [] as Timing[] };
  try {
    for (let round = 1; round <= runs; round += 1) {
      const reference = await measure(() => runReference(source, rungs, path.join(work, "reference")));
      log(`round ${round}: reference ${describe(reference)}`);
      let firstPlayableAt = 0;
      const started = performance.now();
      const pipeline = await measure(() =>
        transcodeToHls({
          input: source,
          info,
          rungs,
          outDir: path.join(work, "pipeline"),
          onFirstPlayable: () => {
            firstPlayableAt = (performance.now() - started) / 1000;
          },
        }).then(() => undefined),
      );
      log(`round ${round}: pipeline ${describe(pipeline)}, first playable ${firstPlayableAt.toFixed(1)} s`);
      const perRung = await measure(() => runPerRung(source, rungs, path.join(work, "per-rung")));
      log(`round ${round}: per-rung ${describe(perRung)}`);
      results.reference.push(reference);
      results.pipeline.push(pipeline);
      results.firstPlayable.push(firstPlayableAt);
      results.perRung.push(perRung);
      await rm(work, { recursive: true, force: true });
      await mkdir(work, { recursive: true });
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  printReport(best(results.pipeline), best(results.reference), best(results.perRung), Math.min(...results.firstPlayable));
}

function printReport(pipeline: Timing, reference: Timing, perRung: Timing, firstPlayable: number): void {
  const seconds = (value: number | null) => (value === null ? "n/a" : value.toFixed(1));
  const rows = [
    ["pipeline (transcodeToHls, full ladder)", pipeline.wall.toFixed(1), seconds(pipeline.cpu), seconds(pipeline.otherCpu)],
    ["reference (one ffmpeg, all rungs)", reference.wall.toFixed(1), seconds(reference.cpu), seconds(reference.otherCpu)],
    ["per-rung (one ffmpeg per rung)", perRung.wall.toFixed(1), seconds(perRung.cpu), seconds(perRung.otherCpu)],
    ["pipeline time to first playable", firstPlayable.toFixed(1), "", ""],
    ["clip duration", CLIP_SECONDS.toFixed(1), "", ""],
  ];
  const ratios: Array<[string, number, string, boolean]> = [
    ["pipeline / reference", pipeline.wall / reference.wall, `≤ ${TARGETS.pipelineOverReference}`, pipeline.wall / reference.wall <= TARGETS.pipelineOverReference],
    ["per-rung / pipeline", perRung.wall / pipeline.wall, `≥ ${TARGETS.perRungOverPipeline}`, perRung.wall / pipeline.wall >= TARGETS.perRungOverPipeline],
    ["first playable / clip duration", firstPlayable / CLIP_SECONDS, `≤ ${TARGETS.firstPlayableOverClip}`, firstPlayable / CLIP_SECONDS <= TARGETS.firstPlayableOverClip],
  ];
  const lines = [
    "",
    "| measurement | wall s | ffmpeg CPU s | other processes' CPU s |",
    "| --- | ---: | ---: | ---: |",
    ...rows.map(([name, wall, cpu, otherCpu]) => `| ${name} | ${wall} | ${cpu} | ${otherCpu} |`),
    "",
    "| ratio | value | target | result |",
    "| --- | ---: | --- | --- |",
    ...ratios.map(([name, value, target, pass]) => `| ${name} | ${value.toFixed(2)} | ${target} | ${pass ? "PASS" : "MISS"} |`),
  ];
  if (pipeline.cpu !== null && reference.cpu !== null && perRung.cpu !== null) {
    lines.push("", `CPU-time ratios: pipeline / reference ${(pipeline.cpu / reference.cpu).toFixed(2)}, per-rung / pipeline ${(perRung.cpu / pipeline.cpu).toFixed(2)}`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** The practical limit: one process, one decode, a split filter graph, every rung with the pipeline's encoder settings. */
function runReference(source: string, rungs: Rung[], outDir: string): Promise<void> {
  const splitLabels = rungs.map((_, index) => `[s${index}]`).join("");
  const graph = [
    `[0:v]fps=${SOURCE_FPS},split=${rungs.length}${splitLabels}`,
    ...rungs.map((rung, index) => `[s${index}]scale=${rung.width}:${rung.height}:flags=bicubic,format=yuv420p,setsar=1[v${index}]`),
  ].join(";");
  const outputs = rungs.flatMap((rung, index) => hlsOutput(rung, `[v${index}]`, path.join(outDir, rung.name)));
  return ffmpeg(["-i", source, "-filter_complex", graph, ...outputs], outDir, rungs);
}

/** One ffmpeg per rung, one after another, each decoding the whole source again. */
async function runPerRung(source: string, rungs: Rung[], outDir: string): Promise<void> {
  for (const rung of rungs) {
    const filter = `[0:v]fps=${SOURCE_FPS},scale=${rung.width}:${rung.height}:flags=bicubic,format=yuv420p,setsar=1[v0]`;
    await ffmpeg(["-i", source, "-filter_complex", filter, ...hlsOutput(rung, "[v0]", path.join(outDir, rung.name))], outDir, [rung]);
  }
}

function hlsOutput(rung: Rung, videoLabel: string, rungDir: string): string[] {
  return [
    "-map", videoLabel, "-map", "0:a:0",
    "-c:v", "libx264", "-preset", X264_PRESET, "-profile:v", "high", "-pix_fmt", "yuv420p",
    "-b:v", String(rung.videoBitrate), "-maxrate", String(rung.maxrate), "-bufsize", String(rung.bufsize),
    "-force_key_frames", `expr:gte(t,n_forced*${KEYFRAME_INTERVAL_S})`, "-g", String(SOURCE_FPS * KEYFRAME_INTERVAL_S), "-sc_threshold", "0",
    "-c:a", "aac", "-b:a", String(rung.audioBitrate), "-ar", "48000", "-ac", "2",
    "-f", "hls", "-hls_time", String(SEGMENT_DURATION_S), "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
    "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", path.join(rungDir, "seg_%05d.m4s"),
    "-hls_flags", "independent_segments", path.join(rungDir, "playlist.m3u8"),
  ];
}

async function ffmpeg(args: string[], outDir: string, rungs: Rung[]): Promise<void> {
  await Promise.all(rungs.map((rung) => mkdir(path.join(outDir, rung.name), { recursive: true })));
  await new Promise<void>((resolve, reject) => {
    const child = spawn("ffmpeg", ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", ...args], { stdio: ["ignore", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}`))));
  });
}

/** The 60 s source, generated once per machine (≈1 min on 2 cores) and reused. */
async function ensureSource(): Promise<string> {
  const target = path.join(CACHE_DIR, `source-${SOURCE_SIZE}-${CLIP_SECONDS}s-${SOURCE_BITRATE}.mp4`);
  if (existsSync(target)) return target;
  await mkdir(CACHE_DIR, { recursive: true });
  log(`generating the ${CLIP_SECONDS} s source (once) …`);
  const temporary = `${target}.${process.pid}.tmp.mp4`;
  const video = `testsrc2=size=${SOURCE_SIZE}:rate=${SOURCE_FPS}:duration=${CLIP_SECONDS},scroll=h=0.003:v=0.002,noise=alls=6:allf=t`;
  await ffmpeg(
    [
      "-f", "lavfi", "-i", video,
      "-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${CLIP_SECONDS}`,
      "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-pix_fmt", "yuv420p",
      "-b:v", SOURCE_BITRATE, "-maxrate", "15M", "-bufsize", "24M",
      "-c:a", "aac", "-b:a", "128k", "-ac", "2", temporary,
    ],
    CACHE_DIR,
    [],
  );
  await rename(temporary, target);
  return target;
}

/**
 * Wall seconds; CPU seconds of the child processes that finished meanwhile (Linux: /proc/self/stat); and the CPU the
 * rest of the machine used meanwhile (/proc/stat busy time less ours), which says how far to trust the wall times.
 */
async function measure(work: () => Promise<void>): Promise<Timing> {
  const childBefore = readChildCpuSeconds();
  const machineBefore = readMachineBusySeconds();
  const selfBefore = process.cpuUsage();
  const started = performance.now();
  await work();
  const wall = (performance.now() - started) / 1000;
  const childAfter = readChildCpuSeconds();
  const machineAfter = readMachineBusySeconds();
  const self = process.cpuUsage(selfBefore);
  const cpu = childBefore === null || childAfter === null ? null : childAfter - childBefore;
  const otherCpu =
    cpu === null || machineBefore === null || machineAfter === null
      ? null
      : Math.max(0, machineAfter - machineBefore - cpu - (self.user + self.system) / 1e6);
  return { wall, cpu, otherCpu };
}

function readMachineBusySeconds(): number | null {
  try {
    // "cpu  user nice system idle iowait irq softirq steal …" in clock ticks; busy is everything but idle and iowait.
    const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).map(Number);
    const total = ticks.slice(0, 8).reduce((sum, value) => sum + value, 0);
    return (total - ticks[3]! - ticks[4]!) / 100;
  } catch {
    return null;
  }
}

function readChildCpuSeconds(): number | null {
  try {
    // Fields after the command name; cutime and cstime are the 14th and 15th of them, in clock ticks (100 Hz on Linux).
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

function describe(timing: Timing): string {
  return `${timing.wall.toFixed(1)} s wall, ${timing.cpu?.toFixed(1) ?? "n/a"} s CPU, others used ${timing.otherCpu?.toFixed(1) ?? "n/a"} s CPU`;
}

function best(timings: Timing[]): Timing {
  return timings.reduce((a, b) => (b.wall < a.wall ? b : a));
}

function readRuns(args: string[]): number {
  const index = args.indexOf("--runs");
  const value = index >= 0 ? Number(args[index + 1]) : 1;
  return Number.isInteger(value) && value > 0 ? value : 1;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

await main();
