// The transcode job's processor (worker only): source → poster, HLS ladder (published while it encodes), cover
// candidates and scrubbing sprite → one published version → "ready" (for its owner; others see it once the
// moderation stage, queued by the features job, approves it). Idempotent and safe to kill at any point:
// every run writes into a version folder of its own, and the database points at a version only once everything
// that version's master playlist lists is in storage. A re-run after a crash starts a fresh version and removes
// the abandoned ones.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { UnrecoverableError } from "bullmq";
import { getDb } from "../db";
import { enqueueFeatures } from "../jobs/features";
import { transcodeJobOptions, type TranscodePayload } from "../jobs/transcode";
import { getLogger } from "../logger";
import { makeCoverCandidates, makePoster, makeThumbnailSprite } from "../media/images";
import { planLadder, type Rung } from "../media/ladder";
import { probeMedia } from "../media/probe";
import { transcodeToHls } from "../media/transcode";
import { contentTypeFor, getStorage } from "../storage";
import { downloadSource } from "./source";
import type { VideoMedia } from "./view";

const PROGRESS_WRITE_INTERVAL_MS = 500; // the studio polls every second; writing more often only loads the database
const DEFAULT_COVER_FRACTION = 0.1; // without a chosen cover, a frame a tenth of the way in (past fade-ins)

export type JobHandle = { attemptsMade: number; attemptsStarted: number; updateProgress(progress: number): Promise<void> };

export type PipelineResult = { videoId: string; outcome: "ready" | "cover" | "skipped"; version?: string; reason?: string };

/** Bad input the pipeline cannot fix by retrying: the video fails at once with this sentence. */
export class MediaInputError extends Error {}

