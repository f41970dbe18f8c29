// What follows once moderation lets a video be seen by everyone, on either path: the moderation stage approving it,
// or a moderator clearing a held video (lib/moderation/cases.ts).
import { getDb } from "../db";
import { announceNewVideo } from "../notifications";
import { enterPoolIfListed } from "../recs/exploration";

/**
 * Followers and mentioned people hear of the video (once: not again if it was announced before), and its first
 * audience starts: For You's exploration slots serve it from the next request. Neither step fails the caller.
 */
export async function videoApproved(videoId: string): Promise<void> {
  if (!(await wasAnnounced(videoId))) await announceNewVideo(videoId);
  await enterPoolIfListed(videoId);
}

async function wasAnnounced(videoId: string): Promise<boolean> {
  return (await getDb().notification.count({ where: { videoId, type: { in: ["NEW_VIDEO", "MENTION"] } } })) > 0;
}
