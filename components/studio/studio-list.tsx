"use client";

// The creator's videos with live processing state: polls every second while anything is processing. With `stats`,
// each video also shows its views, average watch time and completion rate, and links to its analytics.
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import type { StudioOverview } from "@/lib/analytics/types";
import type { OwnVideoView } from "@/lib/videos/service";
import { APPEAL_STATE } from "./appeal-state";
import { formatNumber, formatPercent, formatWatchTime } from "./format";

type VideoStats = StudioOverview["videos"][number];

const BUSY_POLL_MS = 1000; // progress moves every half second; a second feels live without hammering the API
const IDLE_POLL_MS = 10000;

export function StudioList({ initial, stats }: { initial: OwnVideoView[]; stats?: Map<string, VideoStats> }) {
  const [videos, setVideos] = useState(initial);
  const [message, setMessage] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const response = await fetch("/api/me/videos", { cache: "no-store" }).catch(() => null);
    if (response?.ok) setVideos(((await response.json()) as { videos: OwnVideoView[] }).videos);
  }, []);

  const busy = videos.some((video) => video.status === "processing");
  useEffect(() => {
    const timer = setInterval(refresh, busy ? BUSY_POLL_MS : IDLE_POLL_MS);
    return () => clearInterval(timer);
  }, [busy, refresh]);

  async function act(video: OwnVideoView, action: "retry" | "delete") {
    if (action === "delete" && !window.confirm("Delete this video and all its files?")) return;
    const response = await fetch(action === "retry" ? `/api/videos/${video.id}/retry` : `/api/videos/${video.id}`, {
      method: action === "retry" ? "POST" : "DELETE",
    });
    const data = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
    setMessage(response.ok ? null : (data.error?.message ?? "That did not work; please try again."));
    await refresh();
  }

  async function appeal(video: OwnVideoView) {
    const text = window.prompt("Why should moderators look at this decision again? (You can appeal once.)");
    if (!text?.trim()) return;
    const response = await fetch(`/api/videos/${video.id}/appeal`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text }) });
    const data = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
    setMessage(response.ok ? "Appeal sent. A moderator will decide it and you will be notified." : (data.error?.message ?? "That did not work; please try again."));
    // One appeal per decision: the button gives way to where the appeal stands (the next poll confirms it).
    if (response.ok) setVideos((current) => current.map((entry) => (entry.id === video.id ? { ...entry, appeal: "pending" } : entry)));
  }

  if (videos.length === 0) return <p className="empty">No videos yet. <Link href="/upload">Upload your first one.</Link></p>;
  return (
    <>
      {message && <p className="form-error" role="alert">{message}</p>}
      <ul className="studio-list">
        {videos.map((video) => (
          <li key={video.id} className="studio-item" data-testid="studio-item" data-video-id={video.id} data-status={video.status}>
            {video.poster ? <img src={video.poster} alt="" /> : <div className="thumb" />}
            <div className="meta">
              <div>
                <span className={`badge ${video.status}`}>{video.status}</span> <span className="hint">{video.visibility}</span>
                {video.status === "ready" && video.moderation !== "approved" && (
                  <span className="badge" data-testid="moderation-badge" title={video.moderationReason ?? undefined}>
                    {video.moderation === "pending" ? "in review" : video.moderation}
                  </span>
                )}
              </div>
              <p style={{ margin: "0.3rem 0", overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>
                {video.caption || <em className="hint">No caption</em>}
              </p>
              {video.status === "processing" && (
                <div className="progress" role="progressbar" aria-valuenow={Math.round(video.progress * 100)} aria-label="Processing progress">
                  <div style={{ width: `${Math.round(video.progress * 100)}%` }} />
                </div>
              )}
              {video.status === "failed" && <p className="form-error" style={{ margin: 0 }}>{video.error}</p>}
              {video.moderation === "held" && (
                <p className="hint" style={{ margin: 0 }}>Only you can see this video until a moderator reviews it.{video.moderationReason ? ` ${video.moderationReason}` : ""}</p>
              )}
              {(video.moderation === "hidden" || video.moderation === "removed") && (
                <p className="form-error" style={{ margin: 0 }}>A moderator took this video down; only you can see it.</p>
              )}
              {video.appeal && video.appeal !== "none" && (
                <p className="hint" style={{ margin: 0 }} data-testid="appeal-state">
                  {APPEAL_STATE[video.appeal]}
                </p>
              )}
              {stats && video.status !== "failed" && <VideoNumbers entry={stats.get(video.id)} />}
            </div>
            <div className="actions">
              {video.hls && <Link className="button secondary" href={`/v/${video.id}`}>Watch</Link>}
              <Link className="button secondary" href={`/studio/${video.id}`} data-testid="analytics-link">Analytics</Link>
              {video.status === "failed" && (
                <button type="button" className="button secondary" onClick={() => void act(video, "retry")}>Retry</button>
              )}
              {video.appeal === "none" && (
                <button type="button" className="button secondary" data-testid="appeal-button" onClick={() => void appeal(video)}>Appeal</button>
              )}
              <button type="button" className="button secondary" onClick={() => void act(video, "delete")}>Delete</button>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}

function VideoNumbers({ entry }: { entry: VideoStats | undefined }) {
  if (!entry) return <p className="hint" style={{ margin: 0 }} data-testid="studio-item-stats">No views in this range</p>;
  return (
    <p className="hint" style={{ margin: 0 }} data-testid="studio-item-stats">
      {formatNumber(entry.views)} views · {formatNumber(entry.uniqueViewers)} viewers · average {formatWatchTime(entry.avgWatchMs)} ·{" "}
      {formatPercent(entry.completionRate)} completed
    </p>
  );
}
