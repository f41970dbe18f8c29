"use client";

// What a viewer does with one video, as signals (components/events/tracker.ts):
//   impression  the element was at least half on screen for 300 ms (once per mount)
//   play        playback started while it was the active video: a view begins
//   complete    the view reached the end of the video for the first time
//   progress    the view ended (the viewer moved on, the page was hidden or closed): watched ms, loops included
//   skip        the view ended by moving on within 2 s or a quarter of the video, without finishing it
// Watched time is read from the media clock (timeupdate), so buffering, pauses and seeks add nothing, and a jump from
// the end back to the start is a loop.
import { useEffect, useRef, type RefObject } from "react";
import type { EventSource } from "@/lib/events/types";
import { onBeforeHide, rememberShownFrom, track } from "./tracker";

// The IAB's viewable impression for video is half the player for 2 s; a feed decides faster, and 300 ms at half is
// what the player treats as "shown" (the definition).
const IMPRESSION_SHARE = 0.5;
const IMPRESSION_MS = 300;
// A skip: left within 2 s, or within a quarter of the video.
const SKIP_MS = 2_000;
const SKIP_SHARE = 0.25;
// timeupdate fires every ~250 ms; a forward step longer than this is a seek, not watching.
const MAX_STEP_S = 1.5;
// A jump back from this close to the end to this close to the start is the loop, not a seek.
const LOOP_WINDOW_S = 1.0;

export type WatchSignalsOptions = {
  videoRef: RefObject<HTMLVideoElement | null>;
  /** The element whose visibility makes the impression (the feed item, or the player itself). */
  elementRef: RefObject<HTMLElement | null>;
  /** Null turns every signal off (a player outside the feed with nothing to report). */
  videoId: string | null;
  /** Seconds; the media's own duration wins once known. */
  duration: number | null;
  /** On screen and meant to play: only then does playback count as a view. */
  active: boolean;
  source: EventSource;
  feedRequestId?: string | null;
};

type View = { watchedS: number; loops: number; completed: boolean; lastTime: number };

export function useWatchSignals({ videoRef, elementRef, videoId, duration, active, source, feedRequestId }: WatchSignalsOptions): void {
  // Read when a signal is sent, so a changed label never restarts a view.
  const context = useRef({ source, feedRequestId: feedRequestId ?? null, duration });
  context.current = { source, feedRequestId: feedRequestId ?? null, duration };

  useEffect(() => {
    if (videoId) rememberShownFrom(videoId, source, feedRequestId ?? null);
  }, [videoId, source, feedRequestId]);

  useEffect(() => {
    const element = elementRef.current;
    if (!videoId || !element || typeof IntersectionObserver === "undefined") return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new IntersectionObserver(
      ([entry]) => {
        if (entry && entry.isIntersecting && entry.intersectionRatio >= IMPRESSION_SHARE) {
          timer ??= setTimeout(() => {
            observer.disconnect();
            track({ type: "impression", videoId, ...context.current });
          }, IMPRESSION_MS);
        } else if (timer !== undefined) {
          clearTimeout(timer);
          timer = undefined;
        }
      },
      { threshold: [0, IMPRESSION_SHARE] },
    );
    observer.observe(element);
    return () => {
      observer.disconnect();
      clearTimeout(timer);
    };
  }, [elementRef, videoId]);

  useEffect(() => {
    const video = videoRef.current;
    if (!videoId || !active || !video) return;
    let view: View | null = null;
    const signal = (type: "play" | "complete" | "progress" | "skip", extra: { watchedMs?: number; loops?: number } = {}) =>
      track({ type, videoId, source: context.current.source, feedRequestId: context.current.feedRequestId, ...extra });
    const lengthS = () => (Number.isFinite(video.duration) && video.duration > 0 ? video.duration : context.current.duration);

    const advance = () => {
      if (!view) return;
      const now = video.currentTime;
      const step = now - view.lastTime;
      const length = lengthS();
      if (step >= 0 && step <= MAX_STEP_S) {
        view.watchedS += step;
      } else if (step < 0 && length && view.lastTime >= length - LOOP_WINDOW_S && now <= LOOP_WINDOW_S) {
        view.watchedS += length - view.lastTime + now;
        view.loops += 1;
        if (!view.completed) {
          view.completed = true;
          signal("complete");
        }
      }
      view.lastTime = now;
    };
    const start = () => {
      if (view || document.visibilityState !== "visible") return;
      view = { watchedS: 0, loops: 0, completed: false, lastTime: video.currentTime };
      signal("play");
    };
    const end = (movedOn: boolean) => {
      if (!view) return;
      advance();
      const { watchedS, loops, completed } = view;
      view = null;
      const watchedMs = Math.round(watchedS * 1000);
      signal("progress", { watchedMs, loops });
      const length = lengthS();
      const early = watchedMs < SKIP_MS || (length !== null && watchedMs < length * 1000 * SKIP_SHARE);
      if (movedOn && !completed && loops === 0 && early) signal("skip", { watchedMs });
    };
    const onEnded = () => {
      advance();
      if (view && !view.completed) {
        view.completed = true;
        signal("complete");
      }
    };
    const onVisibility = () => {
      if (document.visibilityState === "hidden") end(false);
    };

    video.addEventListener("playing", start);
    video.addEventListener("timeupdate", advance);
    video.addEventListener("ended", onEnded);
    document.addEventListener("visibilitychange", onVisibility);
    const stopBeforeHide = onBeforeHide(() => end(false));
    if (!video.paused && video.readyState > 2) start();
    return () => {
      video.removeEventListener("playing", start);
      video.removeEventListener("timeupdate", advance);
      video.removeEventListener("ended", onEnded);
      document.removeEventListener("visibilitychange", onVisibility);
      stopBeforeHide();
      end(true);
    };
  }, [videoRef, videoId, active]);
}
