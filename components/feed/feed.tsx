"use client";

// The home feed: a full-screen vertical pager, one video per screen. Native scrolling with mandatory snap does the
// moving (touch, wheel, trackpad), keys ↑/↓ and j/k step one video, an IntersectionObserver says which one is on
// screen. Only the videos around it hold a stream (the player pool in FeedVideo), so a long session stays light.
import { IntentLink } from "@/components/ui/intent-link";
import { useCallback, useEffect, useRef, useState } from "react";
import type { FeedItem, FeedPage, FeedTab } from "@/lib/feed/types";
import { CommentsDrawer } from "@/components/comments/comments-drawer";
import { sendToSignIn } from "./api";
import styles from "./feed.module.css";
import { FeedTabs } from "./feed-tabs";
import { FeedVideo } from "./feed-video";
import { ReportDialog, type ReportTarget } from "./report-dialog";
import { useFeedActions } from "./use-feed-actions";
import { useFeedPager } from "./use-feed-pager";
import { useToast } from "./use-toast";

// The player pool: the video before (for a quick swipe back), the one on screen, and the next two (buffered ahead).
const POOL_BEHIND = 1;
const POOL_AHEAD = 2;
// Overlays and posters render a little wider than the pool, so they are ready before a stream is.
const NEAR_DISTANCE = 4;
// Ask for the next page this many videos before the end, so a fast swiper never meets the bottom.
const PREFETCH_DISTANCE = 3;
// An item counts as "on screen" once this much of it shows: with mandatory snap, only one can.
const ACTIVE_THRESHOLD = 0.6;
const MUTED_KEY = "flick.muted";
// One wheel or trackpad gesture moves one video. A trackpad swipe is a stream of wheel events (with an inertia tail
// of a second or more): the first big enough event moves, the rest are swallowed until the stream goes quiet.
const WHEEL_MIN_DELTA_PX = 12;
const WHEEL_LOCK_MS = 450;
const WHEEL_QUIET_MS = 160;

export type FeedProps = {
  tab: FeedTab;
  signedIn: boolean;
  viewerHandle: string | null;
  /** The first page, rendered with the HTML so the first video starts loading without waiting for an API call. */
  initialPage?: FeedPage | null;
};

/**
 * The video one swipe away is already running at rate 0 (FeedVideo's "primed"): set it going in the same task as the
 * swipe, not after React has rendered the change (measured: ~30 ms sooner to its first frame). Its component then
 * takes over as the active video, with sound and pause state.
 */
function releasePrimedVideo(scroller: HTMLElement | null, index: number) {
  const video = scroller?.querySelector<HTMLVideoElement>(`[data-index="${index}"] video`);
  if (!video || video.paused || video.playbackRate !== 0) return;
  video.defaultPlaybackRate = 1;
  video.playbackRate = 1;
}

function prefersReducedMotion(): boolean {
  return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

/** Keys typed into a field, or aimed at a control that uses them, are not feed shortcuts. */
function isTypingTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || target.closest("input, textarea, select") !== null);
}

function isControlTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('button, a, [role="slider"], [role="menu"], summary') !== null;
}

function readStoredMuted(): boolean {
  try {
    return window.localStorage.getItem(MUTED_KEY) !== "0";
  } catch {
    return true;
  }
}

function storeMuted(muted: boolean) {
  try {
    window.localStorage.setItem(MUTED_KEY, muted ? "1" : "0");
  } catch {
    // Private mode or storage full: the choice just won't outlive this visit.
  }
}

function FeedEmpty({ tab }: { tab: FeedTab }) {
  if (tab === "following") {
    return (
      <div className={styles.state} data-testid="feed-empty">
        <p className={styles.stateTitle}>Follow creators to see their videos here</p>
        <IntentLink href="/" className={styles.primaryButton}>
          Discover creators
        </IntentLink>
      </div>
    );
  }
  return (
    <div className={styles.state} data-testid="feed-empty">
      <p className={styles.stateTitle}>Nothing here yet</p>
      <IntentLink href="/upload" className={styles.primaryButton}>
        Upload a video
      </IntentLink>
    </div>
  );
}

function FeedSignedOut({ tab }: { tab: FeedTab }) {
  const here = tab === "following" ? "/?tab=following" : "/";
  return (
    <div className={styles.state} data-testid="feed-signed-out">
      <p className={styles.stateTitle}>{tab === "following" ? "Sign in to see videos from creators you follow" : "Sign in to keep watching"}</p>
      <IntentLink href={`/sign-in?next=${encodeURIComponent(here)}`} className={styles.primaryButton}>
        Sign in
      </IntentLink>
    </div>
  );
}

export function Feed(props: FeedProps) {
  // A new tab is a new list: remounting resets the pager, the position and the pool in one move.
  return <FeedView key={props.tab} {...props} />;
}

