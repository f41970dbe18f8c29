import Link from "next/link";
import type { VideoCard } from "@/lib/videos";

export function VideoGrid({ videos, empty }: { videos: VideoCard[]; empty: string }) {
  if (videos.length === 0) return <p className="empty">{empty}</p>;
  return (
    <div className="video-grid">
      {videos.map((video) => (
        <Link key={video.id} href={`/v/${video.id}`} title={video.caption} style={{ aspectRatio: "9 / 16", background: "var(--surface)", borderRadius: 8, overflow: "hidden" }}>
          {video.poster && <img src={video.poster} alt={video.caption} style={{ width: "100%", height: "100%", objectFit: "cover" }} />}
        </Link>
      ))}
    </div>
  );
}