export async function processTranscodeJob(payload: TranscodePayload, job: JobHandle): Promise<PipelineResult> {
  const log = getLogger().child({ videoId: payload.videoId, attempt: payload.attempt });
  const video = await getDb().video.findUnique({ where: { id: payload.videoId } });
  if (!video) return { videoId: payload.videoId, outcome: "skipped", reason: "deleted" };
  if (video.attempt !== payload.attempt) return { videoId: video.id, outcome: "skipped", reason: "superseded by a retry" };
  if (!video.sourceKey) throw new UnrecoverableError("The original file of this video is missing.");
  if (payload.kind === "cover") return regenerateCover(video.id);
  if (video.status === "READY" && video.mediaVersion) return { videoId: video.id, outcome: "skipped", reason: "already ready" };

  const work = await mkdtemp(path.join(tmpdir(), `flick-transcode-${video.id}-`));
  try {
    return await runPipeline(video.id, video.sourceKey, payload.attempt, job, work);
  } catch (error) {
    const final = error instanceof MediaInputError || error instanceof UnrecoverableError || job.attemptsMade + 1 >= transcodeJobOptions.attempts;
    log.error({ err: error, final }, "processing failed");
    if (final) await markFailed(video.id, error);
    throw error instanceof MediaInputError ? new UnrecoverableError(error.message) : error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function runPipeline(videoId: string, sourceKey: string, attempt: number, job: JobHandle, work: string): Promise<PipelineResult> {
  const storage = getStorage();
  const progress = createProgressReporter(videoId, job);
  await progress(0.01);

  const source = await requireSource(sourceKey, work);
  const info = await probeMedia(source).catch((error: Error) => {
    throw new MediaInputError(`The file could not be read as a video (${error.message.split("\n")[0]}).`);
  });
  if (!info.video) throw new MediaInputError("This file has no video stream.");
  const durationSec = info.durationMs / 1000;
  const version = `a${attempt}-s${job.attemptsStarted}`;
  const prefix = `videos/${videoId}/${version}`;
  await removeAbandonedVersions(videoId, attempt, job.attemptsStarted);

  // Poster first: the studio and player show a real frame (and its blurhash) while the ladder encodes.
  const current = await getDb().video.findUniqueOrThrow({ where: { id: videoId }, select: { coverTimeMs: true } });
  const coverSec = current.coverTimeMs === null ? durationSec * DEFAULT_COVER_FRACTION : current.coverTimeMs / 1000;
  const imagesDir = path.join(work, "images");
  const poster = await makePoster(source, { timeSec: Math.min(coverSec, Math.max(0, durationSec - 0.1)), outDir: imagesDir });
  const posterKey = `${prefix}/poster.webp`;
  const media: VideoMedia = { poster: posterKey, posterJpeg: `${prefix}/poster.jpg` };
  await storage.putFile(posterKey, poster.webp, { contentType: "image/webp", cacheControl: "public, max-age=31536000, immutable" });
  await storage.putFile(media.posterJpeg!, poster.jpeg, { contentType: "image/jpeg", cacheControl: "public, max-age=31536000, immutable" });
  await getDb().video.update({ where: { id: videoId }, data: { blurhash: poster.blurhash, posterKey, media } });
  await progress(0.05);

  const hlsDir = path.join(work, "hls");
  const rungs = planLadder(info);
  const hls = createHlsPublisher(prefix, hlsDir, rungs);
  const result = await transcodeToHls({
    input: source,
    info,
    rungs,
    outDir: hlsDir,
    onProgress: (fraction) => void progress(0.05 + fraction * 0.8),
    onFirstPlayable: async () => {
      // Growing playlists naming only stored segments, and a master: a consistent, watchable version while it encodes.
      await hls.publish();
      await getDb().video.update({ where: { id: videoId }, data: { mediaVersion: version, playableAt: new Date() } });
    },
    onPlaylistsGrown: () => hls.publish(),
  });
  await hls.publish();
  await progress(0.88);

  const coversDir = path.join(work, "covers");
  const covers = await makeCoverCandidates(source, durationSec, coversDir);
  media.covers = [];
  for (const cover of covers) {
    const key = `${prefix}/covers/${path.basename(cover.webp)}`;
    await storage.putFile(key, cover.webp, { contentType: "image/webp", cacheControl: "public, max-age=31536000, immutable" });
    media.covers.push({ timeSec: cover.timeSec, key });
  }
  const sprite = await makeThumbnailSprite(source, durationSec, path.join(work, "sprite"));
  media.sprite = `${prefix}/sprite.webp`;
  media.vtt = `${prefix}/sprite.vtt`;
  await storage.putFile(media.sprite, sprite.spriteWebp, { contentType: "image/webp", cacheControl: "public, max-age=31536000, immutable" });
  await storage.putFile(media.vtt, sprite.vtt, { contentType: "text/vtt", cacheControl: "public, max-age=31536000, immutable" });
  await progress(0.95);

  const previous = await getDb().video.findUnique({ where: { id: videoId }, select: { mediaVersion: true, sourceBytes: true, publishedAt: true } });
  if (!previous) return { videoId, outcome: "skipped", reason: "deleted while processing" };
  const storedBytes = await storage.usage(prefix);
  await getDb().$transaction([
    getDb().rendition.deleteMany({ where: { videoId } }),
    getDb().rendition.createMany({
      data: result.variants.map((variant) => ({
        videoId,
        width: variant.rung.width,
        height: variant.rung.height,
        bitrate: variant.bandwidth,
        codecs: variant.codecs,
        playlistKey: `${prefix}/${variant.playlistPath}`,
      })),
    }),
    getDb().video.update({
      where: { id: videoId },
      data: {
        status: "READY",
        progress: 1,
        error: null,
        mediaVersion: version,
        playableAt: new Date(),
        media,
        posterKey,
        blurhash: poster.blurhash,
        width: info.video.width,
        height: info.video.height,
        fps: info.video.fps,
        durationMs: info.durationMs,
        storageBytes: (previous.sourceBytes ?? 0n) + BigInt(storedBytes),
        // moderation is left alone: the moderation stage (after features) decides whether others see it.
        publishedAt: previous.publishedAt ?? new Date(),
      },
    }),
  ]);
  if (previous.mediaVersion && previous.mediaVersion !== version) {
    await storage.deletePrefix(`videos/${videoId}/${previous.mediaVersion}`);
  }
  // Followers hear of the video when the moderation stage approves it (lib/moderation/stage.ts), not here.
  await enqueueFeatures({ videoId, attempt }).catch((error) =>
    getLogger().warn({ err: error, videoId }, "features not queued; the video is ready without them"),
  );
  return { videoId, outcome: "ready", version };
}

/**
 * Publishes an HLS folder as its playlists describe it, as often as asked: every file a playlist names (init and
 * segments, each stored once; they never change), then the variant playlists, then the master. A reader therefore
 * never finds a playlist naming a file that is not in storage.
 */
function createHlsPublisher(prefix: string, dir: string, rungs: Rung[]) {
  const storage = getStorage();
  const stored = new Set<string>();
  const put = (relative: string, cacheControl: string) =>
    storage.putFile(`${prefix}/${relative}`, path.join(dir, ...relative.split("/")), { contentType: contentTypeFor(relative), cacheControl });
  return {
    async publish(): Promise<void> {
      const playlists = await Promise.all(
        rungs.map(async (rung) => ({ rung, text: await readFile(path.join(dir, rung.name, "playlist.m3u8"), "utf8") })),
      );
      for (const { rung, text } of playlists) {
        for (const file of listPlaylistFiles(text)) {
          const relative = `${rung.name}/${file}`;
          if (stored.has(relative)) continue;
          await put(relative, "public, max-age=31536000, immutable");
          stored.add(relative);
        }
      }
      // The playlists as read above (not re-read): exactly the files just stored. Short-lived: they grow.
      for (const { rung, text } of playlists) {
        const snapshot = path.join(dir, rung.name, "published.m3u8");
        await writeFile(snapshot, text);
        await storage.putFile(`${prefix}/${rung.name}/playlist.m3u8`, snapshot, { contentType: contentTypeFor(snapshot), cacheControl: "public, max-age=2" });
      }
      await put("master.m3u8", "public, max-age=2");
    },
  };
}

/** The init segment and media segments a playlist names, in order. */
function listPlaylistFiles(playlist: string): string[] {
  const files: string[] = [];
  for (const line of playlist.split("\n").map((text) => text.trim())) {
    const map = /^#EXT-X-MAP:.*URI="([^"]+)"/.exec(line);
    if (map) files.push(map[1]!);
    else if (line && !line.startsWith("#")) files.push(line);
  }
  return files;
}

async function requireSource(sourceKey: string, work: string): Promise<string> {
  const file = await downloadSource(sourceKey, work);
  if (!file) throw new MediaInputError("The original file of this video is missing or empty.");
  return file;
}

/** Versions of this attempt started by runs that died (killed worker) and were never published. */
async function removeAbandonedVersions(videoId: string, attempt: number, attemptsStarted: number): Promise<void> {
  const video = await getDb().video.findUnique({ where: { id: videoId }, select: { mediaVersion: true } });
  for (let started = 0; started < attemptsStarted; started += 1) {
    const version = `a${attempt}-s${started}`;
    if (version !== video?.mediaVersion) await getStorage().deletePrefix(`videos/${videoId}/${version}`);
  }
}

async function regenerateCover(videoId: string): Promise<PipelineResult> {
  const video = await getDb().video.findUnique({ where: { id: videoId } });
  if (!video?.mediaVersion || !video.sourceKey) return { videoId, outcome: "skipped", reason: "not published yet" };
  const work = await mkdtemp(path.join(tmpdir(), `flick-cover-${videoId}-`));
  try {
    const source = await requireSource(video.sourceKey, work);
    const timeSec = (video.coverTimeMs ?? 0) / 1000;
    const poster = await makePoster(source, { timeSec, outDir: work });
    // A new file name per cover time: posters are cached as immutable, so the URL must change with the image.
    const stamp = video.coverTimeMs ?? 0;
    const prefix = `videos/${videoId}/${video.mediaVersion}`;
    const media = { ...((video.media ?? {}) as VideoMedia), poster: `${prefix}/poster-${stamp}.webp`, posterJpeg: `${prefix}/poster-${stamp}.jpg` };
    await getStorage().putFile(media.poster!, poster.webp, { contentType: "image/webp", cacheControl: "public, max-age=31536000, immutable" });
    await getStorage().putFile(media.posterJpeg!, poster.jpeg, { contentType: "image/jpeg", cacheControl: "public, max-age=31536000, immutable" });
    await getDb().video.update({ where: { id: videoId }, data: { media, posterKey: media.poster, blurhash: poster.blurhash } });
    return { videoId, outcome: "cover" };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function createProgressReporter(videoId: string, job: JobHandle): (fraction: number) => Promise<void> {
  let lastWrite = 0;
  let lastValue = 0;
  return async (fraction) => {
    const value = Math.max(lastValue, Math.min(0.99, fraction));
    const now = Date.now();
    if (now - lastWrite < PROGRESS_WRITE_INTERVAL_MS && value < 0.99) return;
    lastWrite = now;
    lastValue = value;
    await Promise.all([
      getDb().video.updateMany({ where: { id: videoId, status: { not: "READY" } }, data: { progress: value, status: "PROCESSING" } }),
      job.updateProgress(Math.round(value * 100)),
    ]).catch((error) => getLogger().warn({ err: error, videoId }, "progress not recorded"));
  };
}

async function markFailed(videoId: string, error: unknown): Promise<void> {
  const reason =
    error instanceof MediaInputError || error instanceof UnrecoverableError
      ? (error as Error).message
      : "Processing failed on our side. You can retry, or delete the video and upload it again.";
  await getDb().video.updateMany({ where: { id: videoId }, data: { status: "FAILED", error: reason } });
}
