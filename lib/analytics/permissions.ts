// Who may read a video's analytics: its creator, and nobody else (not even moderators, who can watch anything but have
// no business with a creator's audience numbers).
import type { Viewer } from "../videos/permissions";

export function canReadVideoAnalytics(viewer: Viewer, video: { authorId: string }): boolean {
  return viewer !== null && viewer.id === video.authorId;
}
