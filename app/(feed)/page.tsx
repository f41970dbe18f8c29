import { VideoGrid } from "@/components/video/video-grid";
import { listRecentPublicVideos } from "@/lib/videos";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const videos = await listRecentPublicVideos({ limit: 24 });
  return (
    <>
      <h1 style={{ marginTop: 0 }}>Latest videos</h1>
      <VideoGrid videos={videos} empty="No videos on this instance yet." />
    </>
  );
}
