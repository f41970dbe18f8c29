// Account settings: profile, picture, password, API tokens, signed-in sessions, the For You history, who may comment
// (and the comment word filter), and blocked and muted accounts. The page reads through lib/ on the server; each panel
// changes things through the same API a script would use.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AccountsList } from "@/components/settings/accounts-list";
import { AvatarForm } from "@/components/settings/avatar-form";
import { CommentSettingsForm } from "@/components/settings/comment-settings-form";
import { PasswordForm } from "@/components/settings/password-form";
import { ProfileForm } from "@/components/settings/profile-form";
import { ResetFeed } from "@/components/settings/reset-feed";
import { SessionsPanel } from "@/components/settings/sessions-panel";
import { TokensPanel } from "@/components/settings/tokens-panel";
import { getSessionUser, listActiveSessions, listApiTokens } from "@/lib/auth";
import { getCommentSettings, listBlockedAccounts, listMutedAccounts } from "@/lib/safety";
import { getEditableProfile } from "@/lib/users";

export const metadata: Metadata = { title: "Settings" };
export const dynamic = "force-dynamic";

const SECTIONS = [
  ["profile", "Profile"],
  ["avatar", "Picture"],
  ["password", "Password"],
  ["tokens", "API tokens"],
  ["sessions", "Sessions"],
  ["for-you", "For You"],
  ["comments", "Comments"],
  ["blocked", "Blocked"],
  ["muted", "Muted"],
] as const;

export default async function SettingsPage() {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in?next=/settings");
  const [profile, tokens, sessions, commentSettings, blocked, muted] = await Promise.all([
    getEditableProfile(user.id),
    listApiTokens(user.id),
    listActiveSessions(user.id, user.sessionId),
    getCommentSettings(user.id),
    listBlockedAccounts(user.id),
    listMutedAccounts(user.id),
  ]);
  return (
    <div className="settings">
      <h1>Settings</h1>
      <nav className="settings-nav" aria-label="Settings sections">
        {SECTIONS.map(([id, label]) => (
          <a key={id} href={`#${id}`}>
            {label}
          </a>
        ))}
      </nav>

      <section id="profile" aria-labelledby="profile-title">
        <h2 id="profile-title">Profile</h2>
        <ProfileForm handle={profile.handle} initialName={profile.name} initialBio={profile.bio} />
      </section>

      <section id="avatar" aria-labelledby="avatar-title">
        <h2 id="avatar-title">Picture</h2>
        <AvatarForm handle={profile.handle} initialAvatar={profile.avatar} />
      </section>

      <section id="password" aria-labelledby="password-title">
        <h2 id="password-title">Password</h2>
        <PasswordForm />
      </section>

      <section id="tokens" aria-labelledby="tokens-title">
        <h2 id="tokens-title">API tokens</h2>
        <TokensPanel
          initial={tokens.map((token) => ({
            id: token.id,
            name: token.name,
            prefix: token.prefix,
            createdAt: token.createdAt.toISOString(),
            lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
          }))}
        />
      </section>

      <section id="sessions" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions</h2>
        <p className="hint">Everywhere you are signed in. Signing a device out takes effect on its next request.</p>
        {/* Keyed by the list, so a refresh after a password change (which ends other sessions) shows the new list. */}
        <SessionsPanel key={sessions.map((session) => session.id).join(",")} initial={sessions} />
      </section>

      <section id="for-you" aria-labelledby="for-you-title">
        <h2 id="for-you-title">For You</h2>
        <p className="hint">
          For You learns from what you watch to the end, skip, like and follow, and never shows you the same video twice. Refreshing
          forgets what it has learned about you and what you have seen, so it starts over as if you were new. Your follows, blocks, mutes
          and &ldquo;Not interested&rdquo; choices stay.
        </p>
        <ResetFeed />
      </section>

      <section id="comments" aria-labelledby="comments-title">
        <h2 id="comments-title">Comments</h2>
        <CommentSettingsForm initial={commentSettings} />
      </section>

      <section id="blocked" aria-labelledby="blocked-title">
        <h2 id="blocked-title">Blocked accounts</h2>
        <p className="hint">They can&apos;t see your profile, videos or comments, or follow, like or comment on you, and you don&apos;t see theirs.</p>
        <AccountsList kind="block" initial={blocked.items} />
      </section>

      <section id="muted" aria-labelledby="muted-title">
        <h2 id="muted-title">Muted accounts</h2>
        <p className="hint">Their videos are left out of your feeds, search and hashtag pages. They are not told.</p>
        <AccountsList kind="mute" initial={muted.items} />
      </section>
    </div>
  );
}
