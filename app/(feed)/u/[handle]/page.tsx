// A profile, served at /@handle (next.config.ts rewrites /@handle here).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { VideoGrid } from "@/components/video/video-grid";
import { getSessionUser } from "@/lib/auth";
import { isAppError } from "@/lib/errors";
import { getPublicProfile, type PublicProfile } from "@/lib/users";
import { listRecentPublicVideos } from "@/lib/videos";

type Props = { params: Promise<{ handle: string }> };

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

export default async function ProfilePage({ params }: Props) {
  const { handle } = await params;
  const [profile, viewer] = await Promise.all([loadProfile(handle), getSessionUser()]);
  const videos = await listRecentPublicVideos({ limit: 60, authorId: profile.id });
  const isOwn = viewer?.handle === profile.handle;
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
            <span><strong>{profile.stats.followers}</strong>Followers</span>
            <span><strong>{profile.stats.likes}</strong>Likes</span>
          </div>
          {profile.bio && <p>{profile.bio}</p>}
        </div>
      </section>
      <div className="tabs"><span>Videos</span></div>
      <VideoGrid videos={videos} empty={isOwn ? "You have not posted any videos yet." : `@${profile.handle} has not posted any videos yet.`} />
    </>
  );
}
