// A profile, served at /@handle (next.config.ts rewrites /@handle here): who they are, their counts, a follow button,
// and tabs: Videos for everyone; Liked and Bookmarks only for the account's owner.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FollowButton } from "@/components/profile/follow-button";
import { VideoGrid } from "@/components/video/video-grid";
import { getSessionUser } from "@/lib/auth";
import { isAppError } from "@/lib/errors";
import { isFollowing } from "@/lib/social";
import { getPublicProfile, type PublicProfile } from "@/lib/users";
import { listBookmarkedVideos, listLikedVideos, listRecentPublicVideos } from "@/lib/videos";

type Props = { params: Promise<{ handle: string }>; searchParams: Promise<{ tab?: string }> };

const GRID_LIMIT = 60; // a few screens of posters; older ones are a search or a scroll of the feed away
const TABS = ["videos", "liked", "bookmarks"] as const;
type Tab = (typeof TABS)[number];

async function loadProfile(handle: string): Promise<PublicProfile> {
  try {
    return await getPublicProfile(decodeURIComponent(handle));
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { handle } = await params;
  const profile = await loadProfile(handle);
  return { title: `${profile.name} (@${profile.handle})`, description: profile.bio || `Videos by @${profile.handle} on Flick.` };
}

export default async function ProfilePage({ params, searchParams }: Props) {
  const { handle } = await params;
  const [profile, viewer] = await Promise.all([loadProfile(handle), getSessionUser()]);
  const isOwn = viewer?.id === profile.id;
  const requested = (await searchParams).tab;
  const tab: Tab = isOwn && TABS.includes(requested as Tab) ? (requested as Tab) : "videos";
  const [videos, following] = await Promise.all([
    tab === "liked"
      ? listLikedVideos(profile.id, GRID_LIMIT)
      : tab === "bookmarks"
        ? listBookmarkedVideos(profile.id, GRID_LIMIT)
        : listRecentPublicVideos({ limit: GRID_LIMIT, authorId: profile.id }),
    viewer && !isOwn ? isFollowing(viewer.id, profile.id) : Promise.resolve(false),
  ]);
  const empty = {
    videos: isOwn ? "You have not posted any videos yet." : `@${profile.handle} has not posted any videos yet.`,
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
          {!isOwn && <FollowButton handle={profile.handle} initiallyFollowing={following} initialFollowers={profile.stats.followers} signedIn={viewer !== null} />}
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
