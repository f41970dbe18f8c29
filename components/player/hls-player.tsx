"use client";

// Plays an HLS master playlist: hls.js where Media Source Extensions exist, the browser's own HLS elsewhere (Safari).
import Hls from "hls.js";
import { useEffect, useRef, useState } from "react";
import { takeOpenedFrom } from "@/components/events/tracker";
import { useWatchSignals } from "@/components/events/use-watch-signals";
import type { EventSource } from "@/lib/events/types";

/** Report what the viewer watches (components/events): the video's id and length, and where they came from (unless a
 * grid's link on this site said where, at the click). */
export type PlayerSignals = { videoId: string; duration: number | null; source: EventSource };

type Props = { src: string; poster?: string | null; width?: number | null; height?: number | null; autoPlay?: boolean; signals?: PlayerSignals };

export function HlsPlayer({ src, poster, width, height, autoPlay = true, signals }: Props) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [openedFrom, setOpenedFrom] = useState<EventSource | null>(null);
  const signalsVideoId = signals?.videoId;
  useEffect(() => {
    if (signalsVideoId) setOpenedFrom(takeOpenedFrom(signalsVideoId));
  }, [signalsVideoId]);
  // The page's one player is the active video for as long as it is shown.
  useWatchSignals({
    videoRef,
    elementRef: videoRef,
    videoId: signals?.videoId ?? null,
    duration: signals?.duration ?? null,
    active: signals !== undefined,
    source: openedFrom ?? signals?.source ?? "other",
  });

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    if (Hls.isSupported()) {
      // Start at a quality that fits the element rather than the lowest rung; hls.js adapts from there.
      const hls = new Hls({ capLevelToPlayerSize: true, startLevel: -1 });
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        if (data.type === Hls.ErrorTypes.NETWORK_ERROR) hls.startLoad();
        else if (data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
      });
      hls.loadSource(src);
      hls.attachMedia(video);
      return () => hls.destroy();
    }
    if (video.canPlayType("application/vnd.apple.mpegurl")) video.src = src;
  }, [src]);

  const aspect = width && height ? `${width} / ${height}` : "9 / 16";
  return (
    <video
      ref={videoRef}
      data-testid="player"
      poster={poster ?? undefined}
      controls
      muted={autoPlay}
      autoPlay={autoPlay}
      loop
      playsInline
      style={{ width: "100%", maxHeight: "80vh", aspectRatio: aspect, background: "#000", borderRadius: 12 }}
    />
  );
}
