"use client";

// Block and mute on someone else's profile (POST/DELETE /api/users/:handle/block and /mute). Blocking changes what
// the page shows (no videos, no follow button), so it reloads the page's server data; muting changes only feeds.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/settings/request";

type Props = { handle: string; initiallyBlocking: boolean; initiallyMuting: boolean };

export function SafetyActions({ handle, initiallyBlocking, initiallyMuting }: Props) {
  const router = useRouter();
  const [blocking, setBlocking] = useState(initiallyBlocking);
  const [muting, setMuting] = useState(initiallyMuting);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const path = `/api/users/${encodeURIComponent(handle)}`;

  async function toggleBlock() {
    const next = !blocking;
    if (next && !window.confirm(`Block @${handle}? They won't see your profile, videos or comments, and can't follow or comment on you. You'll stop following each other.`)) {
      return;
    }
    setBusy(true);
    setError(null);
    const result = await callApi<{ blocking: boolean }>(`${path}/block`, { method: next ? "POST" : "DELETE" });
    setBusy(false);
    if (!result.ok) return setError(result.message);
    setBlocking(result.data.blocking);
    router.refresh();
  }

  async function toggleMute() {
    const next = !muting;
    setBusy(true);
    setError(null);
    const result = await callApi<{ muting: boolean }>(`${path}/mute`, { method: next ? "POST" : "DELETE" });
    setBusy(false);
    if (!result.ok) return setError(result.message);
    setMuting(result.data.muting);
  }

  return (
    <div className="follow-row" data-testid="profile-safety">
      {!blocking && (
        <button type="button" className="button secondary" onClick={toggleMute} disabled={busy} aria-pressed={muting} data-testid="profile-mute">
          {muting ? "Unmute" : "Mute"}
        </button>
      )}
      <button type="button" className="button secondary" onClick={toggleBlock} disabled={busy} aria-pressed={blocking} data-testid="profile-block">
        {blocking ? "Unblock" : "Block"}
      </button>
      {muting && !blocking && <span className="hint">Their videos are left out of your feeds and search.</span>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
