// /search?q=…&type=all|users|videos|hashtags: server-rendered results for the query string, with tabs and plain
// links, so it works (and can be shared or bookmarked) without JavaScript.
import type { Metadata } from "next";
import Link from "next/link";
import { VideoGrid } from "@/components/video/video-grid";
import { getSessionUser } from "@/lib/auth";
import { isAppError } from "@/lib/errors";
import { search, searchQuerySchema, type SearchResults, type SearchType } from "@/lib/search";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const TABS: Array<[SearchType, string]> = [
  ["all", "Top"],
  ["users", "Users"],
  ["videos", "Videos"],
  ["hashtags", "Hashtags"],
];

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function searchHref(q: string, type: SearchType, cursor?: string | null): string {
  const params = new URLSearchParams({ q });
  if (type !== "all") params.set("type", type);
  if (cursor) params.set("cursor", cursor);
  return `/search?${params.toString()}`;
}

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const q = first((await searchParams).q)?.trim();
  return { title: q ? `“${q.slice(0, 60)}” – Search` : "Search" };
}

export default async function SearchPage({ searchParams }: Props) {
  const raw = await searchParams;
  const q = first(raw.q)?.trim() ?? "";
  const type = (TABS.find(([value]) => value === first(raw.type))?.[0] ?? "all") as SearchType;
  let results: SearchResults | null = null;
  let problem: string | null = null;
  if (q) {
    const parsed = searchQuerySchema.safeParse({ q, type, cursor: first(raw.cursor) });
    if (!parsed.success) {
      problem = parsed.error.issues.map((issue) => issue.message).join(" ");
    } else {
      try {
        results = await search(parsed.data, await getSessionUser());
      } catch (error) {
        if (!isAppError(error) || error.status >= 500) throw error;
        problem = error.message;
      }
    }
  }

  return (
    <>
      <form className="search-form" action="/search" method="get" role="search">
        <input name="q" type="search" defaultValue={q} placeholder="Search people, videos and #hashtags" aria-label="Search" maxLength={100} autoFocus={!q} />
        {type !== "all" && <input type="hidden" name="type" value={type} />}
        <button className="button" type="submit">
          Search
        </button>
      </form>
      {q && (
        <nav className="tabs search-tabs" aria-label="Result types">
          {TABS.map(([value, label]) => (
            <Link key={value} href={searchHref(q, value)} aria-current={value === type ? "page" : undefined}>
              {label}
            </Link>
          ))}
        </nav>
      )}
      {!q && <p className="empty">Search for people by handle or name, videos by what their captions say, and hashtags. Typos are fine.</p>}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {results && <Results results={results} />}
    </>
  );
}

function Results({ results }: { results: SearchResults }) {
  const { query, type } = results;
  const show = (kind: Exclude<SearchType, "all">) => type === "all" || type === kind;
  const nothing = results.users.length + results.videos.length + results.hashtags.length === 0;
  if (nothing) return <p className="empty">Nothing matches “{query}”. Try fewer or different words.</p>;
  return (
    <>
      {show("users") && results.users.length > 0 && (
        <section className="results" aria-labelledby="users-title">
          <h2 id="users-title">Users</h2>
          <ul className="result-list" data-testid="user-results">
            {results.users.map((user) => (
              <li key={user.handle}>
                <Link href={`/@${user.handle}`}>
                  {user.avatar ? (
                    <img className="avatar" src={user.avatar} alt="" />
                  ) : (
                    <span className="avatar" aria-hidden>
                      {user.handle[0]?.toUpperCase()}
                    </span>
                  )}
                  <span>
                    <strong>{user.name}</strong>
                    <span className="hint">{`@${user.handle} · ${user.followers} ${user.followers === 1 ? "follower" : "followers"}`}</span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {show("hashtags") && results.hashtags.length > 0 && (
        <section className="results" aria-labelledby="hashtags-title">
          <h2 id="hashtags-title">Hashtags</h2>
          <ul className="result-list" data-testid="hashtag-results">
            {results.hashtags.map((tag) => (
              <li key={tag.name}>
                <Link href={`/tag/${encodeURIComponent(tag.name)}`}>
                  <strong>{`#${tag.name}`}</strong>
                  <span className="hint">{`${tag.videos} ${tag.videos === 1 ? "video" : "videos"}`}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {show("videos") && results.videos.length > 0 && (
        <section className="results" aria-labelledby="videos-title" data-testid="video-results">
          <h2 id="videos-title">Videos</h2>
          <VideoGrid videos={results.videos} empty="" source="search" />
        </section>
      )}
      {results.cursor && (
        <div className="more">
          <Link className="button secondary" href={searchHref(query, type, results.cursor)}>
            More results
          </Link>
        </div>
      )}
    </>
  );
}
