// The home page is the feed: full-screen vertical video, "For You" by default, "Following" at ?tab=following. The
// videos are fetched by the client (GET /api/feed); the server only says who is watching.
import type { Metadata } from "next";
import { Feed } from "@/components/feed/feed";
import { getSessionUser } from "@/lib/auth";
import type { FeedTab } from "@/lib/feed/types";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ tab?: string | string[] }> };

function readTab(value: string | string[] | undefined): FeedTab {
  return value === "following" ? "following" : "foryou";
}

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  return { title: readTab((await searchParams).tab) === "following" ? "Following" : "For You" };
}

export default async function HomePage({ searchParams }: Props) {
  const [{ tab }, user] = await Promise.all([searchParams, getSessionUser()]);
  return <Feed tab={readTab(tab)} signedIn={user !== null} viewerHandle={user?.handle ?? null} />;
}
