"use client";

// The feed's list: the first page on mount, the next page by cursor when asked, duplicates dropped (a recommender may
// return a video again across pages), and the states the screen shows (loading, error, signed out, end).
import { useCallback, useEffect, useRef, useState, type Dispatch, type SetStateAction } from "react";
import type { FeedItem, FeedPage, FeedTab } from "@/lib/feed/types";
import { isAbort, isUnauthorized, requestJson } from "./api";

// Enough to fill the screen and the preload window before the next request.
const PAGE_SIZE = 10;
// A page made only of videos already shown is skipped; after this many in a row the feed ends rather than spins.
const MAX_EMPTY_PAGES = 3;

export type PagerStatus = "loading" | "ready" | "error" | "unauthorized";

export type FeedPager = {
  items: FeedItem[];
  setItems: Dispatch<SetStateAction<FeedItem[]>>;
  status: PagerStatus;
  hasMore: boolean;
  loadingMore: boolean;
  moreFailed: boolean;
  loadMore: () => void;
  retry: () => void;
};

function feedUrl(tab: FeedTab, cursor: string | null): string {
  const params = new URLSearchParams({ tab, limit: String(PAGE_SIZE) });
  if (cursor) params.set("cursor", cursor);
  return `/api/feed?${params}`;
}

function appendNew(existing: FeedItem[], page: FeedItem[]): FeedItem[] {
  const seen = new Set(existing.map((item) => item.id));
  const fresh = page.filter((item) => !seen.has(item.id));
  return fresh.length === 0 ? existing : [...existing, ...fresh];
}

export function useFeedPager(tab: FeedTab, enabled: boolean, initialPage: FeedPage | null = null): FeedPager {
  const [items, setItems] = useState<FeedItem[]>(() => (initialPage ? appendNew([], initialPage.items) : []));
  const [status, setStatus] = useState<PagerStatus>(initialPage ? "ready" : enabled ? "loading" : "unauthorized");
  const [cursor, setCursor] = useState<string | null>(initialPage?.cursor ?? null);
  // A server-rendered first page stands in for the first fetch (a retry after an error fetches again).
  const usedInitialPage = useRef(initialPage !== null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreFailed, setMoreFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const inFlight = useRef(false);
  const seenIds = useRef(new Set<string>(initialPage?.items.map((item) => item.id) ?? []));
  const abortRef = useRef<AbortController | null>(null);

  useEffect(() => {
    if (!enabled) return;
    if (usedInitialPage.current) {
      usedInitialPage.current = false;
      return;
    }
    const controller = new AbortController();
    abortRef.current = controller;
    setStatus("loading");
    requestJson<FeedPage>(feedUrl(tab, null), { signal: controller.signal })
      .then((page) => {
        seenIds.current = new Set(page.items.map((item) => item.id));
        setItems(appendNew([], page.items));
        setCursor(page.cursor);
        setStatus("ready");
      })
      .catch((error: unknown) => {
        if (isAbort(error)) return;
        setStatus(isUnauthorized(error) ? "unauthorized" : "error");
      });
    return () => controller.abort();
  }, [tab, enabled, attempt]);

  const loadMore = useCallback(() => {
    if (inFlight.current || !cursor || status !== "ready") return;
    inFlight.current = true;
    setLoadingMore(true);
    setMoreFailed(false);
    const signal = abortRef.current?.signal;
    void (async () => {
      let next: string | null = cursor;
      let found = false;
      try {
        for (let empty = 0; next && empty < MAX_EMPTY_PAGES && !found; empty += 1) {
          const page: FeedPage = await requestJson<FeedPage>(feedUrl(tab, next), { signal });
          next = page.cursor;
          const fresh = page.items.filter((item) => !seenIds.current.has(item.id));
          for (const item of fresh) seenIds.current.add(item.id);
          if (fresh.length > 0) setItems((current) => appendNew(current, fresh));
          found = fresh.length > 0;
        }
        // Page after page of videos already shown means there is nothing new: end here instead of asking forever.
        setCursor(found ? next : null);
      } catch (error) {
        if (!isAbort(error)) setMoreFailed(true);
      } finally {
        inFlight.current = false;
        setLoadingMore(false);
      }
    })();
  }, [cursor, status, tab]);

  const retry = useCallback(() => {
    if (status === "ready") loadMore();
    else setAttempt((value) => value + 1);
  }, [status, loadMore]);

  return { items, setItems, status, hasMore: cursor !== null, loadingMore, moreFailed, loadMore, retry };
}
