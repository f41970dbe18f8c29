// The home page is the feed: full-screen vertical video, "For You" by default, "Following" at ?tab=following. The first
// page is rendered with the HTML (no API round trip before the first video can load); later pages come from
// GET /api/feed. proxy.ts has given a signed-out browser its device id before this renders.
import type { Metadata } from "next";
import { Feed } from "@/components/feed/feed";
import { cookies } from "next/headers";
import { getSessionUser } from "@/lib/auth";
import { getFeed } from "@/lib/feed";
import { DEVICE_COOKIE, parseDeviceId } from "@/lib/feed/device";
import type { FeedPage, FeedTab } from "@/lib/feed/types";
import { getLogger } from "@/lib/logger";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ tab?: string | string[] }> };

function readTab(value: string | string[] | undefined): FeedTab {
  return value === "following" ? "following" : "foryou";
}

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  return { title: readTab((await searchParams).tab) === "following" ? "Following" : "For You" };
}

export default async function HomePage({ searchParams }: Props) {
  const [{ tab }, user, cookieStore] = await Promise.all([searchParams, getSessionUser(), cookies()]);
  const feedTab = readTab(tab);
  let initialPage: FeedPage | null = null;
  if (user || feedTab === "foryou") {
    const deviceId = parseDeviceId(cookieStore.get(DEVICE_COOKIE)?.value);
    // The page still works if this fails: the client then asks the API itself and shows its error states.
    initialPage = await getFeed({ user, deviceId }, { tab: feedTab }).catch((error: unknown) => {
      getLogger().warn({ err: error }, "feed page: first page not rendered on the server");
      return null;
    });
  }
  const first = initialPage?.items[0];
  return (
    <>
      {/* The first video's master playlist is fetched while the page's scripts load and hydrate, instead of after:
          the player finds it in the browser's preload cache (hls.js requests it same-origin, as this does). React
          hoists the link into the document's head. */}
      {first && <link rel="preload" href={first.hls} as="fetch" crossOrigin="anonymous" />}
      <Feed tab={feedTab} signedIn={user !== null} viewerHandle={user?.handle ?? null} initialPage={initialPage} />
    </>
  );
}
