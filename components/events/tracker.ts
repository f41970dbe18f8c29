// The player's outbox of viewer signals. Events queue in memory and go to POST /api/events in batches: every few
// seconds, at once when a batch is full, and by sendBeacon when the page is hidden or closed. Each event gets its id
// (UUIDv7) when it happens, so a batch can be sent again after any failure and the server counts it once. What could
// not be confirmed (a beacon, whose delivery a page never learns, or a send that failed before the page went away) is
// kept in localStorage and sent again when the page is visible again or on the next visit.
import { uuidv7 } from "@/lib/events/uuid7";
import type { EventInput, EventSource, EventType } from "@/lib/events/types";

const ENDPOINT = "/api/events";
// Often enough that creators' numbers and the recommender move within seconds, rarely enough to stay one request.
const FLUSH_INTERVAL_MS = 5_000;
// A batch this big goes at once, without waiting for the timer.
const FLUSH_AT = 20;
// Events per request: well under the server's MAX_EVENTS_PER_BATCH and sendBeacon's 64 KB.
const BATCH_SIZE = 50;
const STORAGE_KEY = "flick.events.outbox";
// The stored outbox stays small (a few KB per 20 events); the oldest go first.
const MAX_STORED = 500;
// The server refuses events older than a day; don't keep what it would refuse.
const MAX_STORED_AGE_MS = 23 * 60 * 60 * 1000;
// After a failed send: 2 s, doubling, at most a minute.
const RETRY_FIRST_MS = 2_000;
const RETRY_MAX_MS = 60_000;

export type Signal = {
  type: EventType;
  videoId: string;
  source: EventSource;
  feedRequestId?: string | null;
  watchedMs?: number;
  loops?: number;
};

type Outgoing = EventInput & { at: number };

let queue: Outgoing[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;
let sending = false;
let retryDelay = 0;
let installed = false;
const beforeHide = new Set<() => void>();

function readStored(): Outgoing[] {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "[]") as Outgoing[];
    const oldest = Date.now() - MAX_STORED_AGE_MS;
    return Array.isArray(stored) ? stored.filter((event) => typeof event?.id === "string" && event.at > oldest) : [];
  } catch {
    return [];
  }
}

function writeStored(events: Outgoing[]): void {
  try {
    if (events.length === 0) localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, JSON.stringify(events.slice(-MAX_STORED)));
  } catch {
    // Private mode or a full storage: these events just won't survive the page.
  }
}

/** Adds events to the queue unless already there (the same event from storage and from memory). */
function enqueue(events: Outgoing[]): void {
  const known = new Set(queue.map((event) => event.id));
  for (const event of events) if (!known.has(event.id)) queue.push(event);
}

function schedule(delay: number): void {
  if (timer !== null) return;
  timer = setTimeout(() => {
    timer = null;
    void flush();
  }, delay);
}

/** Sends queued events, a batch at a time, keeping any that fail for the next attempt. */
export async function flush(): Promise<void> {
  if (sending || queue.length === 0) return;
  sending = true;
  try {
    while (queue.length > 0) {
      const batch = queue.slice(0, BATCH_SIZE);
      const response = await fetch(ENDPOINT, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ events: batch }),
        credentials: "same-origin",
        keepalive: true,
      }).catch(() => null);
      // 202: stored (or refused with reasons a resend would not change). Other 4xx but 429: the batch itself is
      // malformed and never will be right, so it is dropped rather than retried forever.
      const done = response !== null && (response.status === 202 || (response.status >= 400 && response.status < 500 && response.status !== 429));
      if (!done) {
        const retryAfter = Number(response?.headers.get("retry-after")) * 1000;
        retryDelay = Math.min(Math.max(retryDelay * 2, RETRY_FIRST_MS, retryAfter || 0), RETRY_MAX_MS);
        schedule(retryDelay);
        return;
      }
      retryDelay = 0;
      const sent = new Set(batch.map((event) => event.id));
      queue = queue.filter((event) => !sent.has(event.id));
    }
  } finally {
    sending = false;
  }
}

