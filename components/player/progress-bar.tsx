"use client";

// The thin progress line under a feed video, which is also its scrubber: drag (mouse, pen or finger) to seek, with the
// sprite thumbnail of the moment under the pointer when the video has one. The fill is driven by requestAnimationFrame
// straight on the DOM, so playback never re-renders React.
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type RefObject } from "react";
import styles from "./player.module.css";
import { findSpriteCue, loadSpriteCues, type SpriteCue } from "./sprite-thumbnails";

// Arrow keys on the focused bar move this far, like most players.
const KEY_STEP_SECONDS = 5;
// The sprite tile is shown at most this tall, whatever size the pipeline made it.
const PREVIEW_MAX_HEIGHT = 160;
// Room for the "0:12 / 0:30" label when there is no tile.
const MIN_PREVIEW_WIDTH = 96;

type Props = {
  videoRef: RefObject<HTMLVideoElement | null>;
  /** Only the video on screen animates its bar. */
  active: boolean;
  /** Seconds, from the API; used until the media reports a finite duration (growing playlists report Infinity). */
  durationHint: number | null;
  thumbnails: string | null;
};

type Scrub = { fraction: number; duration: number; cue: SpriteCue | null };

function readDuration(video: HTMLVideoElement | null, hint: number | null): number {
  if (video && Number.isFinite(video.duration) && video.duration > 0) return video.duration;
  return hint && hint > 0 ? hint : 0;
}

function formatClock(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

function clampFraction(value: number): number {
  return Math.min(1, Math.max(0, value));
}

export function ProgressBar({ videoRef, active, durationHint, thumbnails }: Props) {
  const trackRef = useRef<HTMLDivElement>(null);
  const fillRef = useRef<HTMLDivElement>(null);
  const cuesRef = useRef<SpriteCue[]>([]);
  const [scrub, setScrub] = useState<Scrub | null>(null);
  const scrubbing = scrub !== null;

  useEffect(() => {
    // A video that leaves the screen starts over when it comes back (FeedVideo), so its bar does too.
    if (!active && fillRef.current) fillRef.current.style.transform = "scaleX(0)";
    if (!active || scrubbing) return;
    let frame = 0;
    let shownSecond = -1;
    const paint = () => {
      const video = videoRef.current;
      const track = trackRef.current;
      const duration = readDuration(video, durationHint);
      if (video && track && fillRef.current && duration > 0) {
        fillRef.current.style.transform = `scaleX(${clampFraction(video.currentTime / duration)})`;
        const second = Math.floor(video.currentTime);
        if (second !== shownSecond) {
          shownSecond = second;
          track.setAttribute("aria-valuenow", String(second));
          track.setAttribute("aria-valuemax", String(Math.floor(duration)));
          track.setAttribute("aria-valuetext", `${formatClock(second)} of ${formatClock(duration)}`);
        }
      }
      frame = requestAnimationFrame(paint);
    };
    frame = requestAnimationFrame(paint);
    return () => cancelAnimationFrame(frame);
  }, [active, scrubbing, videoRef, durationHint]);

  // The cue list is a few kilobytes: fetch it while the video is on screen, so the first drag already has previews,
  // but only once the video plays: before that it would compete with the video's own first requests.
  useEffect(() => {
    const video = videoRef.current;
    if (!active || !thumbnails || !video) return;
    let current = true;
    const load = () =>
      void loadSpriteCues(thumbnails).then((cues) => {
        if (current) cuesRef.current = cues;
      });
    if (video.currentTime > 0 && !video.paused) load();
    else video.addEventListener("playing", load, { once: true });
    return () => {
      current = false;
      video.removeEventListener("playing", load);
    };
  }, [active, thumbnails, videoRef]);

  function fractionAt(clientX: number): number {
    const rect = trackRef.current?.getBoundingClientRect();
    if (!rect || rect.width === 0) return 0;
    return clampFraction((clientX - rect.left) / rect.width);
  }

  function seekTo(fraction: number, final: boolean) {
    const video = videoRef.current;
    const duration = readDuration(video, durationHint);
    if (!video || duration <= 0) return;
    if (fillRef.current) fillRef.current.style.transform = `scaleX(${fraction})`;
    // While dragging, one seek at a time: queuing a seek per pointer event makes the decoder thrash.
    if (final || !video.seeking) video.currentTime = fraction * duration;
  }

  function showScrub(fraction: number) {
    const duration = readDuration(videoRef.current, durationHint);
    setScrub({ fraction, duration, cue: findSpriteCue(cuesRef.current, fraction * duration) });
  }

  function onPointerDown(event: PointerEvent<HTMLDivElement>) {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    const fraction = fractionAt(event.clientX);
    showScrub(fraction);
    seekTo(fraction, false);
  }

  function onPointerMove(event: PointerEvent<HTMLDivElement>) {
    if (!scrubbing) return;
    const fraction = fractionAt(event.clientX);
    showScrub(fraction);
    seekTo(fraction, false);
  }

  function onPointerEnd(event: PointerEvent<HTMLDivElement>) {
    if (!scrubbing) return;
    seekTo(fractionAt(event.clientX), true);
    setScrub(null);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const video = videoRef.current;
    const duration = readDuration(video, durationHint);
    if (!video || duration <= 0) return;
    const step = event.key === "ArrowRight" ? KEY_STEP_SECONDS : event.key === "ArrowLeft" ? -KEY_STEP_SECONDS : 0;
    if (step === 0) return;
    event.preventDefault();
    video.currentTime = Math.min(duration, Math.max(0, video.currentTime + step));
  }

  const cue = scrub?.cue ?? null;
  const previewScale = cue ? Math.min(1, PREVIEW_MAX_HEIGHT / cue.h) : 1;
  // Keeps the preview inside the video box at either end of the bar.
  const previewHalfWidth = Math.max(cue ? cue.w * previewScale : 0, MIN_PREVIEW_WIDTH) / 2;

  return (
    <div
      ref={trackRef}
      className={styles.progress}
      data-scrubbing={scrubbing}
      data-testid="progress-bar"
      role="slider"
      tabIndex={0}
      aria-label="Seek"
      aria-valuemin={0}
      // Until the first frame is painted; the animation loop keeps these current after that.
      aria-valuemax={durationHint ? Math.floor(durationHint) : undefined}
      aria-valuenow={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerEnd}
      onPointerCancel={onPointerEnd}
      onKeyDown={onKeyDown}
    >
      <div className={styles.track}>
        <div ref={fillRef} className={styles.fill} />
      </div>
      {scrub && (
        <div className={styles.preview} style={{ left: `clamp(${previewHalfWidth}px, ${scrub.fraction * 100}%, calc(100% - ${previewHalfWidth}px))` }} aria-hidden="true">
          {cue && (
            // The tile is cut from the sprite at its own size, then scaled as a whole (the sprite's size is unknown).
            <div className={styles.previewFrame} style={{ width: cue.w * previewScale, height: cue.h * previewScale }}>
              <div
                className={styles.previewImage}
                data-testid="scrub-thumbnail"
                style={{
                  width: cue.w,
                  height: cue.h,
                  backgroundImage: `url("${cue.image}")`,
                  backgroundPosition: `${-cue.x}px ${-cue.y}px`,
                  transform: `scale(${previewScale})`,
                }}
              />
            </div>
          )}
          <span className={styles.previewTime}>
            {formatClock(scrub.fraction * scrub.duration)} / {formatClock(scrub.duration)}
          </span>
        </div>
      )}
    </div>
  );
}
