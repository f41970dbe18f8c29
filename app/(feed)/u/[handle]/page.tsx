// A profile, served at /@handle (next.config.ts rewrites /@handle here): who they are, their counts, follow, mute and
// block, and tabs: Videos for everyone; Liked and Bookmarks only for the account's owner. An account that blocked the
// viewer is not found; one the viewer blocked shows only its header and the way to unblock.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FollowButton } from "@/components/profile/follow-button";
import { SafetyActions } from "@/components/profile/safety-actions";
import { VideoGrid } from "@/components/video/video-grid";
import { getSessionUser, type AuthUser } from "@/lib/auth";
import { isAppError } from "@/lib/errors";
import { getPublicProfile, type PublicProfile } from "@/lib/users";
import { listBookmarkedVideos, listLikedVideos, listRecentPublicVideos } from "@/lib/videos";

type Props = { params: Promise<{ handle: string }>; searchParams: Promise<{ tab?: string }> };

const GRID_LIMIT = 60; // a few screens of posters; older ones are a search or a scroll of the feed away
const TABS = ["videos", "liked", "bookmarks"] as const;
type Tab = (typeof TABS)[number];

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

async function loadProfile(handle: string, viewer: AuthUser | null): Promise<PublicProfile> {
  try {
    return await getPublicProfile(decodeSegment(handle), viewer);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { handle } = await params;
  const profile = await loadProfile(handle, await getSessionUser());
  return { title: `${profile.name} (@${profile.handle})`, description: profile.bio || `Videos by @${profile.handle} on Flick.` };
}

export default async function ProfilePage({ params, searchParams }: Props) {
  const { handle } = await params;
  const viewer = await getSessionUser();
  const profile = await loadProfile(handle, viewer);
  const isOwn = viewer?.id === profile.id;
  const blocking = profile.viewer?.blocking ?? false;
  const requested = (await searchParams).tab;
  const tab: Tab = isOwn && TABS.includes(requested as Tab) ? (requested as Tab) : "videos";
  const videos = blocking
    ? []
    : tab === "liked"
      ? await listLikedVideos(profile.id, GRID_LIMIT)
      : tab === "bookmarks"
        ? await listBookmarkedVideos(profile.id, GRID_LIMIT)
        : await listRecentPublicVideos({ limit: GRID_LIMIT, authorId: profile.id });
  const empty = {
    videos: blocking
      ? `You blocked @${profile.handle}. Unblock them to see their videos.`
      : isOwn
        ? "You have not posted any videos yet."
        : `@${profile.handle} has not posted any videos yet.`,
    liked: "Videos you like appear here.",
    bookmarks: "Videos you bookmark appear here, only for you.",
  }[tab];
  return (
    <>
      <section className="profile-head">
        {profile.avatar ? (
          <img className="avatar" src={profile.avatar} alt="" />
        ) : (
          <div className="avatar" aria-hidden>
            {profile.handle[0]?.toUpperCase()}
          </div>
        )}
        <div>
          <h1 data-testid="profile-name">{profile.name}</h1>
          <p className="handle" data-testid="profile-handle">
            @{profile.handle}
            {isOwn && " · this is you"}
          </p>
          <div className="stats">
            <span><strong>{profile.stats.following}</strong>Following</span>
            <span><strong data-testid="profile-follower-count">{profile.stats.followers}</strong>Followers</span>
            <span><strong>{profile.stats.likes}</strong>Likes</span>
          </div>
          {profile.bio && <p data-testid="profile-bio">{profile.bio}</p>}
          {!isOwn && !blocking && (
            <FollowButton
              handle={profile.handle}
              initiallyFollowing={profile.viewer?.following ?? false}
              initialFollowers={profile.stats.followers}
              signedIn={viewer !== null}
            />
          )}
          {blocking && (
            <p className="hint" data-testid="profile-blocked">
              You blocked @{profile.handle}. They can&apos;t see your profile, videos or comments, or interact with you.
            </p>
          )}
          {profile.viewer && (
            <SafetyActions handle={profile.handle} initiallyBlocking={blocking} initiallyMuting={profile.viewer.muting} />
          )}
        </div>
      </section>
      <nav className="tabs" aria-label="Profile sections">
        <Link href={`/@${profile.handle}`} aria-current={tab === "videos" ? "page" : undefined}>Videos</Link>
        {isOwn && (
          <>
            <Link href={`/@${profile.handle}?tab=liked`} aria-current={tab === "liked" ? "page" : undefined}>Liked</Link>
            <Link href={`/@${profile.handle}?tab=bookmarks`} aria-current={tab === "bookmarks" ? "page" : undefined}>Bookmarks</Link>
          </>
        )}
      </nav>
      <VideoGrid videos={videos} empty={empty} source="profile" />
    </>
  );
}