/** The page is going away or out of sight: end what is being watched, beacon everything, keep a copy. */
function sendBeforeHide(): void {
  for (const callback of beforeHide) callback();
  if (queue.length === 0) return;
  const unconfirmed = [...readStored(), ...queue];
  for (let start = 0; start < queue.length; start += BATCH_SIZE) {
    const body = JSON.stringify({ events: queue.slice(start, start + BATCH_SIZE) });
    navigator.sendBeacon?.(ENDPOINT, new Blob([body], { type: "application/json" }));
  }
  queue = [];
  writeStored(unconfirmed);
}

/** Back in sight (or a new page): what was kept goes again; the server drops what it already has. */
function resendStored(): void {
  const stored = readStored();
  if (stored.length === 0) return;
  writeStored([]);
  enqueue(stored);
  schedule(0);
}

function install(): void {
  if (installed || typeof window === "undefined") return;
  installed = true;
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") sendBeforeHide();
    else resendStored();
  });
  window.addEventListener("pagehide", sendBeforeHide);
  resendStored();
}

/** Records a signal now; it is sent with the next batch. */
export function track(signal: Signal): void {
  if (typeof window === "undefined") return;
  install();
  const event: Outgoing = {
    id: uuidv7(),
    type: signal.type,
    videoId: signal.videoId,
    at: Date.now(),
    source: signal.source,
    ...(signal.feedRequestId ? { feedRequestId: signal.feedRequestId } : {}),
    ...(signal.watchedMs !== undefined ? { watchedMs: Math.max(0, Math.round(signal.watchedMs)) } : {}),
    ...(signal.loops !== undefined ? { loops: signal.loops } : {}),
  };
  queue.push(event);
  if (queue.length >= FLUSH_AT && !sending) void flush();
  else schedule(FLUSH_INTERVAL_MS);
}

/**
 * Runs `callback` just before the page is hidden or closed, before the final beacon, so what is being watched can be
 * recorded first. Returns the unsubscribe function.
 */
export function onBeforeHide(callback: () => void): () => void {
  install();
  beforeHide.add(callback);
  return () => beforeHide.delete(callback);
}

/** The signal for something done to a feed item: its source and the feed response that served it come along. */
export function trackItem(type: EventType, item: { id: string; source: EventSource; feedRequestId: string }): void {
  track({ type, videoId: item.id, source: item.source, feedRequestId: item.feedRequestId });
}

// Where each video on the page was shown from, for signals raised where only its id is at hand (the comments drawer).
// Bounded by the videos a page shows; a long session's feed holds a few hundred at most.
const shownFrom = new Map<string, { source: EventSource; feedRequestId: string | null }>();

export function rememberShownFrom(videoId: string, source: EventSource, feedRequestId: string | null): void {
  shownFrom.set(videoId, { source, feedRequestId });
}

/** A signal about a video known only by id: with where it was shown from, if the page showed it. */
export function trackVideo(type: EventType, videoId: string): void {
  const shown = shownFrom.get(videoId);
  track({ type, videoId, source: shown?.source ?? "other", feedRequestId: shown?.feedRequestId ?? null });
}

// Where a video page was opened from (a profile, search, a hashtag page): remembered for the tab by the grid's link at
// the click, read once by the page's player. The URL stays the video's own, so a link copied from the address bar and
// shared is counted as a shared link, not as the profile it was copied on.
const OPENED_FROM_KEY = "flick.events.openedFrom";
// The click and the page's player are a navigation apart; anything older is a stale hint from another visit.
const OPENED_FROM_MAX_AGE_MS = 5 * 60 * 1000;

export function rememberOpenedFrom(videoId: string, source: EventSource): void {
  try {
    sessionStorage.setItem(OPENED_FROM_KEY, JSON.stringify({ videoId, source, at: Date.now() }));
  } catch {
    // storage refused: the view counts as from a shared link
  }
}

/** The source the click that opened this video's page left behind, once; null when it was opened some other way. */
export function takeOpenedFrom(videoId: string): EventSource | null {
  try {
    const hint = JSON.parse(sessionStorage.getItem(OPENED_FROM_KEY) ?? "null") as { videoId: string; source: EventSource; at: number } | null;
    if (!hint || hint.videoId !== videoId || Date.now() - hint.at > OPENED_FROM_MAX_AGE_MS) return null;
    sessionStorage.removeItem(OPENED_FROM_KEY);
    return hint.source;
  } catch {
    return null;
  }
}
