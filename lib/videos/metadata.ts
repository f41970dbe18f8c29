// Link previews for a video page: Open Graph (video.other with the poster and the HLS stream) and a Twitter player card
// pointing at /embed/<id>. URLs are absolute, built from PUBLIC_URL, because crawlers resolve nothing relative.
// Private and unfinished videos get a plain title and nothing a crawler could follow.
import type { Metadata } from "next";
import { getConfig } from "../env";
import type { VideoView } from "./view";

const DESCRIPTION_LENGTH = 200; // Open Graph descriptions are cut around here by every major preview renderer

export function videoMetadata(video: VideoView): Metadata {
  const base = getConfig().PUBLIC_URL;
  const absolute = (url: string) => new URL(url, `${base}/`).toString();
  const title = video.caption.split("\n")[0]!.slice(0, 70) || `Video by @${video.author.handle}`;
  const description = video.caption.slice(0, DESCRIPTION_LENGTH) || `Watch @${video.author.handle} on Flick.`;
  if (video.visibility === "private" || video.status !== "ready" || !video.hls) return { title, robots: { index: false } };
  const image = video.posterJpeg ?? video.poster;
  const size = { width: video.width ?? undefined, height: video.height ?? undefined };
  const page = absolute(`/v/${video.id}`);
  const embed = absolute(`/embed/${video.id}`);
  return {
    title,
    description,
    alternates: { canonical: page },
    robots: video.visibility === "unlisted" ? { index: false } : undefined,
    openGraph: {
      type: "video.other",
      url: page,
      title,
      description,
      siteName: "Flick",
      images: image ? [{ url: absolute(image), ...size, alt: title }] : undefined,
      videos: [{ url: absolute(video.hls), secureUrl: absolute(video.hls), type: "application/x-mpegURL", ...size }],
    },
    twitter: {
      card: "player",
      title,
      description,
      images: image ? [absolute(image)] : undefined,
      players: [{ playerUrl: embed, streamUrl: absolute(video.hls), width: video.width ?? 360, height: video.height ?? 640 }],
    },
  };
}
