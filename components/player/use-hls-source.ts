"use client";

// Gives a <video> its HLS source while it is in the feed's player pool and takes it away (freeing the decoder and the
// buffered media) when it leaves, so a long session holds at most a handful of streams. hls.js where Media Source
// Extensions exist, the browser's own HLS elsewhere (Safari on iOS).
import type HlsType from "hls.js/light";
import { useEffect, useRef, useState, type RefObject } from "react";

type Hls = HlsType;
type HlsClass = typeof HlsType;

// hls.js is ~60 % of the feed's JavaScript. It is loaded as its own chunk, requested the moment this module is
// evaluated (in parallel with hydration, not after it), so it stays out of the scripts that block the first render.
// Only in the browser: the server renders no players.
let hlsClass: Promise<HlsClass> | null = null;
function loadHls(): Promise<HlsClass> {
  hlsClass ??= import("hls.js/light").then((module) => module.default);
  return hlsClass;
}
if (typeof window !== "undefined") void loadHls();

// A preloaded (off-screen) video only needs its first seconds ready; the one on screen buffers further ahead.
const IDLE_BUFFER_SECONDS = 10;
const ACTIVE_BUFFER_SECONDS = 30;
// A stream whose media keeps failing after this many recoveries is broken, not unlucky.
const MAX_MEDIA_RECOVERIES = 3;

// Before anything is measured, hls.js assumes 500 kb/s and starts every video on the lowest rung. Instead: the last
// estimate this browser measured (kept across videos and visits), else the browser's own downlink estimate.
const BANDWIDTH_STORAGE_KEY = "flick.bandwidth";
const DOWNLINK_TRUST = 0.8; // navigator.connection.downlink is optimistic; leave room for the audio and overhead
let lastBandwidthEstimate: number | null = null;

function initialBandwidthEstimate(): number | undefined {
  if (lastBandwidthEstimate) return lastBandwidthEstimate;
  const stored = Number(globalThis.localStorage?.getItem(BANDWIDTH_STORAGE_KEY));
  if (Number.isFinite(stored) && stored > 0) return stored;
  const downlinkMbps = (navigator as Navigator & { connection?: { downlink?: number } }).connection?.downlink;
  return downlinkMbps ? downlinkMbps * 1_000_000 * DOWNLINK_TRUST : undefined;
}

function rememberBandwidth(estimate: number) {
  if (!Number.isFinite(estimate) || estimate <= 0) return;
  lastBandwidthEstimate = estimate;
  try {
    localStorage.setItem(BANDWIDTH_STORAGE_KEY, String(Math.round(estimate)));
  } catch {
    // private mode or full storage: the in-memory estimate still serves this visit
  }
}

function releaseVideo(video: HTMLVideoElement) {
  video.removeAttribute("src");
  // load() with no source drops the decoder and buffered media now instead of at garbage collection.
  video.load();
}

function attachHlsJs(Hls: HlsClass, video: HTMLVideoElement, src: string, onFatal: () => void): Hls {
  const estimate = initialBandwidthEstimate();
  const hls = new Hls({
    // Pick a rendition for the element's size, from the bandwidth estimate, starting at the beginning even while the
    // playlists are still growing (an EVENT playlist would otherwise start at its "live" edge).
    capLevelToPlayerSize: true,
    startLevel: -1,
    startPosition: 0,
    autoStartLoad: true,
    maxBufferLength: IDLE_BUFFER_SECONDS,
    // With an estimate in hand, skip hls.js's first-fragment bandwidth test on the lowest rung: it costs a playlist and
    // a segment before the rung that will actually play is even requested.
    ...(estimate ? { abrEwmaDefaultEstimate: estimate, testBandwidth: false } : {}),
  });
  hls.on(Hls.Events.FRAG_LOADED, () => rememberBandwidth(hls.bandwidthEstimate));
  // The rung playing, readable by people debugging (and by the browser tests): data-level / data-levels.
  hls.on(Hls.Events.LEVEL_SWITCHED, (_event, data) => {
    video.dataset.level = String(data.level);
    video.dataset.levels = String(hls.levels.length);
  });
  let mediaRecoveries = 0;
  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (!data.fatal) return;
    if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
      hls.startLoad();
      return;
    }
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && mediaRecoveries < MAX_MEDIA_RECOVERIES) {
      mediaRecoveries += 1;
      hls.recoverMediaError();
      return;
    }
    onFatal();
  });
  hls.loadSource(src);
  hls.attachMedia(video);
  return hls;
}

