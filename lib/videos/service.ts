// Publishing and managing videos: create from a finished upload, read, edit, delete, retry. Runs in the web role;
// the heavy work is queued (lib/jobs/transcode.ts) and done by lib/videos/pipeline.ts in the worker.
import { canModerate } from "../auth/roles";
import { videoAppealStates, type AppealState } from "../moderation/appeals";
import { openHoldCase } from "../moderation/cases";
import { findBlockedWord, getModerationSettings } from "../moderation/settings";
import path from "node:path";
import { z } from "zod";
import type { AuthUser } from "../auth/types";
import { getDb, type Prisma } from "../db";
import { getConfig } from "../env";
import { AppError } from "../errors";
import { enqueueTranscode } from "../jobs/transcode";
import { getLogger } from "../logger";
import { inspectUpload } from "../media/probe";
import { isHiddenByBlock } from "../safety";
import { getStorage } from "../storage";
import { discardUpload, uploadFilePath } from "../uploads";
import { CAPTION_MAX_LENGTH, parseCaption } from "./caption";
import { canDeleteVideo, canEditVideo, canViewVideo } from "./permissions";
import { toVideoView, videoViewInclude, type VideoView } from "./view";

const visibilitySchema = z
  .enum(["public", "unlisted", "private"], { message: "Visibility must be public, unlisted or private." })
  .transform((value) => value.toUpperCase() as "PUBLIC" | "UNLISTED" | "PRIVATE");

export const createVideoSchema = z.object({
  uploadId: z.string().min(1, "uploadId is required.").max(64),
  caption: z.string().max(CAPTION_MAX_LENGTH, `Caption must be at most ${CAPTION_MAX_LENGTH} characters.`).default(""),
  visibility: visibilitySchema.default("PUBLIC"),
  coverTime: z.number().min(0, "coverTime must be 0 or more seconds.").optional(),
  allowComments: z.boolean().default(true),
});

