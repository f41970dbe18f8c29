// A video as a database row that looks processed (published media version, dimensions, duration), for tests of the
// feed, search and pages that must not wait for ffmpeg. The files it names do not exist: delete such rows afterwards
// so a later test's browser is never served them.
import { getDb } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ModerationState, VideoStatus, Visibility } from "@/lib/generated/prisma/enums";
import { parseCaption } from "@/lib/videos/caption";

export type VideoRowOptions = {
  caption?: string;
  visibility?: Visibility;
  status?: VideoStatus;
  moderation?: ModerationState;
  allowComments?: boolean;
  publishedAt?: Date;
  /** Link the caption's #hashtags, as publishing does (search and tag pages read the links). */
  linkHashtags?: boolean;
  data?: Partial<Prisma.VideoUncheckedCreateInput>;
};

export async function createVideoRow(authorId: string, options: VideoRowOptions = {}): Promise<string> {
  const publishedAt = options.publishedAt ?? new Date();
  const caption = options.caption ?? "";
  const video = await getDb().video.create({
    data: {
      authorId,
      caption,
      visibility: options.visibility ?? "PUBLIC",
      status: options.status ?? "READY",
      moderation: options.moderation ?? "APPROVED",
      allowComments: options.allowComments ?? true,
      mediaVersion: "a1-s0",
      playableAt: publishedAt,
      publishedAt,
      width: 360,
      height: 640,
      durationMs: 6000,
      ...options.data,
    },
    select: { id: true },
  });
  if (options.linkHashtags) {
    for (const name of parseCaption(caption).hashtags) {
      const tag = await getDb().hashtag.upsert({ where: { name }, create: { name }, update: {}, select: { id: true } });
      await getDb().videoHashtag.create({ data: { videoId: video.id, hashtagId: tag.id } });
    }
  }
  return video.id;
}
