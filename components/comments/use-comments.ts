"use client";

// The state behind the comments drawer: top-level comments in the chosen order (paged by cursor), reply threads
// loaded on demand under their parent (one level, oldest first), and the changes a viewer makes (post, like, delete)
// applied to whichever list holds the comment.
import { useCallback, useEffect, useRef, useState } from "react";
import type { CommentOrder, CommentPage, CommentView, LikeState } from "@/lib/feed/types";
import { isAbort, isUnauthorized, requestJson, sendToSignIn } from "@/components/feed/api";

export type ReplyThread = {
  items: CommentView[];
  cursor: string | null;
  /** The first page came from the server (a thread can hold just the viewer's own new reply before that). */
  loaded: boolean;
  open: boolean;
  loading: boolean;
  failed: boolean;
};

export type CommentsStatus = "loading" | "ready" | "error";

const EMPTY_THREAD: ReplyThread = { items: [], cursor: null, loaded: false, open: false, loading: false, failed: false };

function commentsUrl(videoId: string, order: CommentOrder, cursor: string | null): string {
  const params = new URLSearchParams({ order });
  if (cursor) params.set("cursor", cursor);
  return `/api/videos/${encodeURIComponent(videoId)}/comments?${params}`;
}

function repliesUrl(commentId: string, cursor: string | null): string {
  const params = new URLSearchParams();
  if (cursor) params.set("cursor", cursor);
  const query = params.toString();
  return `/api/comments/${encodeURIComponent(commentId)}/replies${query ? `?${query}` : ""}`;
}

function mergeById(existing: CommentView[], incoming: CommentView[]): CommentView[] {
  const seen = new Set(existing.map((comment) => comment.id));
  return [...existing, ...incoming.filter((comment) => !seen.has(comment.id))];
}

function withLike(comment: CommentView, liked: boolean, likes: number): CommentView {
  return { ...comment, likes: Math.max(0, likes), viewer: { ...comment.viewer, liked } };
}

export function useComments(videoId: string, order: CommentOrder, enabled: boolean) {
  const [comments, setComments] = useState<CommentView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<CommentsStatus>("loading");
  const [loadingMore, setLoadingMore] = useState(false);
  const [threads, setThreads] = useState<Record<string, ReplyThread>>({});
  const [attempt, setAttempt] = useState(0);
  // Whether this viewer may comment (the creator's settings), from the first page; null until it arrives.
  const [commenting, setCommenting] = useState<CommentPage["commenting"] | null>(null);
  const likeSequences = useRef(new Map<string, number>());

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    setStatus("loading");
    setComments([]);
    setCursor(null);
    setThreads({});
    requestJson<CommentPage>(commentsUrl(videoId, order, null), { signal: controller.signal })
      .then((page) => {
        setComments(page.items);
        setCursor(page.cursor);
        setCommenting(page.commenting ?? null);
        setStatus("ready");
      })
      .catch((error: unknown) => {
        if (!isAbort(error)) setStatus("error");
      });
    return () => controller.abort();
  }, [videoId, order, enabled, attempt]);

  const retry = useCallback(() => setAttempt((value) => value + 1), []);

  const loadMore = useCallback(async () => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await requestJson<CommentPage>(commentsUrl(videoId, order, cursor));
      setComments((current) => mergeById(current, page.items));
      setCursor(page.cursor);
    } catch {
      // The button stays, so trying again is one click.
    } finally {
      setLoadingMore(false);
    }
  }, [cursor, loadingMore, videoId, order]);

  const updateThread = useCallback((parentId: string, update: (thread: ReplyThread) => ReplyThread) => {
    setThreads((current) => ({ ...current, [parentId]: update(current[parentId] ?? EMPTY_THREAD) }));
  }, []);

  const loadReplies = useCallback(
    async (parentId: string, fromCursor: string | null) => {
      updateThread(parentId, (thread) => ({ ...thread, open: true, loading: true, failed: false }));
      try {
        const page = await requestJson<CommentPage>(repliesUrl(parentId, fromCursor));
        updateThread(parentId, (thread) => {
          // The viewer's own replies posted before the first load stay after the ones from the server (oldest first).
          const items = thread.loaded ? mergeById(thread.items, page.items) : mergeById(page.items, thread.items);
          return { ...thread, items, cursor: page.cursor, loaded: true, loading: false };
        });
      } catch {
        updateThread(parentId, (thread) => ({ ...thread, loading: false, failed: true }));
      }
    },
    [updateThread],
  );

  const setThreadOpen = useCallback((parentId: string, open: boolean) => updateThread(parentId, (thread) => ({ ...thread, open })), [updateThread]);

  /** Applies `update` to the comment wherever it is: the top level or a reply thread. */
  const patchComment = useCallback((comment: CommentView, update: (current: CommentView) => CommentView) => {
    if (comment.parentId === null) {
      setComments((current) => current.map((item) => (item.id === comment.id ? update(item) : item)));
      return;
    }
    const parentId = comment.parentId;
    setThreads((current) => {
      const thread = current[parentId];
      if (!thread) return current;
      return { ...current, [parentId]: { ...thread, items: thread.items.map((item) => (item.id === comment.id ? update(item) : item)) } };
    });
  }, []);

  const addComment = useCallback(
    (comment: CommentView) => {
      if (comment.parentId === null) {
        setComments((current) => [comment, ...current.filter((item) => item.id !== comment.id)]);
        return;
      }
      const parentId = comment.parentId;
      updateThread(parentId, (thread) => ({ ...thread, open: true, items: mergeById(thread.items, [comment]) }));
      setComments((current) => current.map((item) => (item.id === parentId ? { ...item, replyCount: item.replyCount + 1 } : item)));
    },
    [updateThread],
  );

  const removeComment = useCallback(
    (comment: CommentView) => {
      if (comment.parentId === null) {
        setComments((current) => current.filter((item) => item.id !== comment.id));
        return;
      }
      const parentId = comment.parentId;
      updateThread(parentId, (thread) => ({ ...thread, items: thread.items.filter((item) => item.id !== comment.id) }));
      setComments((current) => current.map((item) => (item.id === parentId ? { ...item, replyCount: Math.max(0, item.replyCount - 1) } : item)));
    },
    [updateThread],
  );

  /** Optimistic like/unlike; the server's count wins, an error puts the old state back. */
  const toggleLike = useCallback(
    (comment: CommentView) => {
      const liked = !comment.viewer.liked;
      const before = { liked: comment.viewer.liked, likes: comment.likes };
      patchComment(comment, (current) => withLike(current, liked, current.likes + (liked ? 1 : -1)));
      const sequence = (likeSequences.current.get(comment.id) ?? 0) + 1;
      likeSequences.current.set(comment.id, sequence);
      const isLatest = () => likeSequences.current.get(comment.id) === sequence;
      requestJson<LikeState>(`/api/comments/${encodeURIComponent(comment.id)}/like`, { method: liked ? "PUT" : "DELETE" })
        .then((state) => {
          if (isLatest()) patchComment(comment, (current) => withLike(current, state.liked, state.likes));
        })
        .catch((error: unknown) => {
          if (isUnauthorized(error)) return sendToSignIn();
          if (isLatest()) patchComment(comment, (current) => withLike(current, before.liked, before.likes));
        });
    },
    [patchComment],
  );

  return {
    comments,
    commenting,
    status,
    hasMore: cursor !== null,
    loadingMore,
    threads,
    retry,
    loadMore,
    loadReplies,
    setThreadOpen,
    addComment,
    removeComment,
    toggleLike,
  };
}

export type CommentsState = ReturnType<typeof useComments>;
