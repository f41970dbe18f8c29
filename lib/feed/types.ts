// The JSON shapes of the feed and the social layer around it, shared by the route handlers and the client components
// (type-only imports on the client). The recommender issue keeps the feed contract.

export type FeedTab = "foryou" | "following";

export type FeedAuthor = { handle: string; name: string; avatar: string | null };

export type FeedItem = {
  id: string;
  hls: string;
  poster: string | null;
  blurhash: string | null;
  width: number | null;
  height: number | null;
  /** Seconds. */
  duration: number | null;
  caption: string;
  hashtags: string[];
  author: FeedAuthor;
  /** WebVTT of sprite thumbnails for scrubbing, when the pipeline made one. */
  thumbnails: string | null;
  allowComments: boolean;
  stats: { likes: number; comments: number; shares: number; views: number };
  /** All false for signed-out viewers. */
  viewer: { liked: boolean; bookmarked: boolean; followingAuthor: boolean };
  /** Why it was shown, for people ("Popular now", "New from @ana", "From @ana, whom you follow"). */
  reason: string;
  /** The feed response that served it (the page's feedRequestId), for the events the player sends about it. */
  feedRequestId: string;
  /** The tab that served it: the `source` of those events. */
  source: FeedTab;
};

export type FeedPage = {
  items: FeedItem[];
  /** Pass back as ?cursor= for the next page; null when there is nothing more right now. */
  cursor: string | null;
  /** Identifies this response, so what the viewer did with its items can be joined with it later. */
  requestId: string;
  /** The same id under the name events use (POST /api/events sends it back as `feedRequestId`). */
  feedRequestId: string;
  /** For You: the recommendation strategy that served the page ("full", "trending", "random", "fresh"). */
  strategy?: string;
  /** For You: the viewer's A/B cohort (RECS_COHORTS), or "override" when an admin picked the strategy. */
  cohort?: string;
};

export type CommentOrder = "newest" | "top";

export type CommentView = {
  id: string;
  /** Null for a top-level comment; replies are one level deep. */
  parentId: string | null;
  body: string;
  author: FeedAuthor;
  createdAt: string;
  likes: number;
  replyCount: number;
  viewer: { liked: boolean; canDelete: boolean };
};

export type CommentPage = {
  items: CommentView[];
  cursor: string | null;
  /**
   * Whether this viewer may comment, and if not why (comments off, followers only, nobody, …), so the drawer can say
   * so before anyone types. On a video's comment pages, not on reply pages.
   */
  commenting?: { allowed: boolean; reason: string | null };
};

export type LikeState = { liked: boolean; likes: number };
export type BookmarkState = { bookmarked: boolean };
export type FollowState = { following: boolean; followers: number };
export type ShareState = { shares: number };