function FeedView({ tab, signedIn, viewerHandle, initialPage }: FeedProps) {
  const pager = useFeedPager(tab, signedIn || tab === "foryou", initialPage ?? null);
  const { items, status } = pager;
  const scrollerRef = useRef<HTMLDivElement>(null);
  const [activeIndex, setActiveIndex] = useState(0);
  // Neighbours start preloading only once the first video plays: on a first visit they would otherwise compete with it
  // for the connection and the CPU exactly when the viewer is waiting.
  const [poolOpen, setPoolOpen] = useState(false);
  const onActivePlaying = useCallback(() => setPoolOpen(true), []);
  // For callbacks handed to every video: reading the index through a ref keeps them stable, so a move re-renders only
  // the videos whose own props changed.
  const activeIndexRef = useRef(0);
  // Which video the viewer paused; moving to another video leaves that one paused no more.
  const [pausedIndex, setPausedIndex] = useState<number | null>(null);
  const [muted, setMuted] = useState(true);
  const [soundBlocked, setSoundBlocked] = useState(false);
  const [pageVisible, setPageVisible] = useState(true);
  const [commentsFor, setCommentsFor] = useState<string | null>(null);
  const [reportTarget, setReportTarget] = useState<ReportTarget | null>(null);
  const [toast, showToast] = useToast();
  const actions = useFeedActions({ setItems: pager.setItems, signedIn, showToast });
  const showEndCard = status === "ready" && items.length > 0 && (!pager.hasMore || pager.loadingMore || pager.moreFailed);
  const commentsItem = commentsFor ? items.find((item) => item.id === commentsFor) ?? null : null;

  // Start with sound only for someone who turned it on before; the browser may still say no (see onSoundBlocked).
  useEffect(() => {
    if (!readStoredMuted()) setMuted(false);
  }, []);

  useEffect(() => {
    const onVisibility = () => setPageVisible(document.visibilityState === "visible");
    onVisibility();
    document.addEventListener("visibilitychange", onVisibility);
    return () => document.removeEventListener("visibilitychange", onVisibility);
  }, []);

  useEffect(() => {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting || entry.intersectionRatio < ACTIVE_THRESHOLD) continue;
          const index = Number((entry.target as HTMLElement).dataset.index);
          if (!Number.isInteger(index)) continue;
          releasePrimedVideo(scroller, index);
          setActiveIndex(index);
        }
      },
      { root: scroller, threshold: ACTIVE_THRESHOLD },
    );
    scroller.querySelectorAll("[data-index]").forEach((element) => observer.observe(element));
    return () => observer.disconnect();
  }, [items.length, showEndCard]);

  useEffect(() => {
    activeIndexRef.current = activeIndex;
  }, [activeIndex]);

  const { loadMore } = pager;
  useEffect(() => {
    if (status === "ready" && items.length - 1 - activeIndex < PREFETCH_DISTANCE) loadMore();
  }, [activeIndex, items.length, status, loadMore]);

  const scrollToIndex = useCallback((index: number) => {
    const target = scrollerRef.current?.querySelector<HTMLElement>(`[data-index="${index}"]`);
    target?.scrollIntoView({ behavior: prefersReducedMotion() ? "auto" : "smooth", block: "start" });
  }, []);

  const togglePause = useCallback(() => {
    const index = activeIndexRef.current;
    setPausedIndex((current) => (current === index ? null : index));
  }, []);

  const toggleMute = useCallback(() => {
    setSoundBlocked(false);
    setMuted(!muted);
    storeMuted(!muted);
  }, [muted]);

  const onSoundBlocked = useCallback(() => {
    // The browser refused sound before any gesture: play muted and offer the unmute button, but keep the stored
    // preference, so the next visit tries sound again.
    setMuted(true);
    setSoundBlocked(true);
  }, []);

  const onAutoplayBlocked = useCallback(() => {
    // Not even muted autoplay (data saver, low-power mode): show the play icon, and a tap starts it.
    setPausedIndex(activeIndexRef.current);
  }, []);

  const openComments = useCallback((item: FeedItem) => setCommentsFor(item.id), []);

  const openReport = useCallback(
    (item: FeedItem) => {
      if (!signedIn) return sendToSignIn();
      setReportTarget({ type: "video", id: item.id });
    },
    [signedIn],
  );

  /** Moves one video up or down from the one on screen; the end card (if any) is the last stop. */
  const stepBy = useCallback(
    (direction: 1 | -1) => {
      const last = items.length - (showEndCard ? 0 : 1);
      const target = Math.min(Math.max(activeIndexRef.current + direction, 0), last);
      // Keys and the wheel know where they are going: the next video starts now, while the scroll animates, rather
      // than when the observer sees it on screen ~300 ms later. (Touch swipes are decided by the observer.)
      if (target < items.length) {
        activeIndexRef.current = target;
        releasePrimedVideo(scrollerRef.current, target);
        setActiveIndex(target);
      }
      scrollToIndex(target);
    },
    [items.length, showEndCard, scrollToIndex],
  );

  // Outlives the listener below, which is re-added whenever the list grows, possibly in the middle of a gesture.
  const wheelLockedUntil = useRef(0);
  useEffect(() => {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    const onWheel = (event: WheelEvent) => {
      // Pinch-zoom arrives as ctrl+wheel; sideways scrolling and text that scrolls itself are not page moves.
      if (event.ctrlKey || Math.abs(event.deltaY) <= Math.abs(event.deltaX)) return;
      if (event.target instanceof Element && event.target.closest("[data-own-scroll]")) return;
      event.preventDefault();
      const now = performance.now();
      if (now < wheelLockedUntil.current) {
        wheelLockedUntil.current = Math.max(wheelLockedUntil.current, now + WHEEL_QUIET_MS);
        return;
      }
      const big = event.deltaMode !== WheelEvent.DOM_DELTA_PIXEL || Math.abs(event.deltaY) >= WHEEL_MIN_DELTA_PX;
      if (!big) return;
      wheelLockedUntil.current = now + WHEEL_LOCK_MS;
      stepBy(event.deltaY > 0 ? 1 : -1);
    };
    scroller.addEventListener("wheel", onWheel, { passive: false });
    return () => scroller.removeEventListener("wheel", onWheel);
  }, [stepBy]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (isTypingTarget(event.target) || document.querySelector("dialog[open]")) return;
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      if (key === "ArrowDown" || key === "j") {
        event.preventDefault();
        stepBy(1);
      } else if (key === "ArrowUp" || key === "k") {
        event.preventDefault();
        stepBy(-1);
      } else if (key === "m") {
        toggleMute();
      } else if (key === " " && !isControlTarget(event.target)) {
        event.preventDefault();
        togglePause();
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [stepBy, toggleMute, togglePause]);

  return (
    <div className={styles.root} data-feed-root="">
      <FeedTabs tab={tab} signedIn={signedIn} />
      <div ref={scrollerRef} className={styles.scroller} data-testid="feed" role="region" aria-label={tab === "following" ? "Following feed" : "For You feed"}>
        {status === "loading" && <div className={styles.state} data-testid="feed-loading" aria-busy="true"><span className={styles.spinner} /></div>}
        {status === "unauthorized" && <FeedSignedOut tab={tab} />}
        {status === "error" && (
          <div className={styles.state} role="alert">
            <p className={styles.stateTitle}>Couldn&apos;t load videos</p>
            <button type="button" className={styles.primaryButton} onClick={pager.retry}>
              Try again
            </button>
          </div>
        )}
        {status === "ready" && items.length === 0 && <FeedEmpty tab={tab} />}
        {items.map((item, index) => {
          const distance = index - activeIndex;
          return (
            <FeedVideo
              key={item.id}
              item={item}
              index={index}
              active={distance === 0}
              attached={distance === 0 || (poolOpen && distance >= -POOL_BEHIND && distance <= POOL_AHEAD)}
              near={Math.abs(distance) <= NEAR_DISTANCE}
              primed={poolOpen && Math.abs(distance) === 1}
              muted={muted}
              paused={pausedIndex === index}
              pageVisible={pageVisible}
              soundBlocked={soundBlocked}
              viewerHandle={viewerHandle}
              actions={actions}
              onTogglePause={togglePause}
              onToggleMute={toggleMute}
              onSoundBlocked={onSoundBlocked}
              onAutoplayBlocked={onAutoplayBlocked}
              onOpenComments={openComments}
              onReport={openReport}
              onPlaying={onActivePlaying}
            />
          );
        })}
        {showEndCard && (
          <div className={styles.item} data-index={items.length} data-testid="feed-end">
            <div className={styles.state}>
              {pager.loadingMore && <span className={styles.spinner} aria-label="Loading more videos" />}
              {!pager.loadingMore && pager.moreFailed && (
                <>
                  <p className={styles.stateTitle}>Couldn&apos;t load more videos</p>
                  <button type="button" className={styles.primaryButton} onClick={pager.retry}>
                    Try again
                  </button>
                </>
              )}
              {!pager.loadingMore && !pager.moreFailed && !pager.hasMore && (
                <>
                  <p className={styles.stateTitle}>You&apos;re all caught up</p>
                  <button type="button" className={styles.primaryButton} onClick={() => scrollToIndex(0)}>
                    Back to the top
                  </button>
                </>
              )}
            </div>
          </div>
        )}
      </div>
      {commentsItem && (
        <CommentsDrawer
          videoId={commentsItem.id}
          allowComments={commentsItem.allowComments}
          commentCount={commentsItem.stats.comments}
          signedIn={signedIn}
          onCountChange={(delta) => actions.adjustCommentCount(commentsItem.id, delta)}
          onClose={() => setCommentsFor(null)}
        />
      )}
      {reportTarget && <ReportDialog target={reportTarget} onClose={() => setReportTarget(null)} onReported={() => showToast("Thanks for reporting. We'll review it.")} />}
      <div className={styles.toast} role="status" aria-live="polite" data-testid="toast">
        {toast && <span key={toast.id}>{toast.text}</span>}
      </div>
    </div>
  );
}
