// One video, playable by link (public and unlisted; private for its author).
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { HlsPlayer } from "@/components/player/hls-player";
import { ProcessingNotice } from "@/components/studio/processing-notice";
import { getSessionUser } from "@/lib/auth";
import { isAppError } from "@/lib/errors";
import { getVideo } from "@/lib/videos/service";
import type { VideoView } from "@/lib/videos/view";
import { videoMetadata } from "@/lib/videos/metadata";

type Props = { params: Promise<{ id: string }> };

async function load(id: string): Promise<VideoView> {
  try {
    return await getVideo(await getSessionUser(), id);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const video = await load((await params).id);
  return videoMetadata(video);
}

export default async function VideoPage({ params }: Props) {
  const video = await load((await params).id);
  return (
    <article style={{ maxWidth: 480, margin: "0 auto" }}>
      {video.hls ? (
        <HlsPlayer
          src={video.hls}
          poster={video.poster}
          width={video.width}
          height={video.height}
          // A shared link, unless a grid on Flick said where the viewer clicked it (components/events/tracker.ts).
          signals={{ videoId: video.id, duration: video.duration, source: "link" }}
        />
      ) : (
        <ProcessingNotice videoId={video.id} status={video.status} error={video.error} />
      )}
      <p style={{ marginBottom: 4 }}>
        <Link href={`/@${video.author.handle}`}>@{video.author.handle}</Link>
      </p>
      <p data-testid="caption" style={{ marginTop: 0, whiteSpace: "pre-wrap" }}>{video.caption}</p>
    </article>
  );
}
