"use client";

// Shown where a video will play while it is still processing; reloads the page once it becomes playable.
import { useRouter } from "next/navigation";
import { useEffect } from "react";

export function ProcessingNotice({ videoId, status, error }: { videoId: string; status: string; error?: string }) {
  const router = useRouter();
  useEffect(() => {
    if (status === "failed") return;
    const timer = setInterval(async () => {
      const response = await fetch(`/api/videos/${videoId}`);
      if (!response.ok) return;
      const video = (await response.json()) as { hls: string | null; status: string };
      if (video.hls || video.status !== "processing") router.refresh();
    }, 1000);
    return () => clearInterval(timer);
  }, [videoId, status, router]);
  return (
    <div className="empty" data-testid="processing-notice">
      {status === "failed" ? `This video could not be processed: ${error ?? "unknown reason"}` : "This video is still processing…"}
    </div>
  );
}
