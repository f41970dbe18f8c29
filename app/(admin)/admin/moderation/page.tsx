// The review queue for moderators and admins: reported and held content, most severe first (lib/moderation).
import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { ModerationQueue } from "@/components/admin/moderation-queue";
import { getSessionUser } from "@/lib/auth";
import { canModerate } from "@/lib/auth/roles";
import { listModerationQueue } from "@/lib/moderation";

export const metadata: Metadata = { title: "Moderation" };
export const dynamic = "force-dynamic";

export default async function ModerationPage() {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in?next=/admin/moderation");
  // Not a moderator: the page does not exist for them.
  if (!canModerate(user)) notFound();
  const { items } = await listModerationQueue(user);
  return (
    <div className="settings admin">
      <h1>Moderation</h1>
      <p className="hint">Open reports, held uploads and appeals, most severe first, then most reported.</p>
      <ModerationQueue initial={items} />
    </div>
  );
}
