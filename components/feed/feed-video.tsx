"use client";

// One screen of the feed: the video (from the player pool), its blurred and poster stand-ins until the first frame,
// tap to pause, double-tap to like, the progress/scrub bar, the caption and the action column.
import { memo, useEffect, useRef, useState, type MouseEvent } from "react";
import type { FeedItem } from "@/lib/feed/types";
import { BlurhashCanvas } from "@/components/player/blurhash-canvas";
import { ProgressBar } from "@/components/player/progress-bar";
import { useHlsSource } from "@/components/player/use-hls-source";
import { useWatchSignals } from "@/components/events/use-watch-signals";
import styles from "./feed.module.css";
import { HeartIcon, MutedIcon, PlayIcon, SoundIcon } from "./icons";
import type { FeedActions } from "./use-feed-actions";
import { VideoActions } from "./video-actions";
import { VideoInfo } from "./video-info";

// Two taps closer than this are a double-tap (like), not two pauses; also how long a single tap waits to be sure.
const DOUBLE_TAP_MS = 250;
// How long a double-tap heart stays on screen (its animation is a little shorter).
const HEART_MS = 900;
// Taller than this relative to its width, a video is "portrait" and may fill a phone screen edge to edge.
const PORTRAIT_RATIO = 1.5;

type Props = {
  item: FeedItem;
  index: number;
  /** On screen: plays. */
  active: boolean;
  /** In the player pool (just before, on screen, or the next two): has its stream attached and buffering. */
  attached: boolean;
  /** Close enough to be reached soon: renders its overlays and stand-ins. */
  near: boolean;
  /** One swipe away: kept "playing" at rate 0 on its first frame, so becoming active only changes the rate. */
  primed: boolean;
  muted: boolean;
  /** Paused by the viewer (only meaningful while active). */
  paused: boolean;
  pageVisible: boolean;
  soundBlocked: boolean;
  viewerHandle: string | null;
  actions: FeedActions;
  onTogglePause: () => void;
  onToggleMute: () => void;
  onSoundBlocked: () => void;
  onAutoplayBlocked: () => void;
  onOpenComments: (item: FeedItem) => void;
  onReport: (item: FeedItem) => void;
  /** The video on screen is playing: the feed then lets the neighbours start preloading. */
  onPlaying?: (index: number) => void;
};

type PlayOutcome = "playing" | "interrupted" | "sound-blocked" | "blocked";

/**
 * Plays, and if the browser refuses sound without a gesture, plays muted instead. A pause() or source change while
 * play() is pending rejects it with AbortError: that is "interrupted", not a failure.
 */
async function playWithFallback(video: HTMLVideoElement): Promise<PlayOutcome> {
  try {
    await video.play();
    return "playing";
  } catch (error) {
    if (!(error instanceof DOMException) || error.name !== "NotAllowedError") return "interrupted";
    if (video.muted) return "blocked";
    video.muted = true;
    try {
      await video.play();
      return "sound-blocked";
    } catch {
      return "blocked";
    }
  }
}

type Heart = { id: number; x: number; y: number };

function useDoubleTapHearts() {
  const [hearts, setHearts] = useState<Heart[]>([]);
  const nextId = useRef(0);
  const timers = useRef(new Set<number>());

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => window.clearTimeout(timer));
  }, []);

  function showHeart(x: number, y: number) {
    nextId.current += 1;
    const id = nextId.current;
    setHearts((current) => [...current, { id, x, y }]);
    const timer = window.setTimeout(() => {
      timers.current.delete(timer);
      setHearts((current) => current.filter((heart) => heart.id !== id));
    }, HEART_MS);
    timers.current.add(timer);
  }

  return { hearts, showHeart };
}

