import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { StudioList } from "@/components/studio/studio-list";
import { getSessionUser } from "@/lib/auth";
import { listOwnVideos } from "@/lib/videos/service";

export const metadata: Metadata = { title: "Studio" };
export const dynamic = "force-dynamic";

export default async function StudioPage() {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  const videos = await listOwnVideos(user);
  return (
    <>
      <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
        <h1 style={{ marginTop: 0 }}>Studio</h1>
        <Link className="button" href="/upload">Upload</Link>
      </div>
      <StudioList initial={videos} />
    </>
  );
}