export const updateVideoSchema = z
  .object({
    caption: z.string().max(CAPTION_MAX_LENGTH, `Caption must be at most ${CAPTION_MAX_LENGTH} characters.`).optional(),
    visibility: visibilitySchema.optional(),
    coverTime: z.number().min(0, "coverTime must be 0 or more seconds.").optional(),
    allowComments: z.boolean().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, "Send at least one of caption, visibility, coverTime, allowComments.");

async function loadVideo(id: string) {
  return getDb().video.findUnique({ where: { id }, include: videoViewInclude });
}

/**
 * The video if `viewer` may see it; a 404 otherwise, so private videos do not reveal they exist. A block between the
 * viewer and the author, made by either, hides the video too (lib/safety), except from moderators.
 */
export async function getVideo(viewer: AuthUser | null, id: string): Promise<VideoView> {
  const video = await loadVideo(id);
  if (!video || !canViewVideo(viewer, video)) throw new AppError("not_found", "No such video.");
  // A banned account's videos are gone for everyone but moderators.
  if (video.author.status !== "ACTIVE" && !canModerate(viewer)) throw new AppError("not_found", "No such video.");
  if (await isHiddenByBlock(viewer, video.authorId)) throw new AppError("not_found", "No such video.");
  return toVideoView(video);
}

/** A video in its creator's studio list: with, when a moderator took it down, where the one appeal stands. */
export type OwnVideoView = VideoView & { appeal: AppealState | null };

export async function listOwnVideos(user: AuthUser, limit = 100): Promise<OwnVideoView[]> {
  const rows = await getDb().video.findMany({
    where: { authorId: user.id },
    orderBy: { createdAt: "desc" },
    take: limit,
    include: videoViewInclude,
  });
  const takenDown = rows.filter((row) => row.moderation === "HIDDEN" || row.moderation === "REMOVED").map((row) => row.id);
  const appeals = await videoAppealStates(takenDown);
  return rows.map((row) => ({ ...toVideoView(row), appeal: appeals.get(row.id) ?? null }));
}

/** Links a caption's #hashtags and @mentions (of existing accounts) to the video, replacing earlier links. */
async function linkCaption(tx: Prisma.TransactionClient, videoId: string, caption: string): Promise<void> {
  const { hashtags, mentions } = parseCaption(caption);
  await tx.videoHashtag.deleteMany({ where: { videoId } });
  await tx.videoMention.deleteMany({ where: { videoId } });
  for (const name of hashtags) {
    const tag = await tx.hashtag.upsert({ where: { name }, create: { name }, update: {}, select: { id: true } });
    await tx.videoHashtag.create({ data: { videoId, hashtagId: tag.id } });
  }
  if (mentions.length > 0) {
    const people = await tx.user.findMany({ where: { handle: { in: mentions }, status: "ACTIVE" }, select: { id: true } });
    await tx.videoMention.createMany({ data: people.map((person) => ({ videoId, userId: person.id })), skipDuplicates: true });
  }
}

/**
 * POST /api/videos: validates the finished upload with ffprobe before anything is queued (a rejected file is deleted
 * and the reason returned), moves it into storage as the video's source, links hashtags and mentions, and queues the
 * transcode. Returns the new video's id.
 */
export async function createVideo(user: AuthUser, input: z.output<typeof createVideoSchema>): Promise<{ id: string }> {
  const upload = await getDb().upload.findUnique({ where: { id: input.uploadId } });
  if (!upload || upload.userId !== user.id) throw new AppError("not_found", "No such upload.");
  if (upload.consumedAt) throw new AppError("conflict", "This upload has already been published.");
  if (!upload.completedAt) throw new AppError("conflict", "This upload has not finished yet; resume it, then publish.");

  const config = getConfig();
  const file = uploadFilePath(upload.id);
  const { info, verdict } = await inspectUpload(file, {
    maxBytes: config.UPLOAD_MAX_BYTES,
    maxDurationMs: config.UPLOAD_MAX_DURATION_SECONDS * 1000,
  });
  if (!verdict.ok || !info?.video) {
    await discardUpload(upload.id);
    const message = verdict.ok ? "This file has no video stream." : verdict.message;
    throw new AppError("invalid_input", message, { reason: verdict.ok ? "no_video_stream" : verdict.reason });
  }
  const coverTimeMs = input.coverTime === undefined ? null : Math.min(Math.round(input.coverTime * 1000), info.durationMs);

  const video = await getDb().$transaction(async (tx) => {
    const claimed = await tx.upload.updateMany({ where: { id: upload.id, consumedAt: null }, data: { consumedAt: new Date() } });
    if (claimed.count === 0) throw new AppError("conflict", "This upload has already been published.");
    const created = await tx.video.create({
      data: {
        authorId: user.id,
        uploadId: upload.id,
        caption: input.caption,
        visibility: input.visibility,
        allowComments: input.allowComments,
        status: "PROCESSING",
        coverTimeMs,
        durationMs: info.durationMs,
        width: info.video!.width,
        height: info.video!.height,
        fps: info.video!.fps,
        sourceBytes: upload.sizeBytes,
        storageBytes: upload.sizeBytes,
      },
    });
    await linkCaption(tx, created.id, input.caption);
    return created;
  });

  const extension = (path.extname(upload.filename).toLowerCase().match(/^\.[a-z0-9]{1,5}$/)?.[0] ?? "") || ".bin";
  const sourceKey = `sources/${video.id}/original${extension}`;
  await getStorage().putFile(sourceKey, file, { contentType: "application/octet-stream", cacheControl: "private, no-store" });
  await getDb().video.update({ where: { id: video.id }, data: { sourceKey } });
  await discardUploadFile(upload.id);
  await queueProcessing(video.id, video.attempt);
  return { id: video.id };
}

/** The tus file is no longer needed once it is in storage; the Upload row stays as the record of the upload. */
async function discardUploadFile(uploadId: string): Promise<void> {
  const { rm } = await import("node:fs/promises");
  const file = uploadFilePath(uploadId);
  await Promise.all([rm(file, { force: true }), rm(`${file}.json`, { force: true })]);
}

/**
 * Queues processing. If Redis is unreachable the video stays "processing" and the maintenance queue's
 * requeue task picks it up once Redis is back, so the creator's publish is never lost.
 */
async function queueProcessing(videoId: string, attempt: number, kind: "transcode" | "cover" = "transcode"): Promise<void> {
  try {
    await enqueueTranscode({ videoId, attempt, kind });
  } catch (error) {
    getLogger().warn({ err: error, videoId }, "could not queue processing; maintenance will requeue it");
  }
}

export async function updateVideo(viewer: AuthUser, id: string, patch: z.output<typeof updateVideoSchema>): Promise<VideoView> {
  const video = await loadVideo(id);
  if (!video || !canViewVideo(viewer, video)) throw new AppError("not_found", "No such video.");
  if (!canEditVideo(viewer, video)) throw new AppError("forbidden", "Only the creator or a moderator can change this video.");
  const coverTimeMs =
    patch.coverTime === undefined ? undefined : Math.min(Math.round(patch.coverTime * 1000), video.durationMs ?? Number.MAX_SAFE_INTEGER);
  // A caption edited to use a blocked word sends an approved video back to the review queue, as an upload would be.
  const blockedWord =
    patch.caption !== undefined && video.moderation === "APPROVED" ? findBlockedWord(patch.caption, (await getModerationSettings()).blockedWords) : null;
  await getDb().$transaction(async (tx) => {
    await tx.video.update({
      where: { id },
      data: { caption: patch.caption, visibility: patch.visibility, allowComments: patch.allowComments, coverTimeMs },
    });
    if (patch.caption !== undefined) await linkCaption(tx, id, patch.caption);
    if (blockedWord) {
      const reason = `The caption or hashtags use the blocked word "${blockedWord}".`;
      await tx.video.update({ where: { id }, data: { moderation: "HELD", moderationReason: reason } });
      await openHoldCase(tx, id, [{ kind: "words", reason }]);
    }
  });
  if (coverTimeMs !== undefined && video.status === "READY") await queueProcessing(id, video.attempt, "cover");
  return toVideoView((await loadVideo(id))!);
}

/** Deletes the video and every stored file of it (source and all published versions). */
export async function deleteVideo(viewer: AuthUser, id: string): Promise<void> {
  const video = await getDb().video.findUnique({ where: { id } });
  if (!video || !canViewVideo(viewer, video)) throw new AppError("not_found", "No such video.");
  if (!canDeleteVideo(viewer, video)) throw new AppError("forbidden", "Only the creator or a moderator can delete this video.");
  // Remove the row first: a worker still processing it then finds nothing and skips, and never re-publishes files.
  await getDb().video.delete({ where: { id } });
  await Promise.all([getStorage().deletePrefix(`videos/${id}`), getStorage().deletePrefix(`sources/${id}`)]);
}

/** A creator's "try again" for a failed video: a new attempt with a job of its own. */
export async function retryVideo(viewer: AuthUser, id: string): Promise<VideoView> {
  const video = await getDb().video.findUnique({ where: { id } });
  if (!video || !canViewVideo(viewer, video)) throw new AppError("not_found", "No such video.");
  if (!canEditVideo(viewer, video)) throw new AppError("forbidden", "Only the creator or a moderator can retry this video.");
  if (video.status !== "FAILED") throw new AppError("conflict", "Only a failed video can be retried.");
  if (!video.sourceKey) throw new AppError("conflict", "The original file of this video is gone; upload it again.");
  const updated = await getDb().video.update({
    where: { id },
    data: { status: "PROCESSING", progress: 0, error: null, attempt: { increment: 1 } },
  });
  await queueProcessing(id, updated.attempt);
  return toVideoView((await loadVideo(id))!);
}

/** Videos stuck in "processing" without a live job (Redis was down at publish, a job was lost): queue them again. */
export async function requeueStalledVideos(olderThanMs: number): Promise<number> {
  const stale = await getDb().video.findMany({
    where: { status: "PROCESSING", updatedAt: { lt: new Date(Date.now() - olderThanMs) }, sourceKey: { not: null } },
    select: { id: true, attempt: true },
    take: 100,
  });
  const { getTranscodeQueue, transcodeJobId } = await import("../jobs/transcode");
  let requeued = 0;
  for (const video of stale) {
    const job = await getTranscodeQueue().getJob(transcodeJobId({ videoId: video.id, attempt: video.attempt, kind: "transcode" }));
    const state = job ? await job.getState() : "missing";
    if (state === "missing" || state === "unknown") {
      await enqueueTranscode({ videoId: video.id, attempt: video.attempt });
      requeued += 1;
    }
  }
  return requeued;
}
