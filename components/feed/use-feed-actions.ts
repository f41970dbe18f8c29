"use client";

// What a viewer does to a video from the feed: like, bookmark, follow its author, share, "not interested", mute or
// block its author (which take every video of that author out of the list once the server agrees). Each
// updates the list at once (optimistic), then takes the server's answer, or puts the old value back if the request
// fails. When two requests for the same thing overlap (quick like/unlike), only the last one's answer is applied.
import { useCallback, useMemo, useRef, type Dispatch, type SetStateAction } from "react";
import type { BookmarkState, FeedItem, FollowState, LikeState, ShareState } from "@/lib/feed/types";
import { trackItem, trackVideo } from "@/components/events/tracker";
import { ApiError, isUnauthorized, requestJson, sendToSignIn } from "./api";

export type FeedActions = {
  toggleLike: (item: FeedItem) => void;
  /** Double-tap: likes, never unlikes. */
  likeOnce: (item: FeedItem) => void;
  toggleBookmark: (item: FeedItem) => void;
  toggleFollow: (item: FeedItem) => void;
  share: (item: FeedItem) => void;
  markNotInterested: (item: FeedItem) => void;
  muteAuthor: (item: FeedItem) => void;
  blockAuthor: (item: FeedItem) => void;
  adjustCommentCount: (videoId: string, delta: number) => void;
};

type Options = {
  setItems: Dispatch<SetStateAction<FeedItem[]>>;
  signedIn: boolean;
  showToast: (message: string) => void;
};

function withLike(item: FeedItem, liked: boolean, likes: number): FeedItem {
  return { ...item, viewer: { ...item.viewer, liked }, stats: { ...item.stats, likes: Math.max(0, likes) } };
}

function withBookmark(item: FeedItem, bookmarked: boolean): FeedItem {
  return { ...item, viewer: { ...item.viewer, bookmarked } };
}

function withFollow(item: FeedItem, handle: string, following: boolean): FeedItem {
  if (item.author.handle !== handle) return item;
  return { ...item, viewer: { ...item.viewer, followingAuthor: following } };
}

function withShares(item: FeedItem, shares: number): FeedItem {
  return { ...item, stats: { ...item.stats, shares } };
}

/** The page's own link for a video: what is shared and copied. */
export function videoUrl(id: string): string {
  return `${window.location.origin}/v/${id}`;
}

// Clipboard API first; the selection fallback covers insecure origins (http on a LAN) and browsers that refuse it.
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const copied = document.execCommand("copy");
    area.remove();
    return copied;
  }
}

type ShareOutcome = "shared" | "copied" | "cancelled" | "failed";

async function shareLink(url: string, title: string): Promise<ShareOutcome> {
  if (typeof navigator.share === "function") {
    try {
      await navigator.share({ url, title });
      return "shared";
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") return "cancelled";
      // Some browsers expose share() but refuse it (no user activation, unsupported data): copy instead.
    }
  }
  return (await copyText(url)) ? "copied" : "failed";
}

