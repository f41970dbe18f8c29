// The JSON shape of a video for GET /api/videos/:id, the studio and (later) the feed.
import { getConfig } from "../env";
import type { Prisma } from "../generated/prisma/client";

export const videoViewInclude = {
  author: { select: { handle: true, name: true, avatarKey: true, status: true } },
  hashtags: { select: { hashtag: { select: { name: true } } } },
  renditions: { select: { height: true } },
} satisfies Prisma.VideoInclude;

type VideoRow = Prisma.VideoGetPayload<{ include: typeof videoViewInclude }>;
/** What toVideoView reads: a row loaded with videoViewInclude, or the same fields from SQL (lib/feed/hydrate.ts). */
export type VideoViewSource = Pick<
  VideoRow,
  | "id"
  | "status"
  | "progress"
  | "error"
  | "mediaVersion"
  | "playableAt"
  | "media"
  | "blurhash"
  | "width"
  | "height"
  | "durationMs"
  | "caption"
  | "visibility"
  | "allowComments"
  | "moderation"
  | "moderationReason"
  | "coverTimeMs"
  | "createdAt"
> & { hashtags: Array<{ hashtag: { name: string } }>; author: { handle: string; name: string; avatarKey: string | null } };

export type VideoMedia = { poster?: string; posterJpeg?: string; covers?: Array<{ timeSec: number; key: string }>; sprite?: string; vtt?: string };

export type VideoView = {
  id: string;
  status: "processing" | "ready" | "failed";
  progress: number;
  error?: string;
  hls: string | null;
  poster: string | null;
  posterJpeg: string | null;
  thumbnails: string | null;
  covers: Array<{ time: number; url: string }>;
  blurhash: string | null;
  width: number | null;
  height: number | null;
  duration: number | null;
  caption: string;
  hashtags: string[];
  author: { handle: string; name: string; avatar: string | null };
  visibility: "public" | "unlisted" | "private";
  allowComments: boolean;
  /** Where moderation stands: others see the video only when "approved"; "pending" until the moderation stage ran. */
  moderation: "pending" | "approved" | "held" | "hidden" | "removed";
  /** Why the moderation stage held it (only its author and moderators can see a video that is not approved). */
  moderationReason: string | null;
  coverTime: number | null;
  createdAt: string;
};

export function mediaUrl(key: string): string {
  const base = getConfig().MEDIA_PUBLIC_BASE_URL;
  return `${base ? base.replace(/\/$/, "") : ""}/media/${key}`;
}

/** How an account appears next to its content: the display name falls back to the handle; the avatar as a media URL. */
export function toAuthorView(user: { handle: string; name: string; avatarKey: string | null }): VideoView["author"] {
  return { handle: user.handle, name: user.name || user.handle, avatar: user.avatarKey ? mediaUrl(user.avatarKey) : null };
}

export function toVideoView(video: VideoViewSource): VideoView {
  const media = (video.media ?? {}) as VideoMedia;
  const prefix = video.mediaVersion ? `videos/${video.id}/${video.mediaVersion}` : null;
  const status = video.status === "READY" ? "ready" : video.status === "FAILED" ? "failed" : "processing";
  return {
    id: video.id,
    status,
    progress: Math.round(video.progress * 1000) / 1000,
    ...(video.status === "FAILED" ? { error: video.error ?? "Processing failed." } : {}),
    hls: prefix && video.playableAt ? mediaUrl(`${prefix}/master.m3u8`) : null,
    poster: media.poster ? mediaUrl(media.poster) : null,
    posterJpeg: media.posterJpeg ? mediaUrl(media.posterJpeg) : null,
    thumbnails: media.vtt ? mediaUrl(media.vtt) : null,
    covers: (media.covers ?? []).map((cover) => ({ time: cover.timeSec, url: mediaUrl(cover.key) })),
    blurhash: video.blurhash,
    width: video.width,
    height: video.height,
    duration: video.durationMs === null ? null : video.durationMs / 1000,
    caption: video.caption,
    hashtags: video.hashtags.map((link) => link.hashtag.name),
    author: toAuthorView(video.author),
    visibility: video.visibility.toLowerCase() as VideoView["visibility"],
    allowComments: video.allowComments,
    moderation: video.moderation.toLowerCase() as VideoView["moderation"],
    moderationReason: video.moderation === "APPROVED" ? null : video.moderationReason,
    coverTime: video.coverTimeMs === null ? null : video.coverTimeMs / 1000,
    createdAt: video.createdAt.toISOString(),
  };
}
