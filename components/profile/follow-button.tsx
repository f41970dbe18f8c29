"use client";

// Follow / Following toggle on a profile. Optimistic: the label and count change at once and revert if the server
// refuses; signed-out visitors are sent to sign in first.
import { useState } from "react";

type Props = { handle: string; initiallyFollowing: boolean; initialFollowers: number; signedIn: boolean };

export function FollowButton({ handle, initiallyFollowing, initialFollowers, signedIn }: Props) {
  const [following, setFollowing] = useState(initiallyFollowing);
  const [followers, setFollowers] = useState(initialFollowers);
  const [busy, setBusy] = useState(false);

  async function toggle() {
    if (!signedIn) {
      window.location.href = `/sign-in?next=${encodeURIComponent(window.location.pathname)}`;
      return;
    }
    const next = !following;
    setBusy(true);
    setFollowing(next);
    setFollowers((count) => count + (next ? 1 : -1));
    try {
      const response = await fetch(`/api/users/${encodeURIComponent(handle)}/follow`, { method: next ? "PUT" : "DELETE" });
      if (!response.ok) throw new Error(String(response.status));
      const state = (await response.json()) as { following: boolean; followers: number };
      setFollowing(state.following);
      setFollowers(state.followers);
    } catch {
      setFollowing(!next);
      setFollowers((count) => count + (next ? -1 : 1));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="follow-row">
      <button type="button" className={following ? "button secondary" : "button"} onClick={toggle} disabled={busy} aria-pressed={following} data-testid="profile-follow">
        {following ? "Following" : "Follow"}
      </button>
      <span data-testid="profile-followers">
        <strong>{followers}</strong> followers
      </span>
    </div>
  );
}
