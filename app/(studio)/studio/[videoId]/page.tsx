import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { VideoAnalyticsView } from "@/components/studio/video-analytics";
import { getVideoAnalytics } from "@/lib/analytics";
import { getSessionUser } from "@/lib/auth";
import { isAppError } from "@/lib/errors";

export const metadata: Metadata = { title: "Video analytics" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ videoId: string }> };

// A video's analytics, for its creator only: anyone else gets the same "not found" as for a video that does not exist.
export default async function VideoAnalyticsPage({ params }: Props) {
  const { videoId } = await params;
  const user = await getSessionUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(`/studio/${videoId}`)}`);
  const analytics = await getVideoAnalytics(user, videoId, {}).catch((error: unknown) => {
    if (isAppError(error) && (error.code === "not_found" || error.code === "forbidden")) notFound();
    throw error;
  });
  return <VideoAnalyticsView initial={analytics} />;
}
