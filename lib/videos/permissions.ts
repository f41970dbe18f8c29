// Who may do what with a video. Every route, page and the media server ask these, so the rules live in one place.
//   - The author, moderators and admins see everything, and may edit and delete.
//   - Anyone else sees a video only once it is READY and APPROVED, and PUBLIC or UNLISTED (unlisted: viewable by
//     link, never listed in feeds, profiles or search).
import { canModerate, type Role } from "../auth/roles";
import type { ModerationState, VideoStatus, Visibility } from "../generated/prisma/enums";

export type Viewer = { id: string; role: Role } | null;
export type VideoAccess = { authorId: string; visibility: Visibility; status: VideoStatus; moderation: ModerationState };

function isAuthor(viewer: Viewer, video: VideoAccess): boolean {
  return viewer !== null && viewer.id === video.authorId;
}

/** Viewable by everyone, signed in or not: what may be cached by shared caches and CDNs. */
export function isViewableByAnyone(video: VideoAccess): boolean {
  return video.status === "READY" && video.moderation === "APPROVED" && video.visibility !== "PRIVATE";
}

export function canViewVideo(viewer: Viewer, video: VideoAccess): boolean {
  return isAuthor(viewer, video) || canModerate(viewer) || isViewableByAnyone(video);
}

export function canEditVideo(viewer: Viewer, video: VideoAccess): boolean {
  return isAuthor(viewer, video) || canModerate(viewer);
}

export function canDeleteVideo(viewer: Viewer, video: VideoAccess): boolean {
  return isAuthor(viewer, video) || canModerate(viewer);
}

/** Shown in feeds, on profiles and in search: public, ready and approved. */
export function isListed(video: Omit<VideoAccess, "authorId">): boolean {
  return video.visibility === "PUBLIC" && video.status === "READY" && video.moderation === "APPROVED";
}
