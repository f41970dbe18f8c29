import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { RemovedComments } from "@/components/studio/removed-comments";
import { StudioDashboard } from "@/components/studio/studio-overview";
import { getStudioOverview } from "@/lib/analytics";
import { getSessionUser } from "@/lib/auth";
import { getLogger } from "@/lib/logger";
import { listRemovedComments } from "@/lib/moderation";
import { listOwnVideos } from "@/lib/videos/service";

export const metadata: Metadata = { title: "Studio" };
export const dynamic = "force-dynamic";

export default async function StudioPage() {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in?next=/studio");
  const [videos, removedComments, overview] = await Promise.all([
    listOwnVideos(user),
    listRemovedComments(user),
    // The list still renders if the numbers cannot be read; the page then fetches them itself.
    getStudioOverview(user, {}).catch((error: unknown) => {
      getLogger().warn({ err: error, userId: user.id }, "studio: overview not rendered on the server");
      return null;
    }),
  ]);
  return (
    <>
      <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
        <h1 style={{ marginTop: 0 }}>Studio</h1>
        <Link className="button" href="/upload">Upload</Link>
      </div>
      <StudioDashboard videos={videos} initialOverview={overview} />
      {removedComments.length > 0 && <RemovedComments initial={removedComments} />}
    </>
  );
}
