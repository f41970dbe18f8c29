import type { EventSource } from "@/lib/events/types";
import type { VideoCard } from "@/lib/videos";
import { VideoGridItem } from "./video-grid-item";

/** What a tile needs: profile cards have all of it; search results and hashtag pages have no preview playlist. */
export type GridVideo = Pick<VideoCard, "id" | "caption" | "poster"> & { hls?: string | null };

/** `source`: where the grid is (a profile, search, a hashtag page), handed to the video page for its signals. */
export function VideoGrid({ videos, empty, source }: { videos: GridVideo[]; empty: string; source?: EventSource }) {
  if (videos.length === 0) return <p className="empty">{empty}</p>;
  return (
    <div className="video-grid" data-testid="video-grid">
      {videos.map((video) => (
        <VideoGridItem key={video.id} video={video} source={source} />
      ))}
    </div>
  );
}
