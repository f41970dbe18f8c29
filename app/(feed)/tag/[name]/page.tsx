// /tag/<name>: a hashtag, how many listed videos carry it, and those videos newest first, paged with ?cursor=.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { VideoGrid } from "@/components/video/video-grid";
import { getSessionUser } from "@/lib/auth";
import { isAppError } from "@/lib/errors";
import { getTagPage, type TagPage } from "@/lib/search";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ name: string }>; searchParams: Promise<{ cursor?: string | string[] }> };

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

async function load(name: string, cursor?: string): Promise<TagPage> {
  try {
    return await getTagPage(decodeSegment(name), { cursor, viewer: await getSessionUser() });
  } catch (error) {
    // An unknown tag, one with no listed videos, or a cursor that is not ours: there is no such page.
    if (isAppError(error) && (error.code === "not_found" || error.code === "bad_request")) notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const page = await load((await params).name);
  return { title: `#${page.name}`, description: `${page.count} ${page.count === 1 ? "video" : "videos"} tagged #${page.name} on Flick.` };
}

export default async function TagPageView({ params, searchParams }: Props) {
  const { name } = await params;
  const rawCursor = (await searchParams).cursor;
  const page = await load(name, Array.isArray(rawCursor) ? rawCursor[0] : rawCursor);
  return (
    <>
      <header className="tag-head">
        <h1 data-testid="tag-name">{`#${page.name}`}</h1>
        <p className="hint" data-testid="tag-count">
          {`${page.count} ${page.count === 1 ? "video" : "videos"}`}
        </p>
      </header>
      <VideoGrid videos={page.videos} empty={`No videos are tagged #${page.name} yet.`} source="hashtag" />
      {page.cursor && (
        <div className="more">
          <Link className="button secondary" href={`/tag/${encodeURIComponent(page.name)}?cursor=${encodeURIComponent(page.cursor)}`}>
            Older videos
          </Link>
        </div>
      )}
    </>
  );
}
