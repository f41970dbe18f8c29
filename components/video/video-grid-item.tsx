"use client";

// One poster in a grid; hovering (or focusing) it plays a muted preview from the video's own HLS ladder, started only
// then and torn down when the pointer leaves, so a grid of sixty posters costs sixty images, not sixty players.
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { rememberOpenedFrom } from "@/components/events/tracker";
import type { EventSource } from "@/lib/events/types";
import type { GridVideo } from "./video-grid";

export function VideoGridItem({ video, source }: { video: GridVideo; source?: EventSource }) {
  const [previewing, setPreviewing] = useState(false);
  const videoRef = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    const element = videoRef.current;
    if (!previewing || !element || !video.hls) return;
    let destroyed = false;
    let teardown = () => {};
    if (element.canPlayType("application/vnd.apple.mpegurl")) {
      element.src = video.hls;
      void element.play().catch(() => undefined);
      teardown = () => {
        element.removeAttribute("src");
        element.load();
      };
    } else {
      void import("hls.js").then(({ default: Hls }) => {
        if (destroyed || !Hls.isSupported()) return;
        // The smallest rung is plenty for a thumbnail-sized preview.
        const hls = new Hls({ startLevel: 0, capLevelToPlayerSize: true, maxBufferLength: 6 });
        hls.loadSource(video.hls!);
        hls.attachMedia(element);
        void element.play().catch(() => undefined);
        teardown = () => hls.destroy();
      });
    }
    return () => {
      destroyed = true;
      teardown();
    };
  }, [previewing, video.hls]);

  return (
    <Link
      href={`/v/${video.id}`}
      title={video.caption}
      className="video-grid-item"
      data-testid="video-grid-item"
      onClick={() => source && rememberOpenedFrom(video.id, source)}
      onMouseEnter={() => setPreviewing(true)}
      onMouseLeave={() => setPreviewing(false)}
      onFocus={() => setPreviewing(true)}
      onBlur={() => setPreviewing(false)}
    >
      {video.poster ? (
        <img src={video.poster} alt={video.caption} loading="lazy" />
      ) : (
        // No poster yet (or none was made): the caption stands in, so the tile is not an empty box.
        <span className="video-grid-caption">{video.caption}</span>
      )}
      {previewing && video.hls && <video ref={videoRef} muted loop playsInline aria-hidden />}
    </Link>
  );
}