// The first screen's video does not wait for React: as soon as hls.js has loaded, the element the server marked
// with data-start-early gets its stream and starts (muted, as autoplay allows), while the page is still hydrating.
// When its component mounts, useHlsSource adopts that hls.js instance instead of making another.
type EarlyStart = { src: string; hls: Hls; failure: { failed: boolean; onFatal: (() => void) | null } };
const earlyStarts = new Map<HTMLVideoElement, EarlyStart>();

function startFirstVideoEarly(Hls: HlsClass) {
  const video = document.querySelector<HTMLVideoElement>("video[data-start-early][data-hls]");
  if (!video || video.src || !Hls.isSupported()) return;
  const src = video.dataset.hls!;
  // A fatal error before the component has mounted is kept and reported when it adopts the stream.
  const failure: EarlyStart["failure"] = { failed: false, onFatal: null };
  const hls = attachHlsJs(Hls, video, src, () => {
    failure.failed = true;
    failure.onFatal?.();
  });
  earlyStarts.set(video, { src, hls, failure });
  if (document.visibilityState !== "visible") return;
  video.muted = true;
  // Refused or interrupted, the component's own play logic takes over once it has mounted.
  video.play().catch(() => undefined);
}

/** The early start made for this element, if it is for this stream; one made for another stream is stopped. */
function adoptEarlyStart(video: HTMLVideoElement, src: string): EarlyStart | null {
  const early = earlyStarts.get(video);
  if (!early) return null;
  earlyStarts.delete(video);
  if (early.src === src) return early;
  early.hls.destroy();
  releaseVideo(video);
  return null;
}

if (typeof window !== "undefined") {
  const hasMse = typeof MediaSource !== "undefined" || "ManagedMediaSource" in window;
  // Registered before any component's, so it runs first when hls.js arrives: a component that asked meanwhile adopts.
  if (hasMse) void loadHls().then(startFirstVideoEarly, () => undefined);
}

/**
 * Attaches `src` to the video while `attached`; `active` only changes how far ahead it buffers, so moving between
 * "preloaded" and "playing" never reloads the stream. Returns true once the stream has failed for good.
 */
export function useHlsSource(videoRef: RefObject<HTMLVideoElement | null>, src: string, attached: boolean, active: boolean): boolean {
  const hlsRef = useRef<Hls | null>(null);
  // Read when hls.js arrives (asynchronously) so a video that became active meanwhile buffers like one.
  const activeRef = useRef(active);
  activeRef.current = active;
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const video = videoRef.current;
    if (!video || !attached) return;
    setFailed(false);
    // Native HLS first where there is no Media Source Extensions (Safari on iOS): no library needed at all.
    const hasMse = typeof MediaSource !== "undefined" || "ManagedMediaSource" in window;
    if (!hasMse && video.canPlayType("application/vnd.apple.mpegurl")) {
      video.preload = "auto";
      video.src = src;
      return () => releaseVideo(video);
    }
    let cancelled = false;
    let hls: Hls | null = null;
    void loadHls().then(
      (Hls) => {
        if (cancelled) return;
        const early = adoptEarlyStart(video, src);
        if (early) {
          hls = early.hls;
          early.failure.onFatal = () => setFailed(true);
          if (early.failure.failed) setFailed(true);
        } else if (!Hls.isSupported()) {
          setFailed(true);
          return;
        } else {
          hls = attachHlsJs(Hls, video, src, () => setFailed(true));
        }
        hlsRef.current = hls;
        hls.config.maxBufferLength = activeRef.current ? ACTIVE_BUFFER_SECONDS : IDLE_BUFFER_SECONDS;
      },
      () => {
        if (!cancelled) setFailed(true);
      },
    );
    return () => {
      cancelled = true;
      hlsRef.current = null;
      if (hls) {
        hls.destroy();
        releaseVideo(video);
      }
    };
  }, [videoRef, src, attached]);

  // Declared after the attach effect so that, in the same commit, it sees the instance that effect just made.
  useEffect(() => {
    const hls = hlsRef.current;
    if (hls) hls.config.maxBufferLength = active ? ACTIVE_BUFFER_SECONDS : IDLE_BUFFER_SECONDS;
  }, [active, attached]);

  return failed;
}