function FeedVideoView(props: Props) {
  const { item, index, active, attached, near, primed, muted, paused, pageVisible, soundBlocked, viewerHandle, actions } = props;
  const { onTogglePause, onToggleMute, onSoundBlocked, onAutoplayBlocked, onOpenComments, onReport, onPlaying } = props;
  const videoRef = useRef<HTMLVideoElement>(null);
  const itemRef = useRef<HTMLElement>(null);
  const [ready, setReady] = useState(false);
  const [buffering, setBuffering] = useState(false);
  const failed = useHlsSource(videoRef, item.hls, attached, active);
  useWatchSignals({ videoRef, elementRef: itemRef, videoId: item.id, duration: item.duration, active, source: item.source, feedRequestId: item.feedRequestId });
  const { hearts, showHeart } = useDoubleTapHearts();
  const tapTimer = useRef<number | undefined>(undefined);
  const lastTapAt = useRef(0);
  const shouldPlay = active && pageVisible && !paused && !failed;
  const shouldPrime = !active && primed && attached && pageVisible && !failed;

  // Declared before the play effect: play() must see the current muted state, or an unmuted play may be refused.
  useEffect(() => {
    if (videoRef.current) videoRef.current.muted = muted;
  }, [muted]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    if (!shouldPlay && !shouldPrime) {
      video.pause();
      video.defaultPlaybackRate = 1;
      video.playbackRate = 1;
      return;
    }
    // A paused player is started from cold on the swipe (its media pipeline is suspended while idle): ~30 ms more
    // before the next video's first frame than one already running at rate 0, which only has to change its rate.
    // Both rates: attaching a stream runs the element's load algorithm, which resets playbackRate to the default.
    const rate = shouldPlay ? 1 : 0;
    video.defaultPlaybackRate = rate;
    video.playbackRate = rate;
    let current = true;
    const attempt = () => {
      video.playbackRate = rate;
      // A primed player makes no sound and shows one still frame: if the browser refuses it, nothing is lost.
      if (!shouldPlay) return void video.play().catch(() => undefined);
      void playWithFallback(video).then((outcome) => {
        if (!current) return;
        if (outcome === "sound-blocked") onSoundBlocked();
        if (outcome === "blocked") onAutoplayBlocked();
      });
    };
    // A play() made before the stream is attached (hls.js arrives asynchronously) is aborted when hls.js sets the
    // source; try again as soon as there is something to play.
    video.addEventListener("canplay", attempt);
    attempt();
    return () => {
      current = false;
      video.removeEventListener("canplay", attempt);
    };
  }, [shouldPlay, shouldPrime, onSoundBlocked, onAutoplayBlocked]);

  // Coming back to a video starts it over, as people expect from a feed.
  useEffect(() => {
    const video = videoRef.current;
    if (!active && video && video.currentTime > 0) video.currentTime = 0;
  }, [active]);

  useEffect(() => () => window.clearTimeout(tapTimer.current), []);

  function onSurfaceClick(event: MouseEvent<HTMLDivElement>) {
    if (!active) return;
    const now = performance.now();
    const isRepeat = now - lastTapAt.current < DOUBLE_TAP_MS;
    lastTapAt.current = now;
    if (isRepeat) {
      // A double (or faster) tap likes and cancels the pause the first tap was about to make.
      window.clearTimeout(tapTimer.current);
      tapTimer.current = undefined;
      const rect = event.currentTarget.getBoundingClientRect();
      showHeart(event.clientX - rect.left, event.clientY - rect.top);
      actions.likeOnce(item);
      return;
    }
    tapTimer.current = window.setTimeout(() => {
      tapTimer.current = undefined;
      onTogglePause();
    }, DOUBLE_TAP_MS);
  }

  const portrait = item.width && item.height ? item.height / item.width >= PORTRAIT_RATIO : true;
  const showStandIns = near && !(attached && ready);
  const fitClass = portrait ? `${styles.media} ${styles.fitCover}` : styles.media;

  return (
    <article
      ref={itemRef}
      className={styles.item}
      data-testid="feed-item"
      data-video-id={item.id}
      data-active={active ? "true" : "false"}
      data-index={index}
      aria-label={`Video by @${item.author.handle}`}
    >
      <div className={styles.stage}>
        {showStandIns && item.blurhash && <BlurhashCanvas hash={item.blurhash} width={item.width} height={item.height} className={fitClass} />}
        {showStandIns && item.poster && attached && (
          // Posters come with the player pool: the screen on view at once, its neighbours once it plays. Fetched
          // with the page, the neighbours' posters held up the first video's scripts, playlist and segments.
          <img src={item.poster} alt="" className={fitClass} decoding="async" fetchPriority={active ? "high" : "low"} data-testid="feed-poster" />
        )}
        <video
          ref={videoRef}
          className={fitClass}
          data-testid="feed-video"
          data-hls={item.hls}
          // The server-rendered first screen starts playing before hydration (see use-hls-source.ts).
          data-start-early={index === 0 && active && attached ? "" : undefined}
          data-ready={ready && attached ? "true" : "false"}
          playsInline
          loop
          muted={muted}
          preload={attached ? "auto" : "none"}
          aria-label={item.caption || `Video by @${item.author.handle}`}
          onLoadedData={() => setReady(true)}
          onPlaying={() => {
            setReady(true);
            setBuffering(false);
            if (active) onPlaying?.(index);
          }}
          onWaiting={() => setBuffering(true)}
          onEmptied={() => {
            setReady(false);
            setBuffering(false);
          }}
        />
        <div className={styles.tapLayer} onClick={onSurfaceClick} aria-hidden="true" data-testid="video-surface" />
        {hearts.map((heart) => (
          <span key={heart.id} className={styles.heartBurst} style={{ left: heart.x, top: heart.y }} aria-hidden="true" data-testid="like-heart">
            <HeartIcon size={96} />
          </span>
        ))}
        {active && paused && (
          <span className={styles.pausedIcon} data-testid="paused-indicator" aria-hidden="true">
            <PlayIcon size={72} />
          </span>
        )}
        {active && buffering && !paused && !failed && <span className={styles.spinner} aria-hidden="true" />}
        {failed && near && <p className={styles.mediaError}>This video can&apos;t be played right now.</p>}
        {active && (
          <button
            type="button"
            className={soundBlocked && muted ? `${styles.muteButton} ${styles.unmutePill}` : styles.muteButton}
            aria-label={muted ? "Unmute" : "Mute"}
            data-testid="mute-button"
            onClick={onToggleMute}
          >
            {muted ? <MutedIcon size={22} /> : <SoundIcon size={22} />}
            {soundBlocked && muted && <span>Tap to unmute</span>}
          </button>
        )}
        {near && <VideoInfo item={item} />}
        {near && <ProgressBar videoRef={videoRef} active={active} durationHint={item.duration} thumbnails={item.thumbnails} />}
      </div>
      {near && (
        <VideoActions
          item={item}
          viewerHandle={viewerHandle}
          onToggleLike={() => actions.toggleLike(item)}
          onOpenComments={() => onOpenComments(item)}
          onToggleBookmark={() => actions.toggleBookmark(item)}
          onShare={() => actions.share(item)}
          onToggleFollow={() => actions.toggleFollow(item)}
          onNotInterested={() => actions.markNotInterested(item)}
          onReport={() => onReport(item)}
          onMuteAuthor={() => actions.muteAuthor(item)}
          onBlockAuthor={() => actions.blockAuthor(item)}
        />
      )}
    </article>
  );
}

export const FeedVideo = memo(FeedVideoView);
