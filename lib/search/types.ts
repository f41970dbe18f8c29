// The JSON shapes of search and hashtag pages, shared by the route handlers and the pages (type-only on the client).

export type SearchType = "all" | "users" | "videos" | "hashtags";

export type UserResult = { handle: string; name: string; avatar: string | null; followers: number };

export type VideoResult = { id: string; caption: string; poster: string | null; author: { handle: string }; likes: number };

export type HashtagResult = { name: string; videos: number };

export type SearchResults = {
  query: string;
  type: SearchType;
  users: UserResult[];
  videos: VideoResult[];
  hashtags: HashtagResult[];
  /** The next page of a single-type search (`type` other than "all"); null when there is no more. */
  cursor: string | null;
};

export type TagPage = {
  name: string;
  /** Listed videos carrying the tag, all pages together. */
  count: number;
  videos: VideoResult[];
  cursor: string | null;
};
