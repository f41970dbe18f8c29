// A bare player for embedding a video in other sites (<iframe src="/embed/<id>">) and for Twitter player cards:
// only the video, its poster and a link back to Flick. Same visibility rules as the video page.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { HlsPlayer } from "@/components/player/hls-player";
import { getSessionUser } from "@/lib/auth";
import { isAppError } from "@/lib/errors";
import { getVideo } from "@/lib/videos/service";

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { robots: { index: false } };

export default async function EmbedPage({ params }: Props) {
  const { id } = await params;
  const video = await getVideo(await getSessionUser(), id).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  if (!video.hls) notFound();
  return (
    <div className="embed">
      <HlsPlayer src={video.hls} poster={video.poster} width={video.width} height={video.height} signals={{ videoId: video.id, duration: video.duration, source: "other" }} />
      <a href={`/v/${video.id}`} target="_blank" rel="noopener" className="embed-link">
        @{video.author.handle} on Flick
      </a>
    </div>
  );
}
