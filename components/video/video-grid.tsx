import type { VideoCard } from "@/lib/videos";
import { VideoGridItem } from "./video-grid-item";

export function VideoGrid({ videos, empty }: { videos: VideoCard[]; empty: string }) {
  if (videos.length === 0) return <p className="empty">{empty}</p>;
  return (
    <div className="video-grid" data-testid="video-grid">
      {videos.map((video) => (
        <VideoGridItem key={video.id} video={video} />
      ))}
    </div>
  );
}
