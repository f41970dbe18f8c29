// Storage keys: what a valid key looks like, and the content type and cache policy that follow from it. Every backend
// and the media route check keys here first, so a key that reaches the disk or a bucket is a plain relative path.
//
// Layout (written by lib/videos and lib/users, served by app/media/[...key]):
//   videos/<videoId>/<version>/…   published media; a version folder is never rewritten once the video points at it
//   avatars/<userId>/<file>        profile pictures
//   sources/<videoId>/…            original uploads; never served
import { AppError } from "../errors";

const MAX_KEY_LENGTH = 512; // S3 allows 1024 bytes; half leaves room for a bucket prefix and keeps paths short on disk
const SEGMENT = /^[A-Za-z0-9._-]+$/;
const DOTS_ONLY = /^\.+$/; // ".", "..", "...": never a name, always a trick

/** Why `key` is not a safe storage key, or null when it is. */
export function keyProblem(key: string): string | null {
  if (typeof key !== "string" || key.length === 0) return "is empty";
  if (key.length > MAX_KEY_LENGTH) return `is longer than ${MAX_KEY_LENGTH} characters`;
  if (key.startsWith("/")) return "must be relative (no leading '/')";
  for (const segment of key.split("/")) {
    if (segment === "") return "has an empty path segment";
    if (DOTS_ONLY.test(segment)) return "may not contain '.' or '..' segments";
    if (!SEGMENT.test(segment)) return "may contain only letters, digits, '.', '_', '-' and '/'";
  }
  return null;
}

export function isSafeKey(key: string): boolean {
  return keyProblem(key) === null;
}

/** Throws a 400 unless `key` is a relative POSIX path of [A-Za-z0-9._-] segments. */
export function assertSafeKey(key: string): void {
  const problem = keyProblem(key);
  if (problem) throw new AppError("bad_request", `That media path is not valid: it ${problem}.`);
}

/** A folder prefix as a key without its trailing '/' (`videos/abc/` and `videos/abc` name the same folder). */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  assertSafeKey(trimmed);
  return trimmed;
}

const CONTENT_TYPES: Record<string, string> = {
  m3u8: "application/vnd.apple.mpegurl",
  m4s: "video/iso.segment",
  mp4: "video/mp4",
  ts: "video/mp2t",
  vtt: "text/vtt",
  webp: "image/webp",
  avif: "image/avif",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  json: "application/json",
};

function extensionOf(key: string): string {
  const name = key.slice(key.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot + 1).toLowerCase();
}

export function contentTypeFor(key: string): string {
  return CONTENT_TYPES[extensionOf(key)] ?? "application/octet-stream";
}

const IMMUTABLE_SECONDS = 31_536_000; // one year: the longest lifetime caches honour; these bytes never change
// Playlists and captions: half the 4 s segment target, as RFC 8216 (6.2.2) asks of playlists that grow while a video
// is still encoding; a visibility change or new version also reaches viewers within seconds.
const PLAYLIST_SECONDS = 2;
const DEFAULT_SECONDS = 60; // anything that may be rewritten in place (a poster after a cover change): ETag revalidates

const SHORT_LIVED = new Set(["m3u8", "vtt"]);
const MEDIA_SEGMENTS = new Set(["m4s", "ts", "mp4"]);
const IMAGES = new Set(["webp", "avif", "jpg", "jpeg", "png"]);
// A name ending in 8+ lower-case hex characters with at least one letter (`avatar-3fa9c1b2.webp`): a content hash.
// Requiring a letter keeps sequence numbers (`seg_00000001`) from passing for one.
const CONTENT_HASH = /(?:^|[._-])(?=[0-9a-f]*[a-f])[0-9a-f]{8,}$/;

/** `videos/<videoId>/<version>/…`: published media that is never rewritten under the same version. */
function isVersionedMedia(key: string): boolean {
  const parts = key.split("/");
  return parts[0] === "videos" && parts.length >= 4;
}

function isContentAddressed(key: string): boolean {
  const name = key.slice(key.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return CONTENT_HASH.test(dot <= 0 ? name : name.slice(0, dot));
}

/**
 * The Cache-Control for an object. `isPublic: false` (a private, unlisted-but-held or unfinished video, or any
 * response that depended on who asked) gives `private` variants, which shared caches and CDNs must not store.
 * Segments in a version folder and content-addressed files are immutable; images are immutable only when
 * content-addressed, because a poster may be re-rendered under the same name.
 */
export function cacheControlFor(key: string, options: { isPublic: boolean }): string {
  const scope = options.isPublic ? "public" : "private";
  const extension = extensionOf(key);
  if (SHORT_LIVED.has(extension)) return `${scope}, max-age=${PLAYLIST_SECONDS}`;
  const immutable =
    (MEDIA_SEGMENTS.has(extension) && (isVersionedMedia(key) || isContentAddressed(key))) ||
    (IMAGES.has(extension) && isContentAddressed(key));
  if (immutable) return `${scope}, max-age=${IMMUTABLE_SECONDS}, immutable`;
  return `${scope}, max-age=${DEFAULT_SECONDS}`;
}