export function useFeedActions({ setItems, signedIn, showToast }: Options): FeedActions {
  const sequences = useRef(new Map<string, number>());

  /** Starts a request for `key`; the returned check says whether it is still the latest one. */
  const beginRequest = useCallback((key: string) => {
    const sequence = (sequences.current.get(key) ?? 0) + 1;
    sequences.current.set(key, sequence);
    return () => sequences.current.get(key) === sequence;
  }, []);

  const patchItem = useCallback(
    (id: string, update: (item: FeedItem) => FeedItem) => {
      setItems((items) => items.map((item) => (item.id === id ? update(item) : item)));
    },
    [setItems],
  );

  const failQuietly = useCallback(
    (error: unknown, message: string, revert: () => void) => {
      if (isUnauthorized(error)) {
        sendToSignIn();
        return;
      }
      revert();
      // A refusal the server explains (blocked, rate limited) says more than our generic sentence.
      showToast(error instanceof ApiError && (error.status === 403 || error.status === 429) ? error.message : message);
    },
    [showToast],
  );

  const setLike = useCallback(
    (item: FeedItem, liked: boolean) => {
      if (!signedIn) return sendToSignIn();
      if (item.viewer.liked === liked) return;
      const before = { liked: item.viewer.liked, likes: item.stats.likes };
      patchItem(item.id, (current) => withLike(current, liked, current.stats.likes + (liked ? 1 : -1)));
      const isLatest = beginRequest(`like:${item.id}`);
      requestJson<LikeState>(`/api/videos/${item.id}/like`, { method: liked ? "PUT" : "DELETE" })
        .then((state) => {
          trackItem(liked ? "like" : "unlike", item);
          if (isLatest()) patchItem(item.id, (current) => withLike(current, state.liked, state.likes));
        })
        .catch((error: unknown) => {
          if (!isLatest()) return;
          failQuietly(error, "Couldn't update your like. Try again.", () => patchItem(item.id, (current) => withLike(current, before.liked, before.likes)));
        });
    },
    [signedIn, patchItem, beginRequest, failQuietly],
  );

  const toggleBookmark = useCallback(
    (item: FeedItem) => {
      if (!signedIn) return sendToSignIn();
      const bookmarked = !item.viewer.bookmarked;
      patchItem(item.id, (current) => withBookmark(current, bookmarked));
      const isLatest = beginRequest(`bookmark:${item.id}`);
      requestJson<BookmarkState>(`/api/videos/${item.id}/bookmark`, { method: bookmarked ? "PUT" : "DELETE" })
        .then((state) => {
          trackItem(bookmarked ? "bookmark" : "unbookmark", item);
          if (isLatest()) patchItem(item.id, (current) => withBookmark(current, state.bookmarked));
        })
        .catch((error: unknown) => {
          if (!isLatest()) return;
          failQuietly(error, "Couldn't update your bookmarks. Try again.", () => patchItem(item.id, (current) => withBookmark(current, !bookmarked)));
        });
      if (bookmarked) showToast("Saved to bookmarks");
    },
    [signedIn, patchItem, beginRequest, failQuietly, showToast],
  );

  const toggleFollow = useCallback(
    (item: FeedItem) => {
      if (!signedIn) return sendToSignIn();
      const handle = item.author.handle;
      const following = !item.viewer.followingAuthor;
      // Every video by this author in the list changes together.
      const apply = (value: boolean) => setItems((items) => items.map((current) => withFollow(current, handle, value)));
      apply(following);
      const isLatest = beginRequest(`follow:${handle}`);
      requestJson<FollowState>(`/api/users/${encodeURIComponent(handle)}/follow`, { method: following ? "PUT" : "DELETE" })
        .then((state) => {
          // Followed from this video: the creator's analytics credit it with the follow.
          trackItem(following ? "follow" : "unfollow", item);
          if (isLatest()) apply(state.following);
        })
        .catch((error: unknown) => {
          if (!isLatest()) return;
          failQuietly(error, `Couldn't ${following ? "follow" : "unfollow"} @${handle}. Try again.`, () => apply(!following));
        });
    },
    [signedIn, setItems, beginRequest, failQuietly],
  );

  const share = useCallback(
    (item: FeedItem) => {
      void (async () => {
        const outcome = await shareLink(videoUrl(item.id), item.caption || `@${item.author.handle} on Flick`);
        if (outcome === "cancelled") return;
        if (outcome === "failed") {
          showToast("Couldn't copy the link");
          return;
        }
        if (outcome === "copied") showToast("Link copied");
        trackItem("share", item);
        patchItem(item.id, (current) => withShares(current, current.stats.shares + 1));
        const isLatest = beginRequest(`share:${item.id}`);
        // The share already happened; a failed count update is not worth interrupting anyone for.
        requestJson<ShareState>(`/api/videos/${item.id}/share`, { method: "POST" })
          .then((state) => {
            if (isLatest()) patchItem(item.id, (current) => withShares(current, state.shares));
          })
          .catch(() => undefined);
      })();
    },
    [patchItem, beginRequest, showToast],
  );

  const markNotInterested = useCallback(
    (item: FeedItem) => {
      if (!signedIn) return sendToSignIn();
      setItems((items) => items.filter((current) => current.id !== item.id));
      showToast("You'll see fewer videos like this");
      requestJson<{ ok: true }>(`/api/videos/${item.id}/not-interested`, { method: "POST" })
        .then(() => trackItem("not_interested", item))
        .catch((error: unknown) => {
          if (isUnauthorized(error)) sendToSignIn();
        });
    },
    [signedIn, setItems, showToast],
  );

  /** Mute or block: the author's videos leave the list once the server has it. */
  const dropAuthor = useCallback(
    (item: FeedItem, kind: "mute" | "block") => {
      if (!signedIn) return sendToSignIn();
      const handle = item.author.handle;
      if (kind === "block" && !window.confirm(`Block @${handle}? They won't see your videos or comments, or be able to follow or comment on you.`)) return;
      requestJson(`/api/users/${encodeURIComponent(handle)}/${kind}`, { method: "POST" })
        .then(() => {
          setItems((items) => items.filter((current) => current.author.handle !== handle));
          showToast(kind === "block" ? `Blocked @${handle}` : `Muted @${handle}: their videos won't show in your feeds`);
        })
        .catch((error: unknown) => {
          if (isUnauthorized(error)) return sendToSignIn();
          showToast(`Couldn't ${kind} @${handle}. Try again.`);
        });
    },
    [signedIn, setItems, showToast],
  );

  const adjustCommentCount = useCallback(
    (videoId: string, delta: number) => {
      // A comment posted (not deleted) from the feed's drawer is a signal about the video.
      if (delta > 0) trackVideo("comment", videoId);
      patchItem(videoId, (current) => ({ ...current, stats: { ...current.stats, comments: Math.max(0, current.stats.comments + delta) } }));
    },
    [patchItem],
  );

  return useMemo(
    () => ({
      toggleLike: (item: FeedItem) => setLike(item, !item.viewer.liked),
      likeOnce: (item: FeedItem) => setLike(item, true),
      toggleBookmark,
      toggleFollow,
      share,
      markNotInterested,
      muteAuthor: (item: FeedItem) => dropAuthor(item, "mute"),
      blockAuthor: (item: FeedItem) => dropAuthor(item, "block"),
      adjustCommentCount,
    }),
    [setLike, toggleBookmark, toggleFollow, share, markNotInterested, dropAuthor, adjustCommentCount],
  );
}
