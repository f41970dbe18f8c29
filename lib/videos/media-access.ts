// Who may fetch a stored media file, by its key. Used by the media route (app/media/[...key]) before it serves bytes.
//   videos/<videoId>/…   as canViewVideo says (and nobody but moderators once its author is banned); cacheable by shared caches only when anyone may view the video
//   avatars/<userId>/…   public
//   anything else        not served (sources/, and whatever is added later until it is listed here)
import { canModerate } from "../auth/roles";
import { getDb } from "../db";
import { canViewVideo, isViewableByAnyone, type Viewer } from "./permissions";

export type MediaAccess = { isPublic: boolean };

/**
 * The access a request gets to `key` (already checked with assertSafeKey), or null to answer 404: unknown video,
 * not allowed (private videos must not reveal they exist), or not a served area. `identify` is called only when the
 * answer depends on who is asking, so public media costs no session lookup.
 */
export async function authorizeMediaKey(key: string, identify: () => Promise<Viewer>): Promise<MediaAccess | null> {
  const [area, owner, ...rest] = key.split("/");
  if (!owner || rest.length === 0) return null;
  if (area === "avatars") return { isPublic: true };
  if (area !== "videos") return null;
  const video = await getDb().video.findUnique({
    where: { id: owner },
    select: { authorId: true, visibility: true, status: true, moderation: true, author: { select: { status: true } } },
  });
  if (!video) return null;
  // A banned account's videos are gone for everyone but moderators (the account itself can no longer sign in).
  if (video.author.status !== "ACTIVE") return canModerate(await identify()) ? { isPublic: false } : null;
  if (isViewableByAnyone(video)) return { isPublic: true };
  return canViewVideo(await identify(), video) ? { isPublic: false } : null;
}
